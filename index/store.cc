// index/store.cc — the SQL behind Store (see store.h). All statements are in kSql.
#include "index/store.h"

#include <array>
#include <chrono>

namespace trove::index {
namespace {

enum Q : int {
  kSources,
  kFindSource,
  kAddSource,
  kDeleteSource,
  kDocumentsOf,
  kDocumentsUnder,
  kDocumentIdByPath,
  kInsertDocument,
  kUpdateDocument,
  kInsertChunk,
  kDeleteChunks,
  kTouch,
  kMove,
  kUpsertFailed,
  kMarkStale,
  kDeleteDocument,
  kBeginRun,
  kFinishRun,
  kCloseAbandoned,
  kLogFailure,
  kPartsOf,
  kPartIdByKey,
  kDocumentOwnerByPath,
  kMoveParts,
  kMarkRunFailed,
  kCount
};

constexpr std::array<std::string_view, kCount> kSql = {
    /* kSources */ "SELECT id, root FROM sources ORDER BY root",
    /* kFindSource */ "SELECT id, root FROM sources WHERE root = ?1",
    /* kAddSource */ "INSERT INTO sources(root, added_at) VALUES (?1, ?2)",
    /* kDeleteSource */ "DELETE FROM sources WHERE id = ?1",
    /* kDocumentsOf */
    "SELECT id, path, rel_path, size, mtime_ns, coalesce(content_hash, ''), status = 'ok',"
    " fail_reason IS NOT NULL, coalesce(fail_reason, ''), coalesce(fail_detail, '')"
    " FROM documents WHERE source_id = ?1"
    " AND container_id IS NULL",
    // GLOB, not LIKE: paths may hold '%' and '_'; the folder prefix is matched by
    // substr so no character in it is special.
    /* kDocumentsUnder */
    "SELECT id FROM documents WHERE container_id IS NULL AND (path = ?1"
    " OR substr(path, 1, length(?1) + 1) = ?1 || '/')",
    /* kDocumentIdByPath */ "SELECT id FROM documents WHERE path = ?1",
    /* kInsertDocument */
    "INSERT INTO documents(source_id, path, rel_path, size, mtime_ns, content_hash, type,"
    " title, page_count, status, indexed_at, run_id, container, container_id, part_key)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'ok', ?10, ?11, ?13, ?14, ?15)",
    /* kUpdateDocument */
    "UPDATE documents SET source_id = ?1, rel_path = ?3, size = ?4, mtime_ns = ?5,"
    " content_hash = ?6, type = ?7, title = ?8, page_count = ?9, status = 'ok',"
    " fail_reason = NULL, fail_detail = NULL, indexed_at = ?10, run_id = ?11, container = ?13,"
    " container_id = ?14, part_key = ?15, path = ?2 WHERE id = ?12",
    /* kInsertChunk */
    "INSERT INTO chunks(document_id, ordinal, text, heading, page_start, page_end,"
    " line_start, line_end, token_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    /* kDeleteChunks */ "DELETE FROM chunks WHERE document_id = ?1",
    /* kTouch */
    "UPDATE documents SET size = ?2, mtime_ns = ?3, fail_reason = NULL, fail_detail = NULL,"
    " run_id = ?4 WHERE id = ?1",
    /* kMove */
    "UPDATE documents SET path = ?2, rel_path = ?3, size = ?4, mtime_ns = ?5,"
    " fail_reason = NULL, fail_detail = NULL, run_id = ?6, source_id = ?7 WHERE id = ?1",
    /* kUpsertFailed */
    "INSERT INTO documents(source_id, path, rel_path, size, mtime_ns, status, fail_reason,"
    " fail_detail, indexed_at, run_id) VALUES (?1, ?2, ?3, ?4, ?5, 'failed', ?6, ?7, ?8, ?9)"
    " ON CONFLICT(path) DO UPDATE SET source_id = excluded.source_id,"
    " rel_path = excluded.rel_path, size = excluded.size, mtime_ns = excluded.mtime_ns,"
    " content_hash = NULL, type = NULL, status = 'failed', fail_reason = excluded.fail_reason,"
    " fail_detail = excluded.fail_detail, indexed_at = excluded.indexed_at,"
    " run_id = excluded.run_id",
    /* kMarkStale */
    "UPDATE documents SET fail_reason = ?2, fail_detail = ?3, run_id = ?4 WHERE id = ?1",
    /* kDeleteDocument */ "DELETE FROM documents WHERE id = ?1",
    /* kBeginRun */ "INSERT INTO runs(started_at_ms) VALUES (?1)",
    /* kFinishRun */
    "UPDATE runs SET ended_at_ms = ?2, status = ?3, files_seen = ?4, added = ?5, updated = ?6,"
    " unchanged = ?7, moved = ?8, removed = ?9, failed = ?10, error = ?11 WHERE id = ?1",
    /* kCloseAbandoned */ "UPDATE runs SET status = 'interrupted' WHERE status = 'running'",
    /* kLogFailure */
    "INSERT INTO failures(run_id, path, reason, detail) VALUES (?1, ?2, ?3, ?4)",
    /* kPartsOf */
    "SELECT id, part_key, substr(path, length((SELECT path FROM documents WHERE id = ?1)) + 2),"
    " coalesce(content_hash, '') FROM documents WHERE container_id = ?1",
    /* kPartIdByKey */ "SELECT id FROM documents WHERE container_id = ?1 AND part_key = ?2",
    /* kDocumentOwnerByPath */
    "SELECT id, coalesce(container_id, 0), coalesce(part_key, '') FROM documents WHERE path = ?1",
    // Runs before the file row moves: the old prefix is read from it.
    /* kMoveParts */
    "UPDATE documents SET source_id = ?4, run_id = ?5,"
    " path = ?2 || substr(path, (SELECT length(path) FROM documents WHERE id = ?1) + 1),"
    " rel_path = ?3 || substr(rel_path, (SELECT length(rel_path) FROM documents WHERE id = ?1) + 1)"
    " WHERE container_id = ?1",
    /* kMarkRunFailed */
    "UPDATE runs SET status = 'failed', error = ?2,"
    " ended_at_ms = coalesce(ended_at_ms, ?3) WHERE id = ?1",
};

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
int64_t now_s() {
  return now_ms() / 1000;
}

int64_t as_i64(uint64_t v) {
  return static_cast<int64_t>(v);
}

}  // namespace

std::string join_heading_path(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& h : path) {
    if (!out.empty()) out += " > ";
    out += h;
  }
  return out;
}

Result<Stmt*> Store::cached(int slot, std::string_view sql) {
  if (stmts_.empty()) stmts_.resize(kCount);
  Stmt& s = stmts_[static_cast<size_t>(slot)];
  if (!s.handle()) {
    auto p = db_->prepare(sql);
    if (!p.ok()) return p.error();
    s = std::move(*p);
  }
  s.reset();
  return &s;
}

#define TROVE_STMT(var, q)                   \
  auto var##_r = cached(q, kSql[q]);         \
  if (!var##_r.ok()) return var##_r.error(); \
  Stmt& var = **var##_r  // NOLINT(bugprone-macro-parentheses): var is the declared name

Result<std::vector<Source>> Store::sources() {
  TROVE_STMT(s, kSources);
  std::vector<Source> out;
  for (;;) {
    auto row = s.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back({s.column_int(0), s.column_text(1)});
  }
  s.reset();
  return out;
}

Result<std::optional<Source>> Store::find_source(const std::string& root) {
  TROVE_STMT(s, kFindSource);
  s.bind(1, root);
  auto row = s.step();
  if (!row.ok()) return row.error();
  std::optional<Source> out;
  if (*row) out = Source{s.column_int(0), s.column_text(1)};
  s.reset();
  return out;
}

Result<int64_t> Store::add_source(const std::string& root) {
  TROVE_STMT(s, kAddSource);
  TROVE_TRY(s.bind(1, root).bind(2, now_s()).run());
  return db_->last_insert_rowid();
}

Status Store::delete_source(int64_t source_id) {
  TROVE_STMT(s, kDeleteSource);
  return s.bind(1, source_id).run();
}

Result<std::vector<StoredDocument>> Store::documents_of(int64_t source_id) {
  TROVE_STMT(s, kDocumentsOf);
  s.bind(1, source_id);
  std::vector<StoredDocument> out;
  for (;;) {
    auto row = s.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    StoredDocument d;
    d.id = s.column_int(0);
    d.path = s.column_text(1);
    d.rel_path = s.column_text(2);
    d.size = static_cast<uint64_t>(s.column_int(3));
    d.mtime_ns = s.column_int(4);
    d.content_hash = s.column_text(5);
    d.ok = s.column_int(6) != 0;
    d.stale = d.ok && s.column_int(7) != 0;
    d.fail_reason = s.column_text(8);
    d.fail_detail = s.column_text(9);
    out.push_back(std::move(d));
  }
  s.reset();
  return out;
}

Result<std::vector<int64_t>> Store::documents_under(const std::string& path) {
  TROVE_STMT(s, kDocumentsUnder);
  s.bind(1, path);
  std::vector<int64_t> out;
  for (;;) {
    auto row = s.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(s.column_int(0));
  }
  s.reset();
  return out;
}

Status Store::delete_chunks_of(int64_t document_id) {
  TROVE_STMT(s, kDeleteChunks);
  return s.bind(1, document_id).run();
}

Result<std::vector<StoredPart>> Store::parts_of(int64_t container_id) {
  TROVE_STMT(s, kPartsOf);
  s.bind(1, container_id);
  std::vector<StoredPart> out;
  for (;;) {
    auto row = s.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back({s.column_int(0), s.column_text(1), s.column_text(2), s.column_text(3)});
  }
  s.reset();
  return out;
}

// The row `doc` replaces: for a part, the one with its container and key; for a file,
// the one at its path. *other_owner is set when the path is held by a different row.
Result<std::optional<int64_t>> Store::find_document(const DocumentWrite& doc, bool* other_owner) {
  std::optional<int64_t> existing;
  *other_owner = false;
  if (doc.container_id != 0) {
    TROVE_STMT(find, kPartIdByKey);
    find.bind(1, doc.container_id).bind(2, doc.part_key);
    auto row = find.step();
    if (!row.ok()) return row.error();
    if (*row) existing = find.column_int(0);
    find.reset();
  }
  TROVE_STMT(owner, kDocumentOwnerByPath);
  owner.bind(1, doc.path);
  auto row = owner.step();
  if (!row.ok()) return row.error();
  if (*row) {
    int64_t at_path = owner.column_int(0);
    if (doc.container_id == 0) {
      existing = at_path;
    } else if (!existing || *existing != at_path) {
      *other_owner = true;
    }
  }
  owner.reset();
  return existing;
}

Result<int64_t> Store::write_document(const DocumentWrite& doc,
                                      const std::vector<ingest::Chunk>& chunks, int64_t run_id) {
  bool other_owner = false;
  auto found = find_document(doc, &other_owner);
  if (!found.ok()) return found.error();
  if (other_owner) {
    return make_error(doc.path + ": another document already has this path; part not stored");
  }
  std::optional<int64_t> existing = *found;
  int64_t id = 0;
  auto bind_common = [&](Stmt& s) {
    s.bind(1, doc.source_id).bind(2, doc.path).bind(3, doc.rel_path).bind(4, as_i64(doc.size));
    s.bind(5, doc.mtime_ns).bind(6, doc.content_hash).bind(7, ingest::doc_type_name(doc.type));
    s.bind(8, doc.title).bind(9, doc.page_count).bind(10, now_s()).bind(11, run_id);
    s.bind(13, doc.container ? 1 : 0);
    if (doc.container_id != 0) {
      s.bind(14, doc.container_id).bind(15, doc.part_key);
    } else {
      s.bind_null(14).bind_null(15);
    }
  };
  if (existing) {
    // Old chunks go first: their FTS 'delete' must see the title they were indexed with.
    TROVE_TRY(delete_chunks_of(*existing));
    TROVE_STMT(up, kUpdateDocument);
    bind_common(up);
    up.bind(12, *existing);
    TROVE_TRY(up.run());
    id = *existing;
  } else {
    TROVE_STMT(ins, kInsertDocument);
    bind_common(ins);
    TROVE_TRY(ins.run());
    id = db_->last_insert_rowid();
  }
  TROVE_STMT(ch, kInsertChunk);
  for (const auto& c : chunks) {
    ch.bind(1, id).bind(2, c.ordinal).bind(3, c.text).bind(4, join_heading_path(c.heading_path));
    ch.bind(5, c.page_start).bind(6, c.page_end).bind(7, c.line_start).bind(8, c.line_end);
    ch.bind(9, c.token_count);
    TROVE_TRY(ch.run());
  }
  return id;
}

Status Store::touch_document(int64_t id, uint64_t size, int64_t mtime_ns, int64_t run_id) {
  TROVE_STMT(s, kTouch);
  return s.bind(1, id).bind(2, as_i64(size)).bind(3, mtime_ns).bind(4, run_id).run();
}

Status Store::move_document(int64_t id, int64_t source_id, const std::string& path,
                            const std::string& rel_path, uint64_t size, int64_t mtime_ns,
                            int64_t run_id) {
  {
    // A failed or older row already at the target path gives way to the moved one.
    TROVE_STMT(find, kDocumentIdByPath);
    find.bind(1, path);
    auto row = find.step();
    if (!row.ok()) return row.error();
    std::optional<int64_t> existing;
    if (*row) existing = find.column_int(0);
    find.reset();
    if (existing && *existing != id) TROVE_TRY(remove_document(*existing));
  }
  {
    TROVE_STMT(parts, kMoveParts);
    parts.bind(1, id).bind(2, path).bind(3, rel_path).bind(4, source_id).bind(5, run_id);
    TROVE_TRY(parts.run());
  }
  TROVE_STMT(s, kMove);
  s.bind(1, id).bind(2, path).bind(3, rel_path).bind(4, as_i64(size)).bind(5, mtime_ns);
  return s.bind(6, run_id).bind(7, source_id).run();
}

Status Store::write_failed(const FailureWrite& f, int64_t run_id) {
  {
    // A failed row has no chunks; if an ok row at this path had some they go first.
    TROVE_STMT(find, kDocumentIdByPath);
    find.bind(1, f.path);
    auto row = find.step();
    if (!row.ok()) return row.error();
    std::optional<int64_t> existing;
    if (*row) existing = find.column_int(0);
    find.reset();
    if (existing) {
      TROVE_TRY(remove_parts_of(*existing));
      TROVE_TRY(delete_chunks_of(*existing));
    }
  }
  TROVE_STMT(s, kUpsertFailed);
  s.bind(1, f.source_id).bind(2, f.path).bind(3, f.rel_path).bind(4, as_i64(f.size));
  s.bind(5, f.mtime_ns).bind(6, f.reason).bind(7, f.detail).bind(8, now_s()).bind(9, run_id);
  return s.run();
}

Status Store::mark_stale(int64_t id, const std::string& reason, const std::string& detail,
                         int64_t run_id) {
  TROVE_STMT(s, kMarkStale);
  return s.bind(1, id).bind(2, reason).bind(3, detail).bind(4, run_id).run();
}

Status Store::remove_parts_of(int64_t id) {
  auto parts = parts_of(id);
  if (!parts.ok()) return parts.error();
  for (const StoredPart& p : *parts) {
    TROVE_TRY(delete_chunks_of(p.id));
    TROVE_STMT(s, kDeleteDocument);
    TROVE_TRY(s.bind(1, p.id).run());
  }
  return {};
}

Status Store::remove_document(int64_t id) {
  TROVE_TRY(remove_parts_of(id));
  TROVE_TRY(delete_chunks_of(id));
  TROVE_STMT(s, kDeleteDocument);
  return s.bind(1, id).run();
}

Result<int64_t> Store::begin_run() {
  TROVE_STMT(s, kBeginRun);
  TROVE_TRY(s.bind(1, now_ms()).run());
  return db_->last_insert_rowid();
}

Status Store::finish_run(int64_t run_id, const RunCounts& c, std::string_view status,
                         const std::string& error) {
  TROVE_STMT(s, kFinishRun);
  s.bind(1, run_id).bind(2, now_ms()).bind(3, status).bind(4, c.files_seen).bind(5, c.added);
  s.bind(6, c.updated).bind(7, c.unchanged).bind(8, c.moved).bind(9, c.removed);
  s.bind(10, c.failed);
  if (error.empty()) {
    s.bind_null(11);
  } else {
    s.bind(11, error);
  }
  return s.run();
}

Status Store::close_abandoned_runs() {
  TROVE_STMT(s, kCloseAbandoned);
  return s.run();
}

Status Store::log_failure(int64_t run_id, const std::string& path, const std::string& reason,
                          const std::string& detail) {
  TROVE_STMT(s, kLogFailure);
  return s.bind(1, run_id).bind(2, path).bind(3, reason).bind(4, detail).run();
}

Status Store::mark_run_failed(int64_t run_id, const std::string& error) {
  TROVE_STMT(s, kMarkRunFailed);
  return s.bind(1, run_id).bind(2, error).bind(3, now_ms()).run();
}

#undef TROVE_STMT

}  // namespace trove::index
