// index/model_catalog.cc — the catalogue itself. Entries name widely used GGUF
// conversions (the model authors' own where they publish GGUF). Sizes and hashes are
// not pinned here: files on the hub can be re-uploaded, so the SHA-256 is recorded
// in the registry at download time instead.
#include "index/model_catalog.h"

namespace trove::index {

const std::vector<CatalogEntry>& model_catalog() {
  using R = ModelRole;
  static const std::vector<CatalogEntry> kCatalog = {
      // Embedding models (encoders).
      {"bge-small-en-v1.5", R::kEmbed, "CompendiumLabs/bge-small-en-v1.5-gguf",
       "bge-small-en-v1.5-q8_0.gguf", "Q8_0", "BAAI bge-small, 384 dims, 33M params"},
      {"nomic-embed-text-v1.5", R::kEmbed, "nomic-ai/nomic-embed-text-v1.5-GGUF",
       "nomic-embed-text-v1.5.Q8_0.gguf", "Q8_0", "Nomic, 768 dims, 8k context"},
      {"snowflake-arctic-embed-s", R::kEmbed, "ChristianAzinn/snowflake-arctic-embed-s-gguf",
       "snowflake-arctic-embed-s--Q8_0.GGUF", "Q8_0", "Snowflake Arctic S, 384 dims"},
      {"all-minilm-l6-v2", R::kEmbed, "prithivida/all-MiniLM-L6-v2-gguf",
       "all-MiniLM-L6-v2-q8_0.gguf", "Q8_0", "sentence-transformers MiniLM, 384 dims, fastest"},
      // Instruction-tuned decoders.
      {"qwen2.5-0.5b-instruct", R::kLlm, "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
       "qwen2.5-0.5b-instruct-q4_k_m.gguf", "Q4_K_M", "Qwen2.5 0.5B"},
      {"qwen2.5-1.5b-instruct", R::kLlm, "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
       "qwen2.5-1.5b-instruct-q4_k_m.gguf", "Q4_K_M", "Qwen2.5 1.5B"},
      {"qwen2.5-3b-instruct", R::kLlm, "Qwen/Qwen2.5-3B-Instruct-GGUF",
       "qwen2.5-3b-instruct-q4_k_m.gguf", "Q4_K_M", "Qwen2.5 3B"},
      {"qwen3-0.6b", R::kLlm, "Qwen/Qwen3-0.6B-GGUF", "Qwen3-0.6B-Q8_0.gguf", "Q8_0", "Qwen3 0.6B"},
      {"qwen3-1.7b", R::kLlm, "Qwen/Qwen3-1.7B-GGUF", "Qwen3-1.7B-Q8_0.gguf", "Q8_0", "Qwen3 1.7B"},
      {"qwen3-4b", R::kLlm, "Qwen/Qwen3-4B-GGUF", "Qwen3-4B-Q4_K_M.gguf", "Q4_K_M", "Qwen3 4B"},
      {"llama-3.2-1b-instruct", R::kLlm, "bartowski/Llama-3.2-1B-Instruct-GGUF",
       "Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Q4_K_M", "Meta Llama 3.2 1B"},
      {"llama-3.2-3b-instruct", R::kLlm, "bartowski/Llama-3.2-3B-Instruct-GGUF",
       "Llama-3.2-3B-Instruct-Q4_K_M.gguf", "Q4_K_M", "Meta Llama 3.2 3B"},
      {"smollm2-360m-instruct", R::kLlm, "HuggingFaceTB/SmolLM2-360M-Instruct-GGUF",
       "smollm2-360m-instruct-q8_0.gguf", "Q8_0", "SmolLM2 360M, smallest"},
      {"smollm2-1.7b-instruct", R::kLlm, "HuggingFaceTB/SmolLM2-1.7B-Instruct-GGUF",
       "smollm2-1.7b-instruct-q4_k_m.gguf", "Q4_K_M", "SmolLM2 1.7B"},
  };
  return kCatalog;
}

const CatalogEntry* find_catalog_entry(std::string_view name) {
  for (const CatalogEntry& e : model_catalog()) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string catalog_url(const CatalogEntry& e, std::string_view base) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base) + "/" + std::string(e.repo) + "/resolve/main/" + std::string(e.file);
}

}  // namespace trove::index
