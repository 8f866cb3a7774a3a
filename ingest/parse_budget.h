// ingest/parse_budget.h — running one parse under a time and memory budget.
//
// A parser on a hostile file can take quadratic time inside a C library (libxml2 on an
// element with 80,000 attributes) or allocate without bound, and nothing inside the
// library can be interrupted. So the parse runs in a forked child process: its
// address space is capped (RLIMIT_AS = what the process already maps + the memory
// budget), its CPU time too (RLIMIT_CPU, a backstop), and the parent waits for the
// result at most the time budget, then kills it. The result comes back through a pipe
// as a serialised ParsedDocument. A child that dies (a crash in a C library, the
// memory cap) is a failed parse, never a crashed indexer.
//
// Over budget → FailReason::kOverBudget with the limit in the detail ("parsing took
// longer than 60 s (the per-file budget)"). When fork() itself fails the parse runs
// in-process, unbudgeted, and says so in a warning.
//
// Thread-safety: callable from any thread; the child only parses and _exit()s (no
// atexit handlers, no stdio flush, no SQLite), so locks held by other threads of the
// parent are never touched.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ingest/document.h"

namespace trove::ingest {

struct ParseBudget {
  double seconds = 60;              // wall clock; <= 0: no budget (parse in-process)
  uint64_t memory_bytes = 1ull << 30;  // address space the parse may add; 0: uncapped
};

ParsedDocument parse_with_budget(const std::function<ParsedDocument()>& parse,
                                 const ParseBudget& budget);

// Called by a parser after each unit of long work (an OCR'd page): inside a budgeted
// child it tells the parent, which then gives the parse another `seconds` from now
// (and the child more CPU time). In-process it does nothing. Thread-safe.
void parse_budget_heartbeat();

// True inside a budgeted parse child (a process that exits after this one parse).
bool in_parse_child();

// The wire format (exposed for tests): serialise → deserialise is the identity.
std::string serialize_document(const ParsedDocument& d);
bool deserialize_document(std::string_view bytes, ParsedDocument* out);

}  // namespace trove::ingest
