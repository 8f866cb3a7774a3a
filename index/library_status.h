// index/library_status.h — what `trove status` reports, read from the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "index/sqlite.h"

namespace trove::index {

struct SourceStatus {
  std::string root;
  int64_t documents = 0, chunks = 0, failed = 0;  // failed counts skipped files too
};

struct TypeStatus {
  std::string type;
  int64_t documents = 0, chunks = 0;
};

struct FailedFile {
  std::string path;
  std::string reason;
  std::string detail;
  bool kept_old_chunks = false;  // indexed before; old passages are still searchable
};

struct RunStatus {
  int64_t id = 0;
  int64_t started_at_ms = 0, ended_at_ms = 0;  // 0 when not ended
  // running|completed|failed|interrupted, or partial: completed, but `error` says what
  // it could not do (a source folder missing or empty, its documents kept).
  std::string status;
  int64_t files = 0, added = 0, updated = 0, unchanged = 0, moved = 0, removed = 0, failed = 0;
  // Every file is one of added/updated/unchanged/moved/failed/skipped, so the runs table
  // needs no column of its own for skipped files: it is what the others leave.
  int64_t skipped = 0;
  std::string error;
};

struct OcrStatus {
  int64_t pages = 0;           // pages in the OCR cache
  double seconds = 0;          // time spent recognising them
  int64_t pages_last_run = 0;  // recognised by the last run
  int64_t hits_last_run = 0;   // reused from the cache by the last run
};

struct LibraryStatus {
  int schema_version = 0;
  int64_t documents = 0, chunks = 0, failed = 0, skipped = 0;
  std::vector<SourceStatus> sources;
  std::vector<TypeStatus> types;
  std::vector<FailedFile> failures;  // failed documents, and ok ones whose last read failed
  std::vector<FailedFile> skipped_files;  // not documents (reason "skipped", detail why)
  std::optional<RunStatus> last_run;
  OcrStatus ocr;
  std::vector<RunStatus> recent_runs;  // newest first, at most kRecentRuns
  std::vector<std::string> exclusions;  // paths forgotten inside sources
};

inline constexpr int kRecentRuns = 5;

// A run still marked 'running' whose process is gone (no writer holds the lock) was
// interrupted: shown as such before the next run records it.
void mark_interrupted_if_no_writer(LibraryStatus& status, bool writer_running);

Result<LibraryStatus> library_status(Db& db);

}  // namespace trove::index
