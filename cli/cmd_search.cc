// cli/cmd_search.cc — `trove search QUERY`: ranked passages.
//
// Output (cli/search_output.h), in ripgrep's manners: off a terminal one hit a line,
// `path:line: text`; on a terminal grouped under each file and coloured; --heading /
// --no-heading choose either form anywhere; -l prints only the files, --count the hits
// per file; --json one object per line per hit. --color auto|always|never (auto:
// colour on a terminal without NO_COLOR). A query of `-` is read from stdin.
// -l and --count look at up to 1000 passages unless -k is given (they answer "which
// files", not "the best ten"). Exit: 0 hits, 1 none (stderr says why), 2 usage, 5/6
// library/model problems (cli/exit_codes.h).
// --mode lexical|semantic|hybrid; default hybrid when the library has vectors and
// their model loads, else lexical with a note on stderr saying why.
// Reranking (answer/search.h): on when a rerank model is registered, --rerank asks
// for it, --no-rerank turns it off; -v prints the rerank time on stderr. A reranker
// that cannot be used leaves the results unreranked with a note; the score shown is
// then the retrieval score, else the reranker's.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "answer/provenance.h"
#include "answer/search.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/passage_format.h"
#include "cli/query_flags.h"
#include "cli/search_output.h"
#include "cli/term.h"
#include "index/library.h"
#include "index/retriever.h"
#include "serve/json_schema.h"

namespace trove::cli {
namespace {

constexpr int kDefaultK = 10;
constexpr int kWideK = 1000;  // -l and --count without -k

struct SearchArgs {
  QueryFlags q;
  bool json = false;
  bool log = false;  // append a record to the provenance log (answer/provenance.h)
  bool files = false, count = false;
  bool heading = false, no_heading = false;
  std::string color = "auto";
};

int fail(const std::string& msg, int code = kExitUsage) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return code;
}

// Why open_search failed, as an exit code: an explicit semantic or hybrid mode on a
// library whose vectors exist but whose model cannot be used is a model problem; on a
// library without vectors it is a usage error; anything else is the library's.
int open_failure_exit(const index::LibraryPaths& paths, const std::string& mode) {
  if (mode == "semantic" || mode == "hybrid")
    return answer::library_has_embeddings(paths) ? kExitModel : kExitUsage;
  return kExitLibrary;
}

// Why nothing came back, in words the user can act on.
std::string explain_no_results(const index::LibraryPaths& paths, const std::string& query,
                               const SearchArgs& a) {
  switch (answer::explain_empty(paths, query)) {
    case answer::EmptyReason::kLibraryEmpty:
      return "the library is empty: run trove index PATH";
    case answer::EmptyReason::kNoSearchableWords:
      return "the query has no searchable words (letters or digits)";
    case answer::EmptyReason::kNoMatch:
      break;
  }
  std::string msg = "no passage matches \"" + query + "\"";
  const QueryFlags& f = a.q;
  if (!f.path_glob.empty() || !f.type.empty() || !f.source.empty()) {
    msg += " with the filters given (";
    if (!f.path_glob.empty()) msg += "--path " + f.path_glob + " ";
    if (!f.type.empty()) msg += "--type " + f.type + " ";
    if (!f.source.empty()) msg += "--source " + f.source + " ";
    msg.back() = ')';
  }
  return msg;
}

SearchLayout layout_of(const SearchArgs& a) {
  if (a.files) return SearchLayout::kFiles;
  if (a.count) return SearchLayout::kCount;
  if (a.heading) return SearchLayout::kGrouped;
  if (a.no_heading) return SearchLayout::kFlat;
  return is_tty(stdout) ? SearchLayout::kGrouped : SearchLayout::kFlat;
}

Style style_of(const SearchArgs& a) {
  if (a.color == "always") return Style::colored();
  if (a.color == "never") return Style::plain();
  return Style::for_stream(stdout);
}

void print_json(const std::vector<index::SearchHit>& hits, index::SearchMode mode) {
  for (const auto& h : hits) {
    serve::json j = serve::hit_json(h, serve::Snippet::kPlain);
    j["mode"] = index::search_mode_name(mode);
    std::printf("%s\n", serve::dump(serve::versioned(j)).c_str());
  }
}

int run_search(const SearchArgs& a, const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return fail(paths.error().message);
  auto query_or = query_text(a.q, "search");
  if (!query_or.ok()) return fail(query_or.error().message);
  const std::string& query = *query_or;
  if (!index::library_exists(*paths)) {
    std::fprintf(stderr, "trove: the library is empty: run trove index PATH\n");
    return kExitNothing;
  }
  answer::RerankOptions ro;
  ro.enabled = a.q.rerank_choice();
  const std::string& mode = a.q.mode;
  auto searcher = answer::open_search(*paths, {mode, a.q.min_similarity}, ro);
  if (!searcher.ok()) return fail(searcher.error().message, open_failure_exit(*paths, mode));
  const std::string& note = (*searcher)->note();
  if (!note.empty() && !g.quiet) std::fprintf(stderr, "trove: %s\n", note.c_str());
  const index::SearchFilters filters = query_filters(a.q);
  const int k = a.q.k.value_or(a.files || a.count ? kWideK : kDefaultK);
  answer::SearchStats stats;
  const auto t0 = std::chrono::steady_clock::now();
  auto hits = (*searcher)->search(query, k, filters, &stats);
  if (!hits.ok()) return fail(hits.error().message);
  if (g.verbose) {
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "trove: %zu hits in %.1f ms (%s)\n", hits->size(), ms,
                 index::search_mode_name((*searcher)->mode()));
  }
  if (a.log) {
    auto id = answer::append_search_record(*paths, query, index::search_mode_name((*searcher)->mode()), k,
                                           filters, *hits);
    if (!id.ok()) std::fprintf(stderr, "trove: %s\n", id.error().message.c_str());
  }
  if (g.verbose && stats.reranked > 0) {
    std::fprintf(stderr, "trove: reranked %d passages in %.0f ms (%s)\n", stats.reranked,
                 stats.rerank_ms, (*searcher)->reranker_name().c_str());
  }
  if (hits->empty()) {
    std::fprintf(stderr, "trove: %s\n", explain_no_results(*paths, query, a).c_str());
    return kExitNothing;
  }
  if (a.json) {
    print_json(*hits, (*searcher)->mode());
  } else {
    print_hits(*hits, layout_of(a), style_of(a));
  }
  return kExitOk;
}

RunFn setup_search(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* cmd = app.add_subcommand("search", "Find passages by words and meaning");
  add_query_flags(cmd, args->q,
                  {"query", "What to look for (\"quoted phrase\", prefix*)", kDefaultK,
                   "a per-query floor from the library's own vectors"});
  auto* json = cmd->add_flag("--json", args->json, "One JSON object per line per passage");
  auto* files = cmd->add_flag("-l,--files-with-matches", args->files,
                              "Print only the files with a hit, best first")
                    ->excludes(json);
  cmd->add_flag("-c,--count", args->count, "Print path:N, the hits in each file")
      ->excludes(json)
      ->excludes(files);
  auto* heading = cmd->add_flag("--heading", args->heading,
                                "Group hits under their file (default on a terminal)");
  cmd->add_flag("--no-heading", args->no_heading,
                "One hit a line, path:line: text (default off a terminal)")
      ->excludes(heading);
  cmd->add_option("--color", args->color, "auto, always or never (auto: on a terminal)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--log", args->log, "Record this search in the provenance log (trove log)");
  return [args, &global] { return run_search(*args, global); };
}

TROVE_REGISTER_COMMAND("search", 20, setup_search);

}  // namespace
}  // namespace trove::cli
