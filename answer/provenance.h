// answer/provenance.h — the provenance log: what every answer (and `search --log`)
// was built from, so it can be traced and replayed later.
//
// One JSON object per line in $TROVE_HOME/provenance.jsonl (0600, like everything in
// the library): time, question, retrieval mode and parameters, the chunks (id, path,
// span, SHA-256 of their stored text), the embedding model (name, file SHA-256), the
// answer model (name, path, file SHA-256), sampler settings and seed, the prompt's
// SHA-256, the answer as generated and shown, and every sentence's verdict.
//
// Append-only and crash-safe: each record is one write(2) to an O_APPEND file under
// flock, then fsync; a record cut short by a crash is a line that does not parse,
// which readers skip and count (the next append starts on a fresh line). Nothing
// rewrites earlier records; clear_log() removes the file.
//
// Replay re-runs a recorded ask on the same chunks (by id, their current text) with
// the same model file and settings, and says whether the answer is byte-identical —
// it is for greedy decoding, and for sampling with the same seed — and which chunks
// have changed or vanished since.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "answer/answer.h"
#include "core/result.h"
#include "index/library.h"

namespace trove::answer {

std::string provenance_log_path(const index::LibraryPaths& paths);

// Appends the record of one answer; returns its id (12 hex digits).
Result<std::string> append_ask_record(const index::LibraryPaths& paths, const std::string& question,
                                      const AnswerOptions& options, const Answer& answer);

// Appends the record of one search (`trove search --log`).
Result<std::string> append_search_record(const index::LibraryPaths& paths, const std::string& query,
                                         const std::string& mode, int k, const index::SearchFilters& filters,
                                         const std::vector<index::SearchHit>& hits);

struct LogRecord {
  std::string id, time, command, question, answer_model;
  int supported = -1, total = -1;  // -1: not an answer with verdicts
  std::string json;                // the whole record, one line
};

struct LogListing {
  std::vector<LogRecord> records;  // oldest first
  int damaged = 0;                 // lines that are not a record (a crash mid-write)
};

// The last `n` records (0: all). No log yet: none.
Result<LogListing> read_log(const index::LibraryPaths& paths, size_t n = 0);

// Removes the log; returns how many records it held.
Result<size_t> clear_log(const index::LibraryPaths& paths);

struct ChunkChange {
  int64_t n = 0;  // its source number in the recorded answer
  int64_t chunk_id = 0;
  std::string path;
  std::string status;  // "changed" (text differs, or re-indexed under a new id), "vanished"
};

struct ReplayResult {
  std::string id;
  std::string recorded, replayed;  // the answer as generated then and now
  bool identical = false;          // byte for byte
  bool prompt_identical = false;
  bool model_changed = false;      // the model file's SHA-256 differs from the record
  std::vector<ChunkChange> changes;
  Answer answer;                   // the replayed answer
};

// `id` may be a unique prefix of a record's id.
Result<ReplayResult> replay(const index::LibraryPaths& paths, const std::string& id,
                            const TextSink& on_text = {});

}  // namespace trove::answer
