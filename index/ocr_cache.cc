// index/ocr_cache.cc — see ocr_cache.h.
#include "index/ocr_cache.h"

namespace trove::index {

LibraryOcrCache::LibraryOcrCache(const std::string& db_path) {
  auto db = Db::open(db_path, OpenMode::kReadOnly);
  if (db.ok()) db_ = std::move(*db);
}

std::vector<ingest::OcrPage> LibraryOcrCache::lookup(std::string_view content_hash,
                                                     std::string_view languages) const {
  std::vector<ingest::OcrPage> out;
  std::lock_guard lk(mu_);
  if (!db_) return out;
  auto st = db_->prepare(
      "SELECT page, text, confidence, seconds FROM ocr_pages"
      " WHERE content_hash = ?1 AND languages = ?2 ORDER BY page");
  if (!st.ok()) return out;  // a library from before v8 (read by an old writer): no cache
  st->bind(1, content_hash).bind(2, languages);
  for (;;) {
    auto row = st->step();
    if (!row.ok() || !*row) break;
    ingest::OcrPage p;
    p.page = static_cast<int>(st->column_int(0));
    p.text = st->column_text(1);
    p.confidence = static_cast<int>(st->column_int(2));
    p.seconds = st->column_double(3);
    out.push_back(std::move(p));
  }
  return out;
}

Status store_ocr_pages(Db& db, const std::string& content_hash, const std::string& languages,
                       const std::vector<ingest::OcrPage>& pages, int64_t run_id) {
  if (pages.empty()) return {};
  auto put = db.prepare(
      "INSERT INTO ocr_pages(content_hash, languages, page, text, confidence, seconds, run_id)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
      " ON CONFLICT(content_hash, languages, page) DO UPDATE SET text = excluded.text,"
      " confidence = excluded.confidence, seconds = excluded.seconds, run_id = excluded.run_id");
  if (!put.ok()) return put.error();
  auto hit = db.prepare(
      "UPDATE ocr_pages SET hit_run_id = ?4 WHERE content_hash = ?1 AND languages = ?2"
      " AND page = ?3");
  if (!hit.ok()) return hit.error();
  for (const ingest::OcrPage& p : pages) {
    Stmt& s = p.from_cache ? *hit : *put;
    s.bind(1, content_hash).bind(2, languages).bind(3, p.page);
    if (p.from_cache) {
      s.bind(4, run_id);
    } else {
      s.bind(4, p.text).bind(5, p.confidence).bind(6, p.seconds).bind(7, run_id);
    }
    TROVE_TRY(s.run());
  }
  return {};
}

Result<OcrTotals> ocr_totals(Db& db, int64_t last_run_id) {
  OcrTotals t;
  auto st = db.prepare(
      "SELECT count(*), coalesce(sum(seconds), 0), coalesce(sum(run_id = ?1), 0),"
      " coalesce(sum(hit_run_id = ?1), 0) FROM ocr_pages");
  if (!st.ok()) return st.error();
  st->bind(1, last_run_id);
  auto row = st->step();
  if (!row.ok()) return row.error();
  if (*row) {
    t.pages = st->column_int(0);
    t.seconds = st->column_double(1);
    t.pages_last_run = st->column_int(2);
    t.hits_last_run = st->column_int(3);
  }
  return t;
}

}  // namespace trove::index
