// answer/embed_status.h — what a library's vectors look like: the embedding model
// they were made with, how many passages have one, whether vectors.faiss is current,
// and, when semantic search is not available, why. For `trove status` and
// GET /api/status (one schema: serve/json_schema.h's status_json).
//
//   auto db = index::Db::open(paths.db, index::OpenMode::kReadOnly);
//   answer::EmbedStatus e = answer::embed_status(*db, paths);
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "index/library.h"
#include "index/sqlite.h"
#include "index/vector_sync.h"

namespace trove::answer {

struct EmbedStatus {
  std::optional<index::EmbeddingModelId> model;
  int64_t vectors = 0;
  int64_t chunks = 0;
  int64_t pending_deletes = 0;
  int64_t generation = 0;
  std::string faiss_state;     // "current", "stale (rebuilt on next use)", "missing"
  std::string lexical_reason;  // non-empty: search is lexical only, and why
};

// Reads vectors.faiss's header generation too (the file is loaded to do so).
EmbedStatus embed_status(index::Db& db, const index::LibraryPaths& paths);

}  // namespace trove::answer
