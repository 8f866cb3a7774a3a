// index/indexer.h — bringing the library up to date with its source folders.
//
//   auto lock = LockFile::acquire(paths.lock, LockWait::kFailFast);   // caller's job
//   auto db = open_library(paths);
//   auto summary = index_sources(*db, {.paths = {"/home/me/notes"}}, callbacks);
//
// Per file: same size and mtime as stored → unchanged (one stat, no read). Otherwise
// the file is read and hashed: same hash → only the stat is updated; the hash of a
// document that vanished from its old path in this run → the row is moved (no parse,
// chunk ids and vectors survive); else parse + chunk + store. Documents of a walked
// source that were not seen are removed with their chunks. A source whose root cannot
// be walked (unmounted disk), or is empty while the library holds documents from it,
// keeps all its documents and is reported in source_errors (see allow_empty).
//
// Files holding several documents (ingest::DocumentPart: mbox messages, attachments):
// each part is a document row of its own under the file's row, identified by its key;
// parts the parser reports unchanged keep their rows, chunk ids and vectors, parts the
// file no longer has are removed. Moving or removing the file moves or removes them.
//
// Failures: a file that never indexed gets a 'failed' document row (reason + detail)
// and is not re-read until its size or mtime changes. A file that indexed before and
// now cannot be read or parsed KEEPS its old chunks (still searchable: losing a note
// because a disk hiccuped is worse than a stale passage); its row is marked with the
// failure reason, which `trove status` lists, and it is retried on every run.
//
// Durability: results are stored in transactions of at most `batch_files` documents
// or `batch_seconds`; a document row is always written with its chunks. A process
// killed at any point loses at most the batch in flight and the next run finishes the
// work without duplicates (every step is idempotent given the stored state).
//
// Threads: one worker reads, hashes, parses and chunks while the calling thread writes
// to SQLite. Callbacks run on the calling thread. The caller must hold the library's
// LockFile (index/lock_file.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "index/sqlite.h"
#include "ingest/chunker.h"
#include "ingest/parse_budget.h"
#include "ingest/token_counter.h"

namespace trove::index {

struct IndexOptions {
  // Folders to index; they become sources the first time. A path inside a registered
  // source re-indexes that source. Empty: every registered source.
  std::vector<std::string> paths;
  uint64_t max_file_size = 50ull << 20;
  bool include_hidden = false;
  bool follow = false;  // --follow: index symlinks to regular files outside the source
  // A source folder that is empty (or missing) while the library holds documents from
  // it is normally an unmounted disk: its documents are kept and the source is listed
  // in source_errors. true: the folder is empty on purpose; forget its documents.
  bool allow_empty = false;
  int batch_files = 32;
  double batch_seconds = 2.0;
  ingest::ChunkOptions chunk;
  // Time and memory each file's parse may take (ingest/parse_budget.h); a file over it
  // is recorded failed ("over-budget") and not retried until it changes.
  ingest::ParseBudget parse_budget;
  // OCR of scans and page images: on/off and languages (ingest/ocr.h); the cache is the
  // library's own (index/ocr_cache.h), set up by index_sources.
  bool ocr = true;
  std::string ocr_languages = "eng";
  const ingest::TokenCounter* counter = nullptr;  // null: ingest::WordTokenCounter
};

struct IndexProgress {
  int64_t files_done = 0, files_total = 0;
  uint64_t bytes_done = 0, bytes_total = 0;  // bytes of files that needed reading
  int64_t ocr_pages = 0;  // pages recognised so far in this run (not cache hits)
};

struct FileFailure {
  std::string path;
  std::string reason;  // ingest::fail_reason_name(), e.g. "encrypted"
  std::string detail;
};

struct IndexSummary {
  int64_t run_id = 0;
  // Every file seen is exactly one of added/updated/unchanged/moved/failed/skipped.
  // Skipped: not a document at all (image, binary, archive, empty file; reason
  // "skipped"), recorded like a failure but counted apart.
  int64_t files = 0, added = 0, updated = 0, unchanged = 0, moved = 0, failed = 0, skipped = 0;
  int64_t removed = 0;  // documents whose file is gone
  // Documents inside files (mbox messages, attachments): parsed and stored, kept
  // because unchanged (not parsed again), removed because their file no longer has them.
  int64_t parts_written = 0, parts_unchanged = 0, parts_removed = 0;
  double seconds = 0;
  std::vector<FileFailure> failures;       // failures found in this run
  std::vector<FileFailure> skips;          // files skipped in this run (detail says why)
  std::vector<std::string> source_errors;  // sources that could not be walked
};

struct IndexCallbacks {
  std::function<void(const IndexProgress&)> on_progress;  // at most ~20 times a second
  std::function<void(const FileFailure&)> on_failure;
  std::function<void(const FileFailure&)> on_skip;
};

inline constexpr std::string_view kNothingToIndex =
    "nothing to index: give a path or run `trove index PATH` once";

// Checks a request before anything is written: "" when it can run, else what is
// wrong with it (no source and no PATH, a PATH that is not a folder, contains a
// source, or lies inside a forgotten folder). Callers report these as usage errors.
Result<std::string> index_request_problem(Db& db, const IndexOptions& options);

// Returns an error only when the library itself fails (database error, disk full)
// or the request is refused (see index_request_problem); problems with single files
// end up in the summary. Exclusions (index/exclusions.h) are honoured; indexing
// exactly a forgotten path removes its exclusion.
Result<IndexSummary> index_sources(Db& db, const IndexOptions& options,
                                   const IndexCallbacks& callbacks = {});

}  // namespace trove::index
