// bench/tokenizers/bench_tokenize.cc — encode throughput of each decoder tokenizer on
// a large text (default: corpus man pages and Markdown, about 1.5 MB, Japanese and English).
//   bench_tokenize [FILE ...]
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/gguf.h"
#include "generate/detokenizer.h"
#include "generate/tokenizer.h"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// CPU time of this (single-threaded) process: on a shared, loaded machine wall time
// measures the neighbours, not the tokenizer.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string root = std::string(TROVE_SOURCE_DIR) + "/../shared/";
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) files.emplace_back(argv[i]);
  if (files.empty()) {
    files = {root + "corpus/dev/debian-reference-ja/debian-reference.ja.txt",
             root + "corpus/dev/nodejs-doc/api/child_process.md",
             root + "corpus/dev/nodejs-doc/api/net.md",
             root + "corpus/dev/nodejs-doc/api/url.md",
             root + "corpus/dev/docker-doc/api/v1.23.md",
             root + "corpus/dev/docker-doc/api/v1.24.md"};
  }
  std::string text;
  for (const auto& f : files) text += read_file(f);
  std::printf("corpus: %zu files, %.2f MB\n", files.size(), text.size() / 1e6);
  if (text.empty()) return 2;

  const char* models[] = {
      "fixtures/models/llama-spm-q8_0.gguf", "fixtures/tokenizer/ggml-vocab-gpt-2.gguf",
      "fixtures/models/qwen2-bpe-q4_k_m.gguf", "fixtures/models/llama3-bpe-q4_k_m.gguf"};
  for (const char* m : models) {
    auto file = trove::GgufFile::open(root + m);
    if (!file.ok()) {
      std::fprintf(stderr, "%s\n", file.error().message.c_str());
      return 2;
    }
    double t0 = cpu_seconds();
    auto tok = trove::Tokenizer::from_gguf(*file);
    if (!tok.ok()) {
      std::fprintf(stderr, "%s\n", tok.error().message.c_str());
      return 2;
    }
    const double load_s = cpu_seconds() - t0;
    t0 = cpu_seconds();
    const auto ids = (*tok)->encode(text, false, false);
    const double enc_s = cpu_seconds() - t0;
    t0 = cpu_seconds();
    trove::Detokenizer detok(**tok, {.strip_leading_space = (*tok)->add_space_prefix()});
    std::string back;
    back.reserve(text.size());
    for (int32_t id : ids) back += detok.push(id);
    back += detok.flush();
    const double dec_s = cpu_seconds() - t0;
    std::printf(
        "%-40s load %6.3f s cpu  encode %8zu tokens in %6.3f s = %9.0f tokens/s (%5.2f MB/s)"
        "  stream-decode %9.0f tokens/s  round-trip %s\n",
        m, load_s, ids.size(), enc_s, ids.size() / enc_s, text.size() / 1e6 / enc_s,
        ids.size() / dec_s, back == text ? "exact" : "DIFFERS");
  }
  return 0;
}
