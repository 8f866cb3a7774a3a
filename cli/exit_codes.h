// cli/exit_codes.h — the one table of trove's exit codes (`trove help exit-codes` prints
// it; README's "Exit codes" table is `trove help exit-codes --markdown` verbatim, which
// tests/cli/readme.sh checks; scripts and cron rely on it).
//
// The anchor is ripgrep/grep (0 found, 1 nothing found, 2 error), refined so that a
// cron job can tell "try again later" (locked) from "fix the library" and "fix the
// model", and a run that half worked from one that did not start.
#pragma once

#include <array>
#include <string_view>

namespace trove::cli {

enum ExitCode : int {
  kExitOk = 0,          // done; search/ask found something
  kExitNothing = 1,     // search/ask found nothing above the relevance floor
  kExitUsage = 2,       // bad flags or arguments, nothing to do, nothing changed
  kExitPartial = 3,     // the run finished but not everything: files that failed in this
                        // run, a source folder missing or empty, vectors not updated
  kExitLocked = 4,      // another `trove index` holds the library (try again, or --wait)
  kExitLibrary = 5,     // the library cannot be used: damaged, unreadable, unwritable
                        // (permissions, disk full), or written by a newer trove
  kExitModel = 6,       // a model is missing, changed since it was registered, or broken
};

struct ExitCodeDoc {
  int code;
  std::string_view name;
  std::string_view meaning;
};

inline constexpr std::array<ExitCodeDoc, 7> kExitCodeTable = {{
    {kExitOk, "ok", "done; search and ask found something"},
    {kExitNothing, "nothing found",
     "search or ask found nothing above the relevance floor (stderr says why); models list "
     "has no models"},
    {kExitUsage, "usage",
     "bad flag or argument, or nothing to do (index with no source, forget of a path that "
     "matches nothing); nothing changed"},
    {kExitPartial, "partial",
     "the run finished but not everything: a new or changed file failed in this run, a "
     "source folder is missing or empty, or the vectors could not be updated (the failures "
     "are listed on stderr, in --json and in trove status)"},
    {kExitLocked, "locked", "another trove index holds the library: try later, or use --wait"},
    {kExitLibrary, "library problem",
     "the library cannot be used: damaged, unreadable or unwritable (permissions, disk "
     "full), or written by a newer trove; trove doctor says what to do"},
    {kExitModel, "model problem",
     "a model is missing, changed since it was registered (trove models verify NAME), or "
     "cannot be loaded"},
}};

}  // namespace trove::cli
