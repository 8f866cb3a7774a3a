// cli/query_flags.cc — the flags search and ask share (see query_flags.h).
#include "cli/query_flags.h"

#include <climits>
#include <cstdlib>
#include <iostream>
#include <iterator>

namespace trove::cli {

void add_query_flags(CLI::App* cmd, QueryFlags& f, const QueryFlagsHelp& help) {
  cmd->add_option(help.words_name, f.words,
                  std::string(help.words_help) + " (- reads it from stdin)")
      ->required();
  cmd->add_option("-k", f.k,
                  "How many passages at most (default " + std::to_string(help.default_k) + ")")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--path", f.path_glob, "Only paths matching GLOB (absolute or relative)");
  cmd->add_option("--type", f.type, "Only documents of this type")
      ->check(CLI::IsMember({"markdown", "text", "html", "pdf", "docx", "odt", "epub", "email",
                             "image"}));
  cmd->add_option("--source", f.source, "Only this source folder");
  cmd->add_option("--mode", f.mode,
                  "lexical, semantic or hybrid (default: hybrid when the library has embeddings)")
      ->check(CLI::IsMember({"lexical", "semantic", "hybrid"}));
  cmd->add_option("--min-similarity", f.min_similarity,
                  std::string("Fixed cosine floor for semantic hits, 0 keeps all (default: ") +
                      help.floor_default + ")");
  auto* on = cmd->add_flag("--rerank", f.rerank,
                           "Rerank the top 30 with the rerank model (default when one is "
                           "registered)");
  cmd->add_flag("--no-rerank", f.no_rerank, "Do not rerank")->excludes(on);
}

Result<std::string> query_text(const QueryFlags& f, const std::string& command) {
  std::string q;
  const bool from_stdin = f.words.size() == 1 && f.words[0] == "-";
  if (from_stdin) {
    q.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    for (char& c : q) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
  } else {
    for (const auto& w : f.words) q += (q.empty() ? "" : " ") + w;
  }
  if (q.find_first_not_of(" \t\n\r\f\v") == std::string::npos) {
    const std::string what = command == "ask" ? "a question" : "a query";
    const std::string found = q.empty() ? "an empty one" : "only spaces";
    return make_error("expected " + what + (from_stdin ? " on stdin" : "") + ", found " +
                      found + "; see trove " + command + " --help");
  }
  return q;
}

index::SearchFilters query_filters(const QueryFlags& f) {
  index::SearchFilters filters{f.path_glob, f.type, f.source};
  if (!f.source.empty()) {
    // Sources are stored by real path; accept the folder as the user spells it.
    char buf[PATH_MAX];
    if (::realpath(f.source.c_str(), buf)) filters.source = buf;
  }
  return filters;
}

}  // namespace trove::cli
