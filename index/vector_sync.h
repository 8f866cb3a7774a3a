// index/vector_sync.h — keeping chunk embeddings and vectors.faiss in step with the
// chunks table.
//
// Protocol (what makes a killed run safe):
// - chunk_vectors (SQLite) is the truth; every change to it bumps
//   meta.vector_generation in the same transaction.
// - vectors.faiss carries the generation it was saved at. On load, a file whose
//   generation differs from the database's (a run killed between the two writes, a
//   stale or missing file) is rebuilt from chunk_vectors, never trusted.
// - Deleted chunks reach FAISS through pending_vector_deletes (filled by a trigger).
// - The embedding model that produced the vectors is recorded in meta; syncing with a
//   different model is refused unless `reembed` is set, which drops every vector.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/result.h"
#include "embed/embedder.h"
#include "index/sqlite.h"
#include "index/vector_store.h"

namespace trove::index {

// Identity of an embedding model as recorded with the vectors it made.
struct EmbeddingModelId {
  std::string name;
  std::string path;  // where the file was when the vectors were made
  std::string sha256;
  std::string arch;
  int dim = 0;
  std::string family;
  std::string query_prefix;
  std::string document_prefix;

  bool same_model(const EmbeddingModelId& o) const {
    return sha256 == o.sha256 && arch == o.arch && dim == o.dim;
  }
};

// The identity stored in the library, if any vectors were ever made.
Result<std::optional<EmbeddingModelId>> stored_embedding_model(Db& db);
// Identity of a loaded embedder (sha256 supplied by the caller, e.g. the registry).
EmbeddingModelId identity_of(const Embedder& e, std::string name, std::string path,
                             std::string sha256);

int64_t vector_generation(Db& db);

// Loads vectors.faiss when its generation matches the database; otherwise rebuilds
// the store from chunk_vectors in memory and sets *repaired (the caller decides
// whether to save it: only a writer holding the lock may). dim comes from the
// recorded model.
Result<VectorStore> load_vectors(Db& db, const std::string& faiss_path, int dim, bool* repaired);

struct VectorSyncOptions {
  bool reembed = false;
  int batch_texts = 32;          // texts per embed_documents call
  std::string factory = "Flat";  // FAISS factory for a new store (meta.vector_factory keeps it)
  std::function<void(int64_t done, int64_t total)> progress;
};

struct VectorSyncStats {
  int64_t embedded = 0;
  int64_t removed = 0;
  bool rebuilt = false;  // vectors.faiss was stale and rebuilt
  bool reembedded = false;
  double seconds = 0;
};

// Brings vectors up to date: applies pending deletes, embeds every chunk without a
// vector, saves vectors.faiss. Needs the writer lock (run it inside `trove index`).
Result<VectorSyncStats> sync_vectors(Db& db, const std::string& faiss_path, Embedder& embedder,
                                     const EmbeddingModelId& model, const VectorSyncOptions& opts);

// The text a chunk is embedded as: its document title and heading path give a
// passage its context ("Installing — Debian > Networking"), then the chunk text.
std::string embedding_text(const std::string& title, const std::string& heading,
                           const std::string& text);

}  // namespace trove::index
