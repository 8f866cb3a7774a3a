// index/exclusions.cc — the exclusions table (see exclusions.h).
#include "index/exclusions.h"

#include <chrono>

namespace trove::index {
namespace {

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

bool path_is_under(const std::string& path, const std::string& root) {
  if (root == "/") return !path.empty() && path[0] == '/';
  return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                          path[root.size()] == '/');
}

std::string covering_exclusion(const std::vector<std::string>& exclusions,
                               const std::string& path) {
  for (const auto& e : exclusions)
    if (path_is_under(path, e)) return e;
  return {};
}

Result<std::vector<Exclusion>> list_exclusions(Db& db) {
  auto st = db.prepare("SELECT path, source_id, added_at FROM exclusions ORDER BY path");
  if (!st.ok()) return st.error();
  std::vector<Exclusion> out;
  for (;;) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) return out;
    out.push_back({st->column_text(0), st->column_int(1), st->column_int(2)});
  }
}

Result<std::vector<std::string>> exclusions_of_source(Db& db, int64_t source_id) {
  auto st = db.prepare("SELECT path FROM exclusions WHERE source_id = ?1 ORDER BY path");
  if (!st.ok()) return st.error();
  st->bind(1, source_id);
  std::vector<std::string> out;
  for (;;) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) return out;
    out.push_back(st->column_text(0));
  }
}

Status add_exclusion(Db& db, int64_t source_id, const std::string& path) {
  auto st = db.prepare(
      "INSERT INTO exclusions(path, source_id, added_at) VALUES (?1, ?2, ?3)"
      " ON CONFLICT(path) DO NOTHING");
  if (!st.ok()) return st.error();
  st->bind(1, path).bind(2, source_id).bind(3, now_s());
  return st->run();
}

Result<int64_t> remove_exclusions_at_or_under(Db& db, const std::string& path) {
  // substr, not LIKE/GLOB: no character of a path is special.
  auto st = db.prepare(
      "DELETE FROM exclusions WHERE path = ?1 OR substr(path, 1, length(?1) + 1) = ?1 || '/'");
  if (!st.ok()) return st.error();
  st->bind(1, path);
  TROVE_TRY(st->run());
  return db.changes();
}

Status remove_exclusions_of_source(Db& db, int64_t source_id) {
  auto st = db.prepare("DELETE FROM exclusions WHERE source_id = ?1");
  if (!st.ok()) return st.error();
  st->bind(1, source_id);
  return st->run();
}

}  // namespace trove::index
