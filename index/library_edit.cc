// index/library_edit.cc — show one chunk, forget sources/documents (see library_edit.h).
#include "index/library_edit.h"

#include <climits>
#include <cstdlib>
#include <filesystem>

#include "index/store.h"

namespace trove::index {
namespace {

constexpr std::string_view kChunkSql =
    "SELECT d.path, d.rel_path, d.title, coalesce(d.type, ''), c.heading, c.page_start,"
    " c.page_end, c.line_start, c.line_end, c.text"
    " FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ?1";

std::string absolute_path(const std::string& p) {
  char buf[PATH_MAX];
  if (::realpath(p.c_str(), buf)) return buf;
  std::error_code ec;
  auto abs = std::filesystem::absolute(p, ec);
  std::string s = ec ? p : abs.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

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
  std::string abs = absolute_path(path);
  Store store(db);
  auto tx = Transaction::begin(db);
  if (!tx.ok()) return tx.error();
  auto source = store.find_source(abs);
  if (!source.ok()) return source.error();
  auto docs = store.documents_under(abs);
  if (!docs.ok()) return docs.error();
  ForgetResult res;
  for (int64_t id : *docs) TROVE_TRY(store.remove_document(id));
  res.documents = static_cast<int64_t>(docs->size());
  if (*source) {
    TROVE_TRY(store.delete_source((*source)->id));
    res.source_removed = true;
  }
  TROVE_TRY(tx->commit());
  return res;
}

}  // namespace trove::index
