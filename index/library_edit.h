// index/library_edit.h — single-chunk lookup (`trove show`) and removal of sources or
// documents from the library (`trove forget`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "index/retriever.h"
#include "index/sqlite.h"

namespace trove::index {

// The chunk with this id as a SearchHit (score 0, snippet empty); nullopt if none.
Result<std::optional<SearchHit>> load_chunk(Db& db, int64_t chunk_id);

struct ForgetResult {
  bool source_removed = false;  // `path` was a source root: the source is gone too
  int64_t documents = 0;        // documents removed
};

// Removes the source whose root is `path`, or every document at or under `path`.
// `path` is made absolute (realpath when it still exists, so a deleted folder can be
// forgotten too). Removes nothing when nothing matches (documents == 0). The caller
// holds the writer lock; everything happens in one transaction.
Result<ForgetResult> forget_path(Db& db, const std::string& path);

}  // namespace trove::index
