// cli/cmd_search.cc — `trove search QUERY`: ranked passages.
//
// Human output per hit: "path  span  [score]", the heading, and a snippet with the
// matched terms coloured (colour only on a TTY without NO_COLOR). --json: one object
// per line per hit. Exit: 0 hits, 1 none (stderr says why), 2 error.
// --mode lexical|semantic|hybrid; default hybrid when the library has vectors and
// their model loads, else lexical with a note on stderr saying why.
// Reranking (answer/search.h): on when a rerank model is registered, --rerank asks
// for it, --no-rerank turns it off; -v prints the rerank time on stderr. A reranker
// that cannot be used leaves the results unreranked with a note; the score shown is
// then the retrieval score, else the reranker's.
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "answer/provenance.h"
#include "answer/search.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/json.h"
#include "cli/passage_format.h"
#include "cli/printable.h"
#include "cli/term.h"
#include "index/library.h"
#include "index/retriever.h"

namespace trove::cli {
namespace {

struct SearchArgs {
  std::vector<std::string> words;
  int k = 10;
  std::string path_glob;
  std::string type;
  std::string source;
  std::string mode;                      // "" = best available
  std::optional<double> min_similarity;  // unset: the per-query relevance floor
  bool json = false;
  bool log = false;  // append a record to the provenance log (answer/provenance.h)
  bool rerank = false, no_rerank = false;
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

std::string join_words(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words) {
    if (!q.empty()) q += ' ';
    q += w;
  }
  return q;
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
  if (!a.path_glob.empty() || !a.type.empty() || !a.source.empty()) {
    msg += " with the filters given (";
    if (!a.path_glob.empty()) msg += "--path " + a.path_glob + " ";
    if (!a.type.empty()) msg += "--type " + a.type + " ";
    if (!a.source.empty()) msg += "--source " + a.source + " ";
    msg.back() = ')';
  }
  return msg;
}

void print_human(const std::vector<index::SearchHit>& hits) {
  const Style st = Style::for_stream(stdout);
  for (size_t i = 0; i < hits.size(); ++i) {
    const auto& h = hits[i];
    if (i > 0) std::fputc('\n', stdout);
    std::string span = format_span(h);
    std::printf("%s%s%s%s%s  %s[%.2f] #%lld%s\n", st.path.c_str(), printable(h.path).c_str(),
                st.reset.c_str(), span.empty() ? "" : ":", span.c_str(), st.dim.c_str(), h.score,
                static_cast<long long>(h.chunk_id), st.reset.c_str());
    if (!h.heading.empty()) {
      std::printf("  %s%s%s\n", st.heading.c_str(), printable(h.heading).c_str(), st.reset.c_str());
    }
    std::printf("  %s\n", render_snippet(h.snippet, st).c_str());
  }
}

void print_json(const std::vector<index::SearchHit>& hits, index::SearchMode mode) {
  for (const auto& h : hits) {
    JsonWriter w;
    w.begin_object();
    write_hit_fields(w, h, /*with_snippet=*/true);
    w.key("mode").value(index::search_mode_name(mode));
    w.end_object();
    std::printf("%s\n", w.str().c_str());
  }
}

int run_search(const SearchArgs& a, const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return fail(paths.error().message);
  const std::string query = join_words(a.words);
  if (query.find_first_not_of(" \t\n\r\f\v") == std::string::npos)
    return fail("expected a query, found " +
                std::string(query.empty() ? "an empty one" : "only spaces") +
                "; see trove search --help");
  if (!index::library_exists(*paths)) {
    std::fprintf(stderr, "trove: the library is empty: run trove index PATH\n");
    return 1;
  }
  answer::RerankOptions ro;
  if (a.rerank) ro.enabled = true;
  if (a.no_rerank) ro.enabled = false;
  auto searcher = answer::open_search(*paths, {a.mode, a.min_similarity}, ro);
  if (!searcher.ok()) return fail(searcher.error().message, open_failure_exit(*paths, a.mode));
  const std::string& note = (*searcher)->note();
  if (!note.empty() && !g.quiet) std::fprintf(stderr, "trove: %s\n", note.c_str());
  index::SearchFilters filters{a.path_glob, a.type, a.source};
  if (!a.source.empty()) {
    // Sources are stored by real path; accept the folder as the user spells it.
    char buf[PATH_MAX];
    if (::realpath(a.source.c_str(), buf)) filters.source = buf;
  }
  answer::SearchStats stats;
  auto hits = (*searcher)->search(query, a.k, filters, &stats);
  if (!hits.ok()) return fail(hits.error().message);
  if (a.log) {
    auto id = answer::append_search_record(*paths, query, index::search_mode_name((*searcher)->mode()), a.k,
                                           filters, *hits);
    if (!id.ok()) std::fprintf(stderr, "trove: %s\n", id.error().message.c_str());
  }
  if (g.verbose && stats.reranked > 0)
    std::fprintf(stderr, "trove: reranked %d passages in %.0f ms (%s)\n", stats.reranked,
                 stats.rerank_ms, (*searcher)->reranker_name().c_str());
  if (hits->empty()) {
    std::fprintf(stderr, "trove: %s\n", explain_no_results(*paths, query, a).c_str());
    return 1;
  }
  if (a.json) {
    print_json(*hits, (*searcher)->mode());
  } else {
    print_human(*hits);
  }
  return 0;
}

RunFn setup_search(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* cmd = app.add_subcommand("search", "Find passages by words");
  cmd->fallthrough();
  cmd->add_option("query", args->words, "What to look for (\"quoted phrase\", prefix*)")
      ->required();
  cmd->add_option("-k", args->k, "How many passages (default 10)")->check(CLI::Range(1, 1000));
  cmd->add_option("--path", args->path_glob, "Only paths matching GLOB (absolute or relative)");
  cmd->add_option("--type", args->type, "Only documents of this type")
      ->check(CLI::IsMember({"markdown", "text", "html", "pdf", "docx", "odt", "epub", "email",
                             "image"}));
  cmd->add_option("--source", args->source, "Only this source folder");
  cmd->add_option("--min-similarity", args->min_similarity,
                  "Fixed cosine floor for semantic hits instead of the per-query one (0: off)");
  cmd->add_option("--mode", args->mode,
                  "lexical, semantic or hybrid (default: hybrid when the library has embeddings)")
      ->check(CLI::IsMember({"lexical", "semantic", "hybrid"}));
  cmd->add_flag("--json", args->json, "One JSON object per line per passage");
  cmd->add_flag("--log", args->log, "Record this search in the provenance log (trove log)");
  auto* on =
      cmd->add_flag("--rerank", args->rerank,
                    "Rerank the top 30 with the rerank model (default when one is registered)");
  cmd->add_flag("--no-rerank", args->no_rerank, "Do not rerank")->excludes(on);
  return [args, &global] { return run_search(*args, global); };
}

TROVE_REGISTER_COMMAND("search", 20, setup_search);

}  // namespace
}  // namespace trove::cli
