// answer/update.h — update_library(): one `trove index` run as a single call.
//
//   answer::UpdateOptions o;  o.paths = {"~/notes"};
//   auto r = answer::update_library(paths, o, callbacks);
//   // r->summary (files added/updated/…), r->vectors (embedded/removed), r->vector_error
//
// Order: open (and migrate) the library → take the writer lock (fail fast, or wait)
// → open the embedding model (the --embed-model choice, else the registry default,
// else none: lexical only) → index the sources with chunks sized for that model →
// bring the vectors in step. An error means the run could not happen: the request is
// refused before anything is written (nothing to index, a bad PATH, an --embed-model
// that names nothing, a --vector-index factory that cannot be built), the lock is
// held, or the library is unusable; `refusal` (when given) says which.
// A missing, changed or broken embedding model does NOT stop the run: the text is
// indexed (chunks sized by words), vector_error says why the vectors were not
// updated, and the run is recorded as failed with that reason. When only the vector
// step fails the lexical part is committed the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "index/indexer.h"
#include "index/library.h"
#include "index/vector_sync.h"

namespace trove::answer {

struct UpdateOptions {
  std::vector<std::string> paths;  // folders to index; empty: every registered source
  bool wait_for_lock = false;      // wait for a running writer instead of failing
  bool allow_empty = false;        // an empty/missing source folder forgets its documents
  uint64_t max_file_size = 50ull << 20;
  std::string embed_model;  // registry name or .gguf path; "" = registry default
  bool reembed = false;
  std::string vector_index;          // FAISS factory; "" keeps the library's (Flat for a new one)
  bool follow = false;  // index symlinks to regular files outside the source
  ingest::ParseBudget parse_budget;  // per-file parse time and memory (ingest/parse_budget.h)
  bool ocr = true;  // scanned PDF pages and page images through Tesseract
  // Tesseract languages ("eng+deu"); "" = the library's setting (kept from the last run
  // that gave one), else "eng". A value given is checked, then kept as the setting.
  std::string ocr_languages;
};

// Why update_library() returned an error, for exit codes and --json.
struct UpdateRefusal {
  enum class Kind {
    kUsage,    // the request: nothing changed
    kLocked,   // another writer holds the library (holder_pid says who, "" unknown)
    kLibrary,  // the library cannot be opened, read or written
  };
  Kind kind = Kind::kLibrary;
  std::string holder_pid;
};

struct UpdateCallbacks {
  std::function<void(const index::IndexProgress&)> on_progress;
  std::function<void(const index::FileFailure&)> on_failure;
  std::function<void(const index::FileFailure&)> on_skip;  // not a document (image, binary…)
  std::function<void(int64_t done, int64_t total)> on_embed_progress;
  std::function<void()> on_embed_start;  // the lexical part is done (e.g. clear a bar)
};

struct RunReport {
  index::IndexSummary summary;
  bool embedded = false;        // an embedding model took part
  std::string model_name;       // its name (when embedded)
  std::string no_model_reason;  // why not (when !embedded)
  index::VectorSyncStats vectors;
  std::string vector_error;    // the vector step failed; the lexical part is committed
  bool model_problem = false;  // vector_error is about the embedding model itself
  // The run completed for every source (no source folder missing, vectors in step).
  bool ok() const { return summary.source_errors.empty() && vector_error.empty(); }
  // Not everything got done: !ok(), or a new or changed file failed in this run (old
  // failures of unchanged files do not count: they are listed by `trove status`).
  bool partial() const { return !ok() || !summary.failures.empty(); }
};

Result<RunReport> update_library(const index::LibraryPaths& paths, const UpdateOptions& options,
                                 const UpdateCallbacks& callbacks = {},
                                 UpdateRefusal* refusal = nullptr);

}  // namespace trove::answer
