// index/library_edit.cc — show one chunk, forget sources/documents (see library_edit.h).
#include "index/library_edit.h"

#include <climits>
#include <cstdlib>
#include <filesystem>

#include "index/exclusions.h"
#include "index/store.h"

namespace trove::index {
namespace {

constexpr std::string_view kChunkSql =
    "SELECT d.path, d.rel_path, d.title, coalesce(d.type, ''), c.heading, c.page_start,"
    " c.page_end, c.line_start, c.line_end, c.text"
    " FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ?1";

std::string roots_list(const std::vector<Source>& sources) {
  std::string out;
  for (const auto& s : sources) out += (out.empty() ? "" : ", ") + s.root;
  return out;
}

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

}  // namespace

std::string absolute_library_path(const std::string& p) {
  char buf[PATH_MAX];
  if (::realpath(p.c_str(), buf)) return buf;
  std::error_code ec;
  auto abs = std::filesystem::absolute(p, ec);
  std::string s = ec ? p : abs.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

Result<std::optional<SearchHit>> load_chunk(Db& db, int64_t chunk_id) {
  auto s = db.prepare(kChunkSql);
  if (!s.ok()) return s.error();
  s->bind(1, chunk_id);
  auto row = s->step();
  if (!row.ok()) return row.error();
  std::optional<SearchHit> out;
  if (!*row) return out;
  SearchHit h;
  h.chunk_id = chunk_id;
  h.path = s->column_text(0);
  h.rel_path = s->column_text(1);
  h.title = s->column_text(2);
  h.type = s->column_text(3);
  h.heading = s->column_text(4);
  h.page_start = static_cast<int>(s->column_int(5));
  h.page_end = static_cast<int>(s->column_int(6));
  h.line_start = static_cast<int>(s->column_int(7));
  h.line_end = static_cast<int>(s->column_int(8));
  h.text = s->column_text(9);
  out = std::move(h);
  return out;
}

Result<ForgetResult> forget_path(Db& db, const std::string& path) {
  ForgetResult res;
  if (blank(path)) {
    res.refused = "forget: the path is empty: give a source folder, or a file or folder inside one";
    return res;
  }
  res.path = absolute_library_path(path);
  Store store(db);
  auto tx = Transaction::begin(db);
  if (!tx.ok()) return tx.error();
  auto sources = store.sources();
  if (!sources.ok()) return sources.error();
  const Source* owner = nullptr;
  std::vector<Source> inside;  // sources under res.path
  for (const auto& s : *sources) {
    if (path_is_under(res.path, s.root)) owner = &s;
    if (path_is_under(s.root, res.path) && s.root != res.path) inside.push_back(s);
  }
  if (!owner) {
    res.refused = inside.empty()
                      ? res.path + " is not inside any source of the library" +
                            (sources->empty() ? std::string(" (it has none)")
                                              : " (sources: " + roots_list(*sources) + ")")
                      : res.path + " is not a source; it contains the sources " +
                            roots_list(inside) + ": forget each by its folder";
    return res;
  }
  auto docs = store.documents_under(res.path);
  if (!docs.ok()) return docs.error();
  std::error_code ec;
  const bool root = owner->root == res.path;
  if (!root && docs->empty() && !std::filesystem::exists(res.path, ec)) {
    res.refused = res.path + ": not in the library (no document at or under it, and no such file)";
    return res;
  }
  for (int64_t id : *docs) TROVE_TRY(store.remove_document(id));
  res.documents = static_cast<int64_t>(docs->size());
  if (root) {
    TROVE_TRY(remove_exclusions_of_source(db, owner->id));
    TROVE_TRY(store.delete_source(owner->id));
    res.source_removed = true;
  } else {
    auto excl = exclusions_of_source(db, owner->id);
    if (!excl.ok()) return excl.error();
    if (covering_exclusion(*excl, res.path).empty()) {
      TROVE_TRY(add_exclusion(db, owner->id, res.path));
      // A folder forgotten around earlier exclusions covers them.
      for (const auto& e : *excl) {
        if (path_is_under(e, res.path) && e != res.path) {
          auto n = remove_exclusions_at_or_under(db, e);
          if (!n.ok()) return n.error();
        }
      }
    }
    res.excluded = true;
  }
  TROVE_TRY(tx->commit());
  return res;
}

Result<UnforgetResult> unforget_path(Db& db, const std::string& path) {
  UnforgetResult res;
  if (blank(path)) {
    res.refused = "unforget: the path is empty: give a path that trove forget removed";
    return res;
  }
  res.path = absolute_library_path(path);
  auto tx = Transaction::begin(db);
  if (!tx.ok()) return tx.error();
  auto all = list_exclusions(db);
  if (!all.ok()) return all.error();
  std::vector<std::string> paths;
  for (const auto& e : *all) paths.push_back(e.path);
  auto n = remove_exclusions_at_or_under(db, res.path);
  if (!n.ok()) return n.error();
  res.removed = *n;
  if (res.removed == 0) {
    std::string cover = covering_exclusion(paths, res.path);
    res.refused = cover.empty() ? res.path + " was not forgotten (trove status lists what was)"
                                : res.path + " is inside the forgotten folder " + cover +
                                      ": run trove unforget " + cover;
    return res;
  }
  TROVE_TRY(tx->commit());
  return res;
}

}  // namespace trove::index
