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
  std::string path;             // absolute
  bool source_removed = false;  // `path` was a source root: the source is gone too
  bool excluded = false;        // inside a source: recorded so later runs skip it
  int64_t documents = 0;        // documents removed
  std::string refused;          // non-empty: nothing changed, and why (a usage error)
};

// Removes the source whose root is `path` (with its documents and exclusions), or
// every document at or under `path` inside a source and records `path` as an
// exclusion (index/exclusions.h) so the next `trove index` does not bring it back.
// `path` is made absolute (realpath when it still exists, so a deleted folder can be
// forgotten too). Refuses, changing nothing, an empty path, a path outside every
// source, and a path that matches no document and does not exist. The caller holds
// the writer lock; everything happens in one transaction.
Result<ForgetResult> forget_path(Db& db, const std::string& path);

struct UnforgetResult {
  std::string path;      // absolute
  int64_t removed = 0;   // exclusions removed (PATH's own and those under it)
  std::string refused;   // non-empty: nothing changed, and why
};

// Undoes forget_path for a path inside a source: the next `trove index` indexes it
// again. Refuses a path that was not forgotten (naming the forgotten folder that
// covers it, if one does).
Result<UnforgetResult> unforget_path(Db& db, const std::string& path);

// An absolute, normalised form of `path` (realpath when it exists).
std::string absolute_library_path(const std::string& path);

}  // namespace trove::index
