// cli/retrieval.cc — see retrieval.h.
#include "cli/retrieval.h"

#include <filesystem>

#include "index/hybrid_retriever.h"
#include "index/model_registry.h"
#include "index/vector_sync.h"

namespace trove::cli {
namespace {

constexpr const char* kHowToAdd =
    "add an embedding model with `trove models pull bge-small-en-v1.5` (or `trove models add "
    "FILE --role embed`), then run `trove index`";

}  // namespace

Result<std::shared_ptr<Embedder>> open_library_embedder(const index::LibraryPaths& paths) {
  auto db = index::Db::open(paths.db, index::OpenMode::kReadOnly);
  if (!db.ok()) return db.error();
  auto stored = index::stored_embedding_model(*db);
  if (!stored.ok()) return stored.error();
  if (!stored->has_value() || index::vector_generation(*db) == 0)
    return make_error(std::string("the library has no embeddings: ") + kHowToAdd);
  const index::EmbeddingModelId& id = **stored;
  std::string path = id.path;
  if (path.empty() || !std::filesystem::exists(path)) {
    path.clear();
    auto reg = index::ModelRegistry::open(paths.home);
    if (reg.ok()) {
      for (const auto& e : reg->entries())
        if (e.sha256 == id.sha256) path = e.path;
    }
  }
  if (path.empty())
    return make_error("the embedding model that made this library's vectors (" + id.name +
                      ", sha256 " + id.sha256.substr(0, 12) +
                      ") is not available: add it back with `trove models add FILE --role embed`, "
                      "or re-embed with another model: `trove index --reembed`");
  EmbedderParams params;
  auto emb = Embedder::open(path, params);
  if (!emb.ok()) return emb.error();
  if ((*emb)->dim() != id.dim)
    return make_error(path + ": model has " + std::to_string((*emb)->dim()) +
                      " dimensions but the library's vectors have " + std::to_string(id.dim));
  return std::shared_ptr<Embedder>(std::move(*emb));
}

std::string semantic_unavailable_reason(const index::LibraryPaths& paths) {
  auto emb = open_library_embedder(paths);
  return emb.ok() ? std::string() : emb.error().message;
}

Result<RetrievalSetup> open_retrieval(const index::LibraryPaths& paths,
                                      const std::string& mode_flag, bool split) {
  RetrievalSetup setup;
  auto lexical = index::LexicalRetriever::open(paths.db);
  if (!lexical.ok()) return lexical.error();
  if (mode_flag == "lexical") {
    setup.retriever = std::move(*lexical);
    return setup;
  }
  if (!mode_flag.empty() && mode_flag != "semantic" && mode_flag != "hybrid")
    return make_error("unknown search mode '" + mode_flag + "' (lexical, semantic or hybrid)");

  auto emb = open_library_embedder(paths);
  if (!emb.ok()) {
    if (!mode_flag.empty())
      return make_error(mode_flag + " search is not available: " + emb.error().message);
    setup.note = "lexical search only: " + emb.error().message;
    setup.retriever = std::move(*lexical);
    return setup;
  }
  auto dense = index::DenseRetriever::open(paths.db, paths.vectors, *emb);
  if (!dense.ok()) return dense.error();
  if ((*dense)->repaired())
    setup.note =
        "vectors.faiss was out of date and was rebuilt in memory; `trove index` saves the repair";
  if (mode_flag == "semantic") {
    setup.mode = index::SearchMode::kSemantic;
    setup.retriever = std::move(*dense);
    return setup;
  }
  setup.mode = index::SearchMode::kHybrid;
  if (split) {
    setup.lexical = std::move(*lexical);
    setup.dense = std::move(*dense);
    return setup;
  }
  setup.retriever =
      std::make_unique<index::HybridRetriever>(std::move(*lexical), std::move(*dense));
  return setup;
}

}  // namespace trove::cli
