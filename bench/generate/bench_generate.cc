// bench/generate/bench_generate.cc — decoder speed on given model files: prompt
// processing (tokens/s over a P-token prompt from an empty cache) and decoding
// (tokens/s over T single-token steps from an empty cache), as llama-bench's pp/tg
// tests measure them; medians over R runs after a warm-up. Also measures read
// bandwidth and prints decode as a fraction of the roofline
// (weight bytes per token x tokens/s / bandwidth).
//
//   bench_generate [-t 2] [-p 512] [-n 128] [-r 3] model.gguf...
// Prints one JSON object per model on stdout (run.sh joins them with llama-bench's).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_args.h"
#include "bench/generate/read_bandwidth.h"
#include "core/thread_pool.h"
#include "generate/model.h"
#include "generate/model_session.h"

namespace trove::bench {
namespace {

struct Args {
  int threads = 2;
  int64_t n_prompt = 512;
  int64_t n_gen = 128;
  int reps = 3;
  std::vector<std::string> models;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Seconds to evaluate the whole prompt from an empty cache.
double time_prompt(DecoderSession& s, const std::vector<int32_t>& prompt) {
  s.reset();
  const double t0 = now_s();
  auto r = s.eval(prompt);
  if (!r.ok()) std::fprintf(stderr, "bench: %s\n", r.error().message.c_str());
  return now_s() - t0;
}

// Seconds to evaluate n tokens one at a time from an empty cache.
double time_decode(DecoderSession& s, const std::vector<int32_t>& ids, int64_t n) {
  s.reset();
  const double t0 = now_s();
  for (int64_t i = 0; i < n; ++i) {
    auto r = s.eval(std::span<const int32_t>(&ids[static_cast<size_t>(i)], 1));
    if (!r.ok()) std::fprintf(stderr, "bench: %s\n", r.error().message.c_str());
  }
  return now_s() - t0;
}

int run(const Args& a) {
  ThreadPool pool(a.threads);
  const double bw = read_bandwidth(pool, size_t{1} << 30, 5);
  std::fprintf(stderr, "read bandwidth (%d threads): %.2f GB/s\n", a.threads, bw / 1e9);
  for (const std::string& path : a.models) {
    auto model = DecoderModel::open(path);
    if (!model.ok()) {
      std::fprintf(stderr, "bench: %s\n", model.error().message.c_str());
      return 2;
    }
    SessionOptions so;
    so.n_ctx = std::max(a.n_prompt, a.n_gen);
    so.n_batch = 512;
    so.pool = &pool;
    auto session = DecoderSession::create(*model, so);
    if (!session.ok()) {
      std::fprintf(stderr, "bench: %s\n", session.error().message.c_str());
      return 2;
    }
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int32_t> pick(0,
                                                static_cast<int32_t>(model->params().n_vocab - 1));
    std::vector<int32_t> ids(static_cast<size_t>(std::max(a.n_prompt, a.n_gen)));
    for (int32_t& id : ids) id = pick(rng);
    const std::vector<int32_t> prompt(ids.begin(), ids.begin() + a.n_prompt);

    time_decode(*session, ids, std::min<int64_t>(a.n_gen, 8));  // warm-up
    std::vector<double> pp, tg;
    for (int r = 0; r < a.reps; ++r) {
      pp.push_back(static_cast<double>(a.n_prompt) / time_prompt(*session, prompt));
      tg.push_back(static_cast<double>(a.n_gen) / time_decode(*session, ids, a.n_gen));
    }
    const double pp_med = median(pp), tg_med = median(tg);
    const double wbytes = static_cast<double>(model->weight_bytes_per_token());
    const double roofline = wbytes * tg_med / bw;
    std::fprintf(stderr,
                 "%s: pp%lld %.1f tok/s, tg%lld %.2f tok/s, %.1f MB/token, %.0f%% of roofline\n",
                 path.c_str(), static_cast<long long>(a.n_prompt), pp_med,
                 static_cast<long long>(a.n_gen), tg_med, wbytes / 1e6, 100 * roofline);
    std::printf(
        "{\"model\": \"%s\", \"threads\": %d, \"n_prompt\": %lld, \"n_gen\": %lld, \"pp_tps\": "
        "%.3f, "
        "\"tg_tps\": %.3f, \"weight_bytes_per_token\": %.0f, \"read_bandwidth\": %.0f, "
        "\"roofline_fraction\": %.4f}\n",
        path.c_str(), a.threads, static_cast<long long>(a.n_prompt),
        static_cast<long long>(a.n_gen), pp_med, tg_med, wbytes, bw, roofline);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace trove::bench

int main(int argc, char** argv) {
  trove::bench::Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    auto next = [&] {
      return i + 1 < argc ? trove::bench::int64_arg(argv[++i], s.c_str()) : int64_t{0};
    };
    if (s == "-t") {
      a.threads = static_cast<int>(next());
    } else if (s == "-p") {
      a.n_prompt = next();
    } else if (s == "-n") {
      a.n_gen = next();
    } else if (s == "-r") {
      a.reps = static_cast<int>(next());
    } else {
      a.models.push_back(s);
    }
  }
  if (a.models.empty() || a.threads < 1 || a.n_prompt < 1 || a.n_gen < 1 || a.reps < 1) {
    std::fprintf(stderr, "usage: bench_generate [-t 2] [-p 512] [-n 128] [-r 3] model.gguf...\n");
    return 2;
  }
  return trove::bench::run(a);
}
