// bench/search/search_bench.cc — in-process lexical search latency (p50/p99).
//
// The target (p50 < 10 ms) is about search itself, not process start-up, so this
// program opens the library once through the index library's retriever and times
// each search() call. Queries: the questions of ../shared/eval/questions-dev.tsv, then
// the words of bench/search/word_queries.txt, 100 in all; one warm-up pass first.
//
// Usage: search_bench --home LIBRARY [-k 10] [--questions TSV] [--words TXT] [--json] [-v]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "bench/bench_args.h"
#include "index/library.h"
#include "index/retriever.h"

namespace {

struct Options {
  std::string home;
  std::string questions = TROVE_SOURCE_DIR "/../shared/eval/questions-dev.tsv";
  std::string words = TROVE_SOURCE_DIR "/bench/search/word_queries.txt";
  int k = 10;
  size_t max_queries = 100;
  bool json = false;
  bool verbose = false;  // one line per query: milliseconds, hits, query
};

// Lines of a file; for a TSV only the first field; '#' lines and blanks skipped.
std::vector<std::string> read_queries(const std::string& path, bool first_field) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (first_field) line = line.substr(0, line.find('\t'));
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

// Nearest-rank percentile of sorted values (p in 0..100).
double percentile(const std::vector<double>& sorted, double p) {
  const double n = static_cast<double>(sorted.size());
  const size_t rank = static_cast<size_t>(std::clamp(std::ceil(p / 100.0 * n), 1.0, n));
  return sorted[rank - 1];
}

bool parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--json") {
      o.json = true;
    } else if (a == "-v" || a == "--verbose") {
      o.verbose = true;
    } else if ((a == "--home" || a == "-k" || a == "--questions" || a == "--words") &&
               (v = next()) != nullptr) {
      if (a == "--home") o.home = v;
      if (a == "-k") o.k = trove::bench::int_arg(v, "-k");
      if (a == "--questions") o.questions = v;
      if (a == "--words") o.words = v;
    } else {
      std::fprintf(stderr, "search_bench: unexpected argument '%s'\n", a.c_str());
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (!parse_args(argc, argv, opt)) {
    std::fprintf(stderr,
                 "usage: search_bench --home LIBRARY [-k N] [--questions TSV] "
                 "[--words TXT] [--json] [-v]\n");
    return 2;
  }
  auto paths = trove::index::resolve_library_paths(opt.home);
  if (!paths) {
    std::fprintf(stderr, "search_bench: %s\n", paths.error().message.c_str());
    return 2;
  }
  auto retriever = trove::index::LexicalRetriever::open(paths->db);
  if (!retriever) {
    std::fprintf(stderr, "search_bench: %s\n", retriever.error().message.c_str());
    return 2;
  }

  std::vector<std::string> queries = read_queries(opt.questions, true);
  for (auto& w : read_queries(opt.words, false)) queries.push_back(std::move(w));
  if (queries.size() > opt.max_queries) queries.resize(opt.max_queries);
  if (queries.empty()) {
    std::fprintf(stderr, "search_bench: no queries in %s or %s\n", opt.questions.c_str(),
                 opt.words.c_str());
    return 2;
  }

  const trove::index::SearchFilters filters;
  for (const auto& q : queries) (void)(*retriever)->search(q, opt.k, filters);  // warm-up

  std::vector<double> ms;
  size_t with_results = 0, errors = 0;
  for (const auto& q : queries) {
    const auto t0 = std::chrono::steady_clock::now();
    auto hits = (*retriever)->search(q, opt.k, filters);
    const auto t1 = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    if (opt.verbose) {
      std::fprintf(stderr, "%9.3f ms %4zu hits  %s\n", ms.back(), hits ? hits->size() : 0,
                   q.c_str());
    }
    if (!hits) {
      if (errors++ == 0)
        std::fprintf(stderr, "search_bench: '%s': %s\n", q.c_str(), hits.error().message.c_str());
    } else if (!hits->empty()) {
      ++with_results;
    }
  }
  const double mean = std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size());
  std::sort(ms.begin(), ms.end());
  const double p50 = percentile(ms, 50), p99 = percentile(ms, 99);
  if (opt.json) {
    std::printf(
        "{\"how\": \"in-process (LexicalRetriever)\", \"mode\": \"lexical\", "
        "\"queries\": %zu, \"with_results\": %zu, \"errors\": %zu, \"k\": %d, "
        "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"mean_ms\": %.3f, \"max_ms\": %.3f}\n",
        ms.size(), with_results, errors, opt.k, p50, p99, mean, ms.back());
  } else {
    std::printf(
        "lexical search in-process, %zu queries (%zu with results, %zu errors), k=%d:\n"
        "  p50 %.3f ms   p99 %.3f ms   mean %.3f ms   max %.3f ms  (target p50 < 10 ms)\n",
        ms.size(), with_results, errors, opt.k, p50, p99, mean, ms.back());
  }
  return errors == 0 ? 0 : 2;
}
