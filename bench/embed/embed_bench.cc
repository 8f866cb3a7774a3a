// bench/embed/embed_bench.cc — embedding throughput of trove's encoder.
//
//   embed_bench --make-texts OUT --model FILE [--corpus DIR] [--chunks 64] [--chunk-tokens 250]
//       writes OUT: one chunk of about chunk-tokens WordPiece tokens ([CLS]/[SEP]
//       included) per line, cut from the Markdown/text files under DIR (sorted, so the
//       same every time), for trove and llama-embedding to embed the same texts.
//   embed_bench --model FILE --texts FILE [--threads 2] [--repeat 5] [--batch-tokens N]
//       embeds all lines `repeat` times (after one warm-up) and prints tokens/s and
//       chunks/s: the median and the best run. Model loading is not timed.
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
#include "embed/embedder.h"

namespace {

struct Args {
  std::string model, texts, make_texts, corpus = "../shared/corpus/dev/nodejs-doc";
  int threads = 2, repeat = 5, chunks = 64, chunk_tokens = 250;
  int64_t batch_tokens = 0;
};

bool parse(int argc, char** argv, Args* a) {
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) return false;
    const std::string v = argv[++i];
    if (k == "--model") {
      a->model = v;
    } else if (k == "--texts") {
      a->texts = v;
    } else if (k == "--make-texts") {
      a->make_texts = v;
    } else if (k == "--corpus") {
      a->corpus = v;
    } else if (k == "--threads") {
      a->threads = trove::bench::int_arg(v, "--threads");
    } else if (k == "--repeat") {
      a->repeat = std::max(1, trove::bench::int_arg(v, "--repeat"));
    } else if (k == "--chunks") {
      a->chunks = trove::bench::int_arg(v, "--chunks");
    } else if (k == "--chunk-tokens") {
      a->chunk_tokens = trove::bench::int_arg(v, "--chunk-tokens");
    } else if (k == "--batch-tokens") {
      a->batch_tokens = trove::bench::int64_arg(v, "--batch-tokens");
    } else {
      return false;
    }
  }
  return !a->model.empty() && (!a->texts.empty() || !a->make_texts.empty());
}

// Words of the corpus's .md/.txt files in path order.
std::vector<std::string> corpus_words(const std::string& dir, size_t want) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto ext = it->path().extension();
    if (it->is_regular_file() && (ext == ".md" || ext == ".txt")) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> words;
  for (const auto& f : files) {
    std::ifstream in(f);
    for (std::string w; in >> w && words.size() < want;) words.push_back(w);
    if (words.size() >= want) break;
  }
  return words;
}

int make_texts(const Args& a, trove::Embedder& emb) {
  const auto words = corpus_words(a.corpus, static_cast<size_t>(a.chunks) * 400);
  if (words.empty()) {
    std::fprintf(stderr, "embed_bench: no .md/.txt files under %s\n", a.corpus.c_str());
    return 2;
  }
  std::ofstream out(a.make_texts);
  size_t w = 0;
  for (int c = 0; c < a.chunks; ++c) {
    std::string line;
    size_t tokens = 2;  // [CLS] [SEP]
    while (true) {
      const std::string& word = words[w % words.size()];
      const size_t n = emb.count_tokens(word);
      if (tokens + n > static_cast<size_t>(a.chunk_tokens) && tokens > 2) break;
      if (!line.empty()) line += ' ';
      line += word;
      tokens += n;
      ++w;
    }
    out << line << '\n';
  }
  std::printf("wrote %d chunks to %s\n", a.chunks, a.make_texts.c_str());
  return 0;
}

int bench(const Args& a, trove::Embedder& emb) {
  std::vector<std::string> texts;
  std::ifstream in(a.texts);
  for (std::string line; std::getline(in, line);) texts.push_back(line);
  size_t tokens = 0;
  for (const auto& t : texts) tokens += emb.tokenizer().encode(t, true, 512).size();
  (void)emb.embed_texts(texts);  // warm-up: page in the weights, size the scratch
  std::vector<double> secs;
  for (int r = 0; r < a.repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto v = emb.embed_texts(texts);
    secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(secs.begin(), secs.end());
  const double median = secs[secs.size() / 2];
  std::printf(
      "trove %s (%s, dim %d): %zu chunks, %zu tokens, %d threads: median %.3f s = %.1f tokens/s "
      "= %.2f chunks/s (best %.1f tokens/s)\n",
      a.model.c_str(), emb.arch().c_str(), emb.dim(), texts.size(), tokens, a.threads, median,
      static_cast<double>(tokens) / median, static_cast<double>(texts.size()) / median,
      static_cast<double>(tokens) / secs.front());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, &a)) {
    std::fprintf(
        stderr,
        "usage: embed_bench --model FILE (--texts FILE | --make-texts OUT) [--threads N] "
        "[--repeat N] [--chunks N] [--chunk-tokens N] [--corpus DIR] [--batch-tokens N]\n");
    return 2;
  }
  trove::EmbedderParams params;
  params.n_threads = a.threads;
  if (a.batch_tokens > 0) params.max_batch_tokens = a.batch_tokens;
  auto emb = trove::Embedder::open(a.model, params);
  if (!emb.ok()) {
    std::fprintf(stderr, "embed_bench: %s\n", emb.error().message.c_str());
    return 2;
  }
  return a.make_texts.empty() ? bench(a, **emb) : make_texts(a, **emb);
}
