// index/store.h — every read and write of sources, documents, chunks, runs and
// failures (all of this module's DML lives in store.cc).
//
// Invariants the Store keeps (and tests check):
// - a document row and its chunks are written in the caller's one transaction, so a
//   crash leaves either the old state or the new one, never a document without its
//   chunks or chunks twice;
// - chunks are deleted only through delete_chunks_of(), before their document row;
//   schema triggers keep FTS5 in step and queue the ids in pending_vector_deletes.
// The write functions do not open transactions themselves: the indexer batches them.
//
// Thread-safety: one Store per Db, used from one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "index/sqlite.h"
#include "ingest/document.h"

namespace trove::index {

struct Source {
  int64_t id = 0;
  std::string root;
};

// What the indexer needs to decide "unchanged / touched / moved / changed".
struct StoredDocument {
  int64_t id = 0;
  std::string path;
  std::string rel_path;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string content_hash;  // "" for failed documents that were never read
  bool ok = false;           // status 'ok' (has chunks) vs 'failed'
  bool stale = false;        // ok, but the last attempt to re-read it failed
  std::string fail_reason;   // of a failed row ("skipped" for a file that is not a document)
  std::string fail_detail;
};

// A parsed file, or a document inside one (container_id != 0), ready to be stored.
struct DocumentWrite {
  int64_t source_id = 0;
  std::string path, rel_path;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string content_hash;
  ingest::DocType type = ingest::DocType::kUnknown;
  std::string title;
  int page_count = 0;
  bool container = false;    // a file row holding only parts (no chunks of its own)
  int64_t container_id = 0;  // a part: its file's row; path = file path + '#' + label
  std::string part_key;      // a part: its stable key in the file
};

// A document stored inside a file (see DocumentWrite::container_id).
struct StoredPart {
  int64_t id = 0;
  std::string key, label, content_hash;
};

struct FailureWrite {
  int64_t source_id = 0;
  std::string path, rel_path;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string reason;  // ingest::fail_reason_name()
  std::string detail;
};

struct RunCounts {
  int64_t files_seen = 0, added = 0, updated = 0, unchanged = 0, moved = 0, removed = 0, failed = 0;
};

class Store {
 public:
  explicit Store(Db& db) : db_(&db) {}

  // --- sources ---
  Result<std::vector<Source>> sources();
  Result<std::optional<Source>> find_source(const std::string& root);
  Result<int64_t> add_source(const std::string& root);
  // Deletes the source row; its documents must be gone already.
  Status delete_source(int64_t source_id);

  // --- documents ---
  Result<std::vector<StoredDocument>> documents_of(int64_t source_id);
  // Ids of documents whose path is `path` or lies under the folder `path`.
  Result<std::vector<int64_t>> documents_under(const std::string& path);

  // The parts stored inside the file row `container_id`, in no particular order.
  Result<std::vector<StoredPart>> parts_of(int64_t container_id);

  // Inserts or replaces (same path; for a part, same container and key) a document with
  // its chunks. Returns its id. A part whose path is taken by a row that is not that
  // part (a real file named "a.mbox#3") is refused with an error, nothing written.
  Result<int64_t> write_document(const DocumentWrite& doc, const std::vector<ingest::Chunk>& chunks,
                                 int64_t run_id);
  // The content did not change: remember the new stat so next run skips it.
  Status touch_document(int64_t id, uint64_t size, int64_t mtime_ns, int64_t run_id);
  // Same content under a new name: re-point the row and its parts; chunks and vectors stay.
  Status move_document(int64_t id, int64_t source_id, const std::string& path,
                       const std::string& rel_path, uint64_t size, int64_t mtime_ns,
                       int64_t run_id);
  // A file that never indexed (or was failed already): a 'failed' row without chunks.
  Status write_failed(const FailureWrite& f, int64_t run_id);
  // A file that indexed before but cannot be read/parsed now: keep its chunks, note why.
  Status mark_stale(int64_t id, const std::string& reason, const std::string& detail,
                    int64_t run_id);
  // Removes a document, its parts and their chunks (FTS and vector queue follow via
  // triggers).
  Status remove_document(int64_t id);

  // --- runs and the failure log ---
  Result<int64_t> begin_run();
  Status finish_run(int64_t run_id, const RunCounts& counts, std::string_view status,
                    const std::string& error);
  // A step after the file pass failed (e.g. the vectors): the run is 'failed', not
  // 'completed', and says why.
  Status mark_run_failed(int64_t run_id, const std::string& error);
  // Runs left 'running' by a killed process become 'interrupted' (call with the lock).
  Status close_abandoned_runs();
  Status log_failure(int64_t run_id, const std::string& path, const std::string& reason,
                     const std::string& detail);

 private:
  Status delete_chunks_of(int64_t document_id);
  Status remove_parts_of(int64_t document_id);
  Result<std::optional<int64_t>> find_document(const DocumentWrite& doc, bool* other_owner);
  Result<Stmt*> cached(int slot, std::string_view sql);

  Db* db_;  // not owned
  std::vector<Stmt> stmts_;
};

// " > "-joined heading path as stored in chunks.heading.
std::string join_heading_path(const std::vector<std::string>& path);

}  // namespace trove::index
