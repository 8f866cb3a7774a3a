// index/library_status.cc — the queries behind `trove status` (see library_status.h).
#include "index/library_status.h"

#include <algorithm>

#include "index/ocr_cache.h"
#include "index/schema.h"

#include <string>

namespace trove::index {
namespace {

constexpr std::string_view kSourcesSql =
    "SELECT s.root,"
    " (SELECT count(*) FROM documents d WHERE d.source_id = s.id AND d.status = 'ok'"
    "   AND d.container = 0),"
    " (SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id"
    "   WHERE d.source_id = s.id),"
    " (SELECT count(*) FROM documents d WHERE d.source_id = s.id"
    "   AND (d.status = 'failed' OR d.fail_reason IS NOT NULL)"
    "   AND NOT (d.status = 'failed' AND d.fail_reason = 'skipped'))"
    " FROM sources s ORDER BY s.root";

constexpr std::string_view kTypesSql =
    "SELECT d.type, count(DISTINCT d.id), count(c.id) FROM documents d"
    " LEFT JOIN chunks c ON c.document_id = d.id WHERE d.status = 'ok' AND d.container = 0"
    " GROUP BY d.type ORDER BY d.type";

constexpr std::string_view kFailuresSql =
    "SELECT path, coalesce(fail_reason, ''), coalesce(fail_detail, ''), status = 'ok'"
    " FROM documents WHERE status = 'failed' OR fail_reason IS NOT NULL ORDER BY path";

constexpr std::string_view kLastRunSql =
    "SELECT id, started_at_ms, coalesce(ended_at_ms, 0), status, files_seen, added, updated,"
    " unchanged, moved, removed, failed, coalesce(error, '') FROM runs ORDER BY id DESC LIMIT 5";

template <class F>
Status for_each_row(Db& db, std::string_view sql, F&& f) {
  auto s = db.prepare(sql);
  if (!s.ok()) return s.error();
  for (;;) {
    auto row = s->step();
    if (!row.ok()) return row.error();
    if (!*row) return {};
    f(*s);
  }
}

}  // namespace

Result<LibraryStatus> library_status(Db& db) {
  LibraryStatus st;
  // The version is read inside the snapshot the tables are read from: version 0 is a
  // library another process is creating right now (its schema commits all at once, see
  // migrate()), which holds nothing yet: an empty library, not an error.
  auto snapshot = ReadTransaction::begin(db);
  if (!snapshot.ok()) return snapshot.error();
  auto v = schema_version(db);
  if (!v.ok()) return v.error();
  st.schema_version = *v;
  if (st.schema_version == 0) return st;
  TROVE_TRY(for_each_row(db, kSourcesSql, [&](Stmt& s) {
    st.sources.push_back({s.column_text(0), s.column_int(1), s.column_int(2), s.column_int(3)});
  }));
  TROVE_TRY(for_each_row(db, kTypesSql, [&](Stmt& s) {
    st.types.push_back({s.column_text(0), s.column_int(1), s.column_int(2)});
    st.documents += s.column_int(1);
    st.chunks += s.column_int(2);
  }));
  TROVE_TRY(for_each_row(db, kFailuresSql, [&](Stmt& s) {
    FailedFile f{s.column_text(0), s.column_text(1), s.column_text(2), s.column_int(3) != 0};
    bool skip = !f.kept_old_chunks && f.reason == "skipped";
    (skip ? st.skipped_files : st.failures).push_back(std::move(f));
  }));
  st.failed = static_cast<int64_t>(st.failures.size());
  st.skipped = static_cast<int64_t>(st.skipped_files.size());
  TROVE_TRY(for_each_row(db, kLastRunSql, [&](Stmt& s) {
    RunStatus r;
    r.id = s.column_int(0);
    r.started_at_ms = s.column_int(1);
    r.ended_at_ms = s.column_int(2);
    r.status = s.column_text(3);
    r.files = s.column_int(4);
    r.added = s.column_int(5);
    r.updated = s.column_int(6);
    r.unchanged = s.column_int(7);
    r.moved = s.column_int(8);
    r.removed = s.column_int(9);
    r.failed = s.column_int(10);
    r.error = s.column_text(11);
    // A run that completed but recorded what it could not do (index_sources) was
    // partial, as its exit code (3) said: never shown as a plain success.
    if (r.status == "completed" && !r.error.empty()) r.status = "partial";
    r.skipped = std::max<int64_t>(
        0, r.files - r.added - r.updated - r.unchanged - r.moved - r.failed);
    if (!st.last_run) st.last_run = r;
    st.recent_runs.push_back(std::move(r));
  }));
  TROVE_TRY(for_each_row(db, "SELECT path FROM exclusions ORDER BY path",
                         [&](Stmt& s) { st.exclusions.push_back(s.column_text(0)); }));
  if (st.schema_version >= 8) {
    auto o = ocr_totals(db, st.last_run ? st.last_run->id : 0);
    if (!o.ok()) return o.error();
    st.ocr = {o->pages, o->seconds, o->pages_last_run, o->hits_last_run};
  }
  return st;
}

void mark_interrupted_if_no_writer(LibraryStatus& status, bool writer_running) {
  if (writer_running) return;
  for (auto& r : status.recent_runs)
    if (r.status == "running") r.status = "interrupted";
  if (status.last_run && status.last_run->status == "running")
    status.last_run->status = "interrupted";
}

}  // namespace trove::index
