// index/exclusions.h — paths forgotten inside a source (`trove forget PATH`), which
// the indexer must not bring back on the next run.
//
// An exclusion is an absolute path (a file or a folder) inside a registered source.
// The indexer skips every file at or under it. It is removed by `trove unforget PATH`,
// by indexing exactly PATH (`trove index PATH`: the user asked for it by name), or
// with its source (`trove forget ROOT`). The caller holds the writer lock for writes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "index/sqlite.h"

namespace trove::index {

struct Exclusion {
  std::string path;
  int64_t source_id = 0;
  int64_t added_at = 0;  // seconds since the epoch
};

Result<std::vector<Exclusion>> list_exclusions(Db& db);
Result<std::vector<std::string>> exclusions_of_source(Db& db, int64_t source_id);
Status add_exclusion(Db& db, int64_t source_id, const std::string& path);
// Removes the exclusion of exactly `path` and those under it; returns how many.
Result<int64_t> remove_exclusions_at_or_under(Db& db, const std::string& path);
Status remove_exclusions_of_source(Db& db, int64_t source_id);

// True when `path` is `root` or lies under the folder `root` (plain string prefix on
// '/' boundaries; both absolute and normalised).
bool path_is_under(const std::string& path, const std::string& root);
// The exclusion that covers `path` (at or above it), or "" when none does.
std::string covering_exclusion(const std::vector<std::string>& exclusions,
                               const std::string& path);

}  // namespace trove::index
