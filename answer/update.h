// answer/update.h — update_library(): one `trove index` run as a single call.
//
//   answer::UpdateOptions o;  o.paths = {"~/notes"};
//   auto r = answer::update_library(paths, o, callbacks);
//   // r->summary (files added/updated/…), r->vectors (embedded/removed), r->vector_error
//
// Order: open (and migrate) the library → take the writer lock (fail fast, or wait)
// → open the embedding model (the --embed-model choice, else the registry default,
// else none: lexical only) → index the sources with chunks sized for that model →
// bring the vectors in step. An error means the run could not happen (library
// unusable, lock held, bad model). When only the vector step fails the lexical part
// is committed: the report says so in vector_error instead of failing the whole call.
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
  uint64_t max_file_size = 50ull << 20;
  std::string embed_model;  // registry name or .gguf path; "" = registry default
  bool reembed = false;
  std::string vector_index = "Flat";
  bool follow = false;  // index symlinks to regular files outside the source
};

struct UpdateCallbacks {
  std::function<void(const index::IndexProgress&)> on_progress;
  std::function<void(const index::FileFailure&)> on_failure;
  std::function<void(int64_t done, int64_t total)> on_embed_progress;
  std::function<void()> on_embed_start;  // the lexical part is done (e.g. clear a bar)
};

struct RunReport {
  index::IndexSummary summary;
  bool embedded = false;       // an embedding model took part
  std::string model_name;      // its name (when embedded)
  std::string no_model_reason;  // why not (when !embedded)
  index::VectorSyncStats vectors;
  std::string vector_error;  // the vector step failed; the lexical part is committed
  // The run completed for every source (no source folder missing, vectors in step).
  bool ok() const { return summary.source_errors.empty() && vector_error.empty(); }
};

Result<RunReport> update_library(const index::LibraryPaths& paths, const UpdateOptions& options,
                                 const UpdateCallbacks& callbacks = {});

}  // namespace trove::answer
