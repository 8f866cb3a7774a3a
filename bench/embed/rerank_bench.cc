// bench/embed/rerank_bench.cc — the cost of reranking, as search pays it: one query
// against P passages of about N tokens each, the whole Reranker::score call
// (tokenizing, framing, forward passes, head), model loading not included.
//
//   rerank_bench --model FILE [--passages 30] [--tokens 200] [--threads 2] [--repeat 7]
//                [--corpus DIR] [--query TEXT] [--pairs-out FILE]
//
// --pairs-out writes the pairs, one per line, as llama-embedding --pooling rank reads
// them ("query[SEP]passage", XLM-R "query</s></s>passage"), so that llama.cpp can be
// timed on the same inputs and file (bench/embed/rerank_vs_llama.sh).
//
// Passages are cut from the .md/.txt files under DIR (sorted, so the same every run)
// to `tokens` tokens of the model's own tokenizer each. Prints the median and best
// wall time of `repeat` timed calls after one warm-up, the pair length, and the median
// CPU time (user + system of the whole process) per call: on a machine shared with
// other work, wall time grows with the contention and CPU time much less, so
// CPU / threads bounds what the call costs on an idle machine.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_args.h"
#include "embed/reranker.h"

namespace {

struct Args {
  std::string model, corpus = "../shared/corpus/dev/nodejs-doc";
  std::string query = "how do I read a file line by line with streams?";
  std::string pairs_out;
  int passages = 30, tokens = 200, threads = 2, repeat = 7;
};

bool parse(int argc, char** argv, Args* a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--model") {
      a->model = v;
    } else if (k == "--corpus") {
      a->corpus = v;
    } else if (k == "--query") {
      a->query = v;
    } else if (k == "--passages") {
      a->passages = trove::bench::int_arg(v, "--passages");
    } else if (k == "--tokens") {
      a->tokens = trove::bench::int_arg(v, "--tokens");
    } else if (k == "--threads") {
      a->threads = trove::bench::int_arg(v, "--threads");
    } else if (k == "--pairs-out") {
      a->pairs_out = v;
    } else if (k == "--repeat") {
      a->repeat = std::max(1, trove::bench::int_arg(v, "--repeat"));
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !a->model.empty();
}

std::vector<std::string> corpus_words(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".md" || ext == ".txt")) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> words;
  for (const std::string& f : files) {
    std::ifstream in(f);
    for (std::string w; in >> w && words.size() < 200000;) words.push_back(w);
  }
  return words;
}

// Passages of about `tokens` tokens each (the model's tokenizer, no framing).
std::vector<std::string> make_passages(const trove::SequenceTokenizer& tok,
                                       const std::vector<std::string>& words, int n, int tokens) {
  std::vector<std::string> out;
  size_t w = 0;
  while (static_cast<int>(out.size()) < n && w < words.size()) {
    std::string p;
    while (w < words.size() && static_cast<int>(tok.count_tokens(p)) < tokens) {
      if (!p.empty()) p += ' ';
      p += words[w++];
    }
    out.push_back(std::move(p));
  }
  return out;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, &a)) {
    std::fprintf(stderr,
                 "usage: rerank_bench --model FILE [--passages 30] [--tokens 200] "
                 "[--threads 2] [--repeat 7] [--corpus DIR] [--query TEXT] [--pairs-out FILE]\n");
    return 2;
  }
  auto rr = trove::Reranker::open(a.model, {.n_threads = a.threads});
  if (!rr.ok()) {
    std::fprintf(stderr, "rerank_bench: %s\n", rr.error().message.c_str());
    return 2;
  }
  const std::vector<std::string> words = corpus_words(a.corpus);
  const std::vector<std::string> passages =
      make_passages((*rr)->tokenizer(), words, a.passages, a.tokens);
  if (passages.empty()) {
    std::fprintf(stderr, "rerank_bench: no text under %s\n", a.corpus.c_str());
    return 2;
  }
  if (!a.pairs_out.empty()) {
    const bool xlmr = std::string((*rr)->tokenizer().kind()) != "wordpiece";
    std::ofstream out(a.pairs_out);
    for (const std::string& p : passages)
      out << a.query << (xlmr ? "</s></s>" : "[SEP]") << p << '\n';
  }
  size_t pair_tokens = 0;
  for (const std::string& p : passages) pair_tokens += (*rr)->tokenize(a.query, p).ids.size();
  (*rr)->score(a.query, passages);  // warm-up: page in the weights
  std::vector<double> times, cpu;
  for (int r = 0; r < a.repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    const std::vector<float> s = (*rr)->score(a.query, passages);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    cpu.push_back(cpu_seconds() - c0);
    if (s.size() != passages.size()) return 1;
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf(
      "rerank %s: %zu passages, %.0f tokens per pair (%zu in all), %d threads: median %.3f s, "
      "best %.3f s over %d runs; CPU %.3f s per call\n",
      std::filesystem::path(a.model).filename().c_str(), passages.size(),
      static_cast<double>(pair_tokens) / static_cast<double>(passages.size()), pair_tokens,
      a.threads, times[times.size() / 2], times.front(), a.repeat, cpu[cpu.size() / 2]);
  return 0;
}
