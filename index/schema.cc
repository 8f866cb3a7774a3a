// index/schema.cc — the migrations list (all DDL of the library lives here).
#include "index/schema.h"

#include "index/fts_rebuild.h"

#include <array>
#include <string>

namespace trove::index {
namespace {

// v1: the library proper.
// - documents.path is the absolute path, unique across sources; rel_path is relative
//   to the source root. status 'failed' rows have no chunks; an 'ok' row with
//   fail_reason set is a document whose last read failed but whose old chunks are
//   kept (see indexer.h).
// - chunks_fts is an external-content FTS5 table over a view, so text is stored once.
//   Triggers keep it in step with `chunks`. A chunk's FTS 'delete' needs the exact
//   indexed values, including its document's title, hence: documents cannot be deleted
//   while they have chunks (foreign key without cascade) and a title cannot change
//   while chunks exist (trigger below).
// - chunk ids are AUTOINCREMENT so an id is never reused: the vector store keys
//   vectors by chunk id and must never confuse a deleted chunk with a new one.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sources(
  id INTEGER PRIMARY KEY,
  root TEXT NOT NULL UNIQUE,
  added_at INTEGER NOT NULL
);

CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  started_at_ms INTEGER NOT NULL,
  ended_at_ms INTEGER,
  status TEXT NOT NULL DEFAULT 'running'
    CHECK(status IN ('running', 'completed', 'failed', 'interrupted')),
  files_seen INTEGER NOT NULL DEFAULT 0,
  added INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  moved INTEGER NOT NULL DEFAULT 0,
  removed INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  error TEXT
);

CREATE TABLE documents(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  path TEXT NOT NULL UNIQUE,
  rel_path TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  content_hash TEXT,
  type TEXT,
  title TEXT NOT NULL DEFAULT '',
  page_count INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK(status IN ('ok', 'failed')),
  fail_reason TEXT,
  fail_detail TEXT,
  indexed_at INTEGER NOT NULL,
  run_id INTEGER REFERENCES runs(id)
);
CREATE INDEX documents_by_source ON documents(source_id);
CREATE INDEX documents_by_hash ON documents(content_hash);

CREATE TABLE chunks(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  ordinal INTEGER NOT NULL,
  text TEXT NOT NULL,
  heading TEXT NOT NULL DEFAULT '',
  page_start INTEGER NOT NULL DEFAULT 0,
  page_end INTEGER NOT NULL DEFAULT 0,
  line_start INTEGER NOT NULL DEFAULT 0,
  line_end INTEGER NOT NULL DEFAULT 0,
  token_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE(document_id, ordinal)
);

CREATE TABLE failures(
  id INTEGER PRIMARY KEY,
  run_id INTEGER REFERENCES runs(id),
  path TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX failures_by_run ON failures(run_id);

CREATE VIEW chunks_fts_content AS
  SELECT c.id AS id, c.text AS text, c.heading AS heading, d.title AS title
  FROM chunks c JOIN documents d ON d.id = c.document_id;

CREATE VIRTUAL TABLE chunks_fts USING fts5(
  text, heading, title,
  content = 'chunks_fts_content', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts(rowid, text, heading, title)
  VALUES (new.id, new.text, new.heading,
          (SELECT title FROM documents WHERE id = new.document_id));
END;

CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, text, heading, title)
  VALUES ('delete', old.id, old.text, old.heading,
          (SELECT title FROM documents WHERE id = old.document_id));
END;

CREATE TRIGGER chunks_no_update BEFORE UPDATE OF text, heading, document_id ON chunks BEGIN
  SELECT RAISE(ABORT, 'chunks are immutable: delete and insert instead');
END;

CREATE TRIGGER documents_title_frozen BEFORE UPDATE OF title ON documents
WHEN old.title IS NOT new.title AND EXISTS (SELECT 1 FROM chunks WHERE document_id = old.id)
BEGIN
  SELECT RAISE(ABORT, 'document title changed while it has chunks');
END;
)sql";

// v2: make chunk deletions observable to the vector store (next issue). Every deleted
// chunk id is queued here in the same transaction as the delete; the vector store
// removes those ids from FAISS and clears the rows when it saves.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE pending_vector_deletes(
  chunk_id INTEGER PRIMARY KEY
);
CREATE TRIGGER chunks_queue_vector_delete AFTER DELETE ON chunks BEGIN
  INSERT OR IGNORE INTO pending_vector_deletes(chunk_id) VALUES (old.id);
END;
)sql";

// v3: embeddings. The database is the source of truth for every chunk's vector
// (float32, dim values, little endian); vectors.faiss is a cache rebuilt from these
// rows whenever its generation differs from meta.vector_generation. Rows go with
// their chunk (ON DELETE CASCADE); the model that made them is recorded in meta.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE chunk_vectors(
  chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
  vec BLOB NOT NULL
);
)sql";

// v4: documents inside a file (ingest/document.h DocumentPart): the messages of an mbox,
// the attachments of an e-mail. A part is a documents row of its own (chunks, title,
// citations) whose container_id is the file's row and part_key its stable identity in
// that file; its path is the file's path + '#' + label. `container` = 1 marks a file row
// that only holds parts (an mbox): it has no chunks and is not counted as a document.
constexpr std::string_view kV4 = R"sql(
ALTER TABLE documents ADD COLUMN container_id INTEGER REFERENCES documents(id);
ALTER TABLE documents ADD COLUMN part_key TEXT;
ALTER TABLE documents ADD COLUMN container INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX documents_parts ON documents(container_id, part_key)
  WHERE container_id IS NOT NULL;
)sql";

// v5: CJK-aware keyword search. The FTS table is recreated with the trove_cjk tokenizer
// (index/cjk_tokenizer.h: CJK runs as overlapping bigrams, everything else through the
// same porter/unicode61 chain as before) and refilled from the chunks once, in this
// migration's transaction, by rebuild_chunks_fts (progress line; a killed upgrade
// leaves v4 intact and runs again). Triggers as in v1.
constexpr std::string_view kV5 = R"sql(
DROP TRIGGER chunks_fts_insert;
DROP TRIGGER chunks_fts_delete;
DROP TABLE chunks_fts;
CREATE VIRTUAL TABLE chunks_fts USING fts5(
  text, heading, title,
  content = 'chunks_fts_content', content_rowid = 'id',
  tokenize = 'trove_cjk porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts(rowid, text, heading, title)
  VALUES (new.id, new.text, new.heading,
          (SELECT title FROM documents WHERE id = new.document_id));
END;
CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, text, heading, title)
  VALUES ('delete', old.id, old.text, old.heading,
          (SELECT title FROM documents WHERE id = old.document_id));
END;
)sql";

// v6: `trove forget PATH` inside a source is remembered: the indexer skips every file
// at or under an excluded path, so the next run does not bring it back. Removed by
// `trove unforget PATH`, by indexing exactly PATH, or with its source.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE exclusions(
  path TEXT PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  added_at INTEGER NOT NULL
);
CREATE INDEX exclusions_by_source ON exclusions(source_id);
)sql";

// v7: a re-embedding (`trove index --reembed`) writes the new model's vectors here,
// beside chunk_vectors, which keep serving search until the new set is complete and
// swapped in by one transaction. A killed re-embedding loses nothing.
constexpr std::string_view kV7 = R"sql(
CREATE TABLE chunk_vectors_next(
  chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
  vec BLOB NOT NULL
);
)sql";

// v8: OCR (ingest/ocr.h). Recognised pages are kept by the file's content hash and the
// language set, so an unchanged scan is never recognised twice — not after a move, a
// forget and re-index, or --reembed. `run_id` is the run that recognised the page,
// `hit_run_id` the last run that reused it (status shows both). Files that failed or
// were skipped before trove had OCR (scans without a text layer, page images) get the
// "OCR is off" wording, so the next run with OCR reads them once more.
constexpr std::string_view kV8 = R"sql(
CREATE TABLE ocr_pages(
  content_hash TEXT NOT NULL,
  languages TEXT NOT NULL,
  page INTEGER NOT NULL,
  text TEXT NOT NULL,
  confidence INTEGER NOT NULL,
  seconds REAL NOT NULL,
  run_id INTEGER,
  hit_run_id INTEGER,
  PRIMARY KEY (content_hash, languages, page)
) WITHOUT ROWID;
UPDATE documents SET fail_detail = 'no text layer (image-only?; OCR is off)'
  WHERE status = 'failed' AND fail_detail = 'no text layer (image-only?)';
UPDATE documents SET fail_detail = 'image (OCR is off)'
  WHERE status = 'failed' AND fail_reason = 'skipped' AND fail_detail IN
    ('binary content (PNG image)', 'binary content (JPEG image)', 'binary content (GIF image)');
)sql";

constexpr std::array kAll = {
    Migration{"library tables, FTS5 over chunks", kV1},
    Migration{"queue of deleted chunk ids for the vector store", kV2},
    Migration{"chunk embeddings", kV3},
    Migration{"documents inside files (mbox messages, attachments)", kV4},
    Migration{"CJK-aware keyword index (bigram tokenizer), rebuilt once", kV5,
              rebuild_chunks_fts},
    Migration{"paths forgotten inside sources", kV6},
    Migration{"staging table for re-embedding", kV7},
    Migration{"OCR page cache", kV8},
};

}  // namespace

std::span<const Migration> migrations() {
  return kAll;
}
int latest_schema_version() {
  return static_cast<int>(kAll.size());
}

Result<int> schema_version(Db& db) {
  auto v = query_int(db, "PRAGMA user_version");
  if (!v.ok()) return v.error();
  return static_cast<int>(*v);
}

namespace {

// Refuses a library written by a newer trove.
Status check_not_newer(const Db& db, int current) {
  const int known = latest_schema_version();
  if (current <= known) return {};
  return make_error("library " + db.path() + " has schema version " + std::to_string(current) +
                    " but this trove understands up to " + std::to_string(known) +
                    ": it was written by a newer trove; upgrade trove");
}

// Runs migration `v` (0-based: version v to v + 1) inside the caller's transaction.
Status apply_migration(Db& db, std::span<const Migration> list, int v) {
  const auto failed = [&](const std::string& why) {
    return make_error("migration " + std::to_string(v + 1) + " (" +
                      std::string(list[v].description) + ") failed: " + why);
  };
  if (auto st = db.exec(list[v].sql); !st.ok()) return failed(st.error().message);
  if (list[v].after) {
    if (auto after = list[v].after(db); !after.ok()) return failed(after.error().message);
  }
  return {};
}

}  // namespace

Status migrate(Db& db, std::span<const Migration> list) {
  // The version is read and every pending migration applied inside one BEGIN IMMEDIATE
  // transaction: two processes opening a brand-new library at once serialise on
  // SQLite's write lock (the second waits for the busy timeout) and the second sees the
  // version the first committed instead of re-running its DDL. One transaction for all
  // the steps, not one each, so a reader (`trove status` while `trove index` creates the
  // library) sees either no schema at all or the latest one, never a half-built one with
  // some tables missing; a killed upgrade leaves the previous version whole.
  // An up-to-date library is recognised without the write lock, so readers opening it
  // while `trove index` holds a long write transaction never wait.
  auto seen = schema_version(db);
  if (!seen.ok()) return seen.error();
  TROVE_TRY(check_not_newer(db, *seen));
  if (*seen >= static_cast<int>(list.size())) return {};
  auto tx = Transaction::begin(db);
  if (!tx.ok()) {
    return make_error("cannot lock library " + db.path() +
                      " to update its schema: " + tx.error().message);
  }
  auto current = schema_version(db);
  if (!current.ok()) return current.error();
  TROVE_TRY(check_not_newer(db, *current));
  if (*current >= static_cast<int>(list.size())) return {};  // another process did it
  for (int v = *current; v < static_cast<int>(list.size()); ++v) {
    TROVE_TRY(apply_migration(db, list, v));
  }
  TROVE_TRY(db.exec("PRAGMA user_version = " + std::to_string(list.size())));
  return tx->commit();
}

}  // namespace trove::index
