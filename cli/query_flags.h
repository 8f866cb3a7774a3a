// cli/query_flags.h — the flags `search` and `ask` share, defined once so that they
// are spelled, checked and documented identically: the query words (or `-` to read
// the query from stdin), -k, the filters (--path, --type, --source), --mode, the
// relevance floor (--min-similarity) and --rerank/--no-rerank. The global flags
// (--home, -q, -v) belong to the root and are accepted after any command (main.cc
// makes every command fall through to the root).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "index/retriever.h"

namespace trove::cli {

struct QueryFlags {
  std::vector<std::string> words;
  std::optional<int> k;  // unset: the command's default
  std::string path_glob, type, source, mode;
  std::optional<double> min_similarity;  // unset: the command's default floor
  bool rerank = false, no_rerank = false;

  std::optional<bool> rerank_choice() const {
    if (rerank) return true;
    if (no_rerank) return false;
    return std::nullopt;
  }
};

// What differs between the commands: the positional's name and help, -k's default,
// and what an unset floor means.
struct QueryFlagsHelp {
  const char* words_name;  // "query", "question"
  const char* words_help;
  int default_k;
  std::string floor_default;
};

void add_query_flags(CLI::App* cmd, QueryFlags& f, const QueryFlagsHelp& help);

// The query: the words joined by spaces, or stdin's text when the only word is `-`
// (line breaks folded to spaces). An error saying what was found when it is empty or
// only white space; `command` ("search", "ask") names the help to read.
Result<std::string> query_text(const QueryFlags& f, const std::string& command);

// The filters, with --source resolved to the real path sources are stored by.
index::SearchFilters query_filters(const QueryFlags& f);

}  // namespace trove::cli
