// index/model_catalog.cc — the catalogue itself. Entries name maintained GGUF
// conversions (the model authors' own, or ggml-org's, where they publish GGUF).
//
// Pins: an entry carries the file's size and SHA-256 only where the publisher
// states them; none could be read from these machines (the hub is unreachable and
// no stored copy of its file pages showed them), so every entry is unpinned today
// and `models list` / `models pull --list` say so. An unpinned file's size and hash
// are recorded in the registry by its first download, and a later pull of the same
// entry that differs from them is refused.
#include "index/model_catalog.h"

namespace trove::index {

const std::vector<CatalogEntry>& model_catalog() {
  using R = ModelRole;
  static const std::vector<CatalogEntry> kCatalog = {
      // Embedding models (encoders).
      {"bge-small-en-v1.5", R::kEmbed, "ggml-org/bge-small-en-v1.5-Q8_0-GGUF",
       "bge-small-en-v1.5-q8_0.gguf", "Q8_0", "BAAI bge-small, 384 dims, 33M params", "MIT", true, 0, {}},
      {"nomic-embed-text-v1.5", R::kEmbed, "nomic-ai/nomic-embed-text-v1.5-GGUF",
       "nomic-embed-text-v1.5.Q8_0.gguf", "Q8_0", "Nomic, 768 dims, 8k context", "Apache-2.0", true, 0, {}},
      {"snowflake-arctic-embed-s", R::kEmbed, "ChristianAzinn/snowflake-arctic-embed-s-gguf",
       "snowflake-arctic-embed-s-Q8_0.GGUF", "Q8_0", "Snowflake Arctic S, 384 dims",
       "Apache-2.0", true, 0, {}},
      {"all-minilm-l6-v2", R::kEmbed, "second-state/All-MiniLM-L6-v2-Embedding-GGUF",
       "all-MiniLM-L6-v2-Q8_0.gguf", "Q8_0", "sentence-transformers MiniLM, 384 dims, fastest",
       "Apache-2.0", true, 0, {}},
      // Rerankers (cross-encoders with their classification head). Only this one has a
      // conversion whose file listing could be read from here (a GGUF-my-repo
      // conversion of BAAI's model by llama.cpp's converter); MiniLM / bge-reranker-base
      // GGUFs work too through `trove models add FILE --role rerank`.
      {"bge-reranker-v2-m3", R::kRerank, "YorkieOH10/bge-reranker-v2-m3-Q8_0-GGUF",
       "bge-reranker-v2-m3-q8_0.gguf", "Q8_0", "BAAI multilingual reranker (XLM-R, 568M)",
       "Apache-2.0", true, 0, {}},
      // Instruction-tuned decoders.
      {"qwen2.5-0.5b-instruct", R::kLlm, "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
       "qwen2.5-0.5b-instruct-q4_k_m.gguf", "Q4_K_M", "Qwen2.5 0.5B", "Apache-2.0", true, 0, {}},
      {"qwen2.5-1.5b-instruct", R::kLlm, "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
       "qwen2.5-1.5b-instruct-q4_k_m.gguf", "Q4_K_M", "Qwen2.5 1.5B", "Apache-2.0", true, 0, {}},
      {"qwen2.5-3b-instruct", R::kLlm, "Qwen/Qwen2.5-3B-Instruct-GGUF",
       "qwen2.5-3b-instruct-q4_k_m.gguf", "Q4_K_M", "Qwen2.5 3B", "Qwen Research License",
       false, 0, {}},
      {"qwen3-0.6b", R::kLlm, "Qwen/Qwen3-0.6B-GGUF", "Qwen3-0.6B-Q8_0.gguf", "Q8_0", "Qwen3 0.6B",
       "Apache-2.0", true, 0, {}},
      {"qwen3-1.7b", R::kLlm, "Qwen/Qwen3-1.7B-GGUF", "Qwen3-1.7B-Q8_0.gguf", "Q8_0", "Qwen3 1.7B",
       "Apache-2.0", true, 0, {}},
      {"qwen3-4b", R::kLlm, "Qwen/Qwen3-4B-GGUF", "Qwen3-4B-Q4_K_M.gguf", "Q4_K_M", "Qwen3 4B",
       "Apache-2.0", true, 0, {}},
      {"llama-3.2-1b-instruct", R::kLlm, "bartowski/Llama-3.2-1B-Instruct-GGUF",
       "Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Q4_K_M", "Meta Llama 3.2 1B",
       "Llama 3.2 Community License", false, 0, {}},
      {"llama-3.2-3b-instruct", R::kLlm, "bartowski/Llama-3.2-3B-Instruct-GGUF",
       "Llama-3.2-3B-Instruct-Q4_K_M.gguf", "Q4_K_M", "Meta Llama 3.2 3B",
       "Llama 3.2 Community License", false, 0, {}},
      {"smollm2-360m-instruct", R::kLlm, "HuggingFaceTB/SmolLM2-360M-Instruct-GGUF",
       "smollm2-360m-instruct-q8_0.gguf", "Q8_0", "SmolLM2 360M, smallest", "Apache-2.0", true, 0, {}},
      {"smollm2-1.7b-instruct", R::kLlm, "HuggingFaceTB/SmolLM2-1.7B-Instruct-GGUF",
       "smollm2-1.7b-instruct-q4_k_m.gguf", "Q4_K_M", "SmolLM2 1.7B", "Apache-2.0", true, 0, {}},
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
