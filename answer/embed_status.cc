// answer/embed_status.cc — see embed_status.h.
#include "answer/embed_status.h"

#include <filesystem>

#include "answer/search.h"
#include "index/vector_store.h"

namespace trove::answer {

EmbedStatus embed_status(index::Db& db, const index::LibraryPaths& p) {
  EmbedStatus e;
  auto m = index::stored_embedding_model(db);
  if (m.ok()) e.model = *m;
  auto count = [&](const char* sql) {
    auto v = index::query_int(db, sql);
    return v.ok() ? *v : 0;
  };
  e.chunks = count("SELECT count(*) FROM chunks");
  e.vectors = count("SELECT count(*) FROM chunk_vectors");
  e.pending_deletes = count("SELECT count(*) FROM pending_vector_deletes");
  e.generation = index::vector_generation(db);
  if (!std::filesystem::exists(p.vectors)) {
    e.faiss_state = "missing";
  } else {
    auto store = index::VectorStore::load(p.vectors);
    e.faiss_state = store.ok() && static_cast<int64_t>(store->generation()) == e.generation
                        ? "current"
                        : "stale (rebuilt in memory on search; trove index saves it)";
  }
  e.lexical_reason = semantic_unavailable_reason(p);
  return e;
}

}  // namespace trove::answer
