// bench/core/kernels_bench.cc — how close the kernels get to the machine.
//
// Prints, for 1 and 2 threads: the memory read bandwidth measured in this run (a sum
// over a buffer far larger than the caches), matvec throughput per weight type in GB/s
// of weights read and as a fraction of that bandwidth (decode is memory-bound, so the
// fraction is the figure that matters), and matmul GFLOP/s for batches of 8/64/512
// tokens. Figures are medians over several runs.
//
// On a shared machine wall time mostly measures the other processes, so each figure
// also comes normalised by CPU time ("cpu" columns): work / (process CPU seconds /
// threads), i.e. the speed had each thread owned its core. Both are printed; compare
// like with like (the roofline fraction uses the bandwidth measured the same way).
//
// Usage: bench_kernels [--quick] [--matmul-only] [--types q4_K,q6_K,...]
// (TROVE_SIMD=scalar|avx2|avx512 picks the kernel level)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "core/kernels.h"
#include "core/kernels_internal.h"
#include "core/thread_pool.h"

namespace {

using trove::GgmlType;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Timing {
  double wall = 0;  // median wall seconds
  double cpu = 0;   // median process CPU seconds divided by the thread count
};

template <class F>
Timing median_seconds(int runs, int threads, F&& f) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < runs; ++i) {
    const double c0 = process_cpu_seconds();
    const auto t0 = Clock::now();
    f();
    wall.push_back(seconds_since(t0));
    cpu.push_back((process_cpu_seconds() - c0) / threads);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

// Read bandwidth: sum 1 GiB of uint64 words split over the pool.
Timing read_bandwidth(trove::ThreadPool& pool, const std::vector<uint64_t>& buf, int runs) {
  std::vector<uint64_t> partial(16);
  const Timing s = median_seconds(runs, pool.size(), [&] {
    pool.parallel_for(
        static_cast<int64_t>(buf.size()),
        [&](int64_t b, int64_t e, int tid) {
          uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
          int64_t i = b;
          for (; i + 4 <= e; i += 4) {
            a0 += buf[i];
            a1 += buf[i + 1];
            a2 += buf[i + 2];
            a3 += buf[i + 3];
          }
          for (; i < e; ++i) a0 += buf[i];
          partial[tid] += a0 + a1 + a2 + a3;
        },
        1 << 16);
  });
  uint64_t sink = 0;
  for (uint64_t p : partial) sink += p;
  if (sink == 42) std::printf(" ");  // keep the sum alive
  return s;
}

struct Matrix {
  GgmlType type;
  int64_t rows, cols;
  std::vector<uint8_t> data;
  size_t bytes() const { return trove::row_size(type, cols) * static_cast<size_t>(rows); }
  // Copy c of the matrix: matvec cycles over copies so that, like a real model's
  // layers, the weights come from DRAM and not from a cache that held the last call.
  int copies() const { return static_cast<int>(data.size() / bytes()); }
  trove::TensorView view(int c = 0) const {
    return trove::TensorView{type, rows, cols, data.data() + static_cast<size_t>(c) * bytes(),
                             trove::row_size(type, cols)};
  }
};

// Random weights: 64 distinct quantized rows repeated (content does not change the
// speed, and quantizing 16M weights per type would dominate the run).
Matrix make_matrix(GgmlType t, int64_t rows, int64_t cols) {
  Matrix m{t, rows, cols, {}};
  const size_t rb = trove::row_size(t, cols);
  m.data.resize(rb * static_cast<size_t>(rows));
  uint32_t seed = 12345;
  std::vector<float> row(static_cast<size_t>(cols));
  for (int64_t r = 0; r < std::min<int64_t>(rows, 64); ++r) {
    for (float& v : row) {
      seed = seed * 1664525u + 1013904223u;
      v = (static_cast<float>(seed >> 8) / 16777216.0f - 0.5f) * 0.1f;
    }
    trove::quantize_row(t, row.data(), m.data.data() + r * rb, cols);
  }
  for (int64_t r = 64; r < rows; ++r)
    std::memcpy(m.data.data() + r * rb, m.data.data() + (r % 64) * rb, rb);
  return m;
}

// As make_matrix, repeated until at least 256 MiB: far beyond any L3.
Matrix make_matrix_copies(GgmlType t, int64_t rows, int64_t cols) {
  Matrix m = make_matrix(t, rows, cols);
  const size_t one = m.data.size();
  const size_t copies = std::max<size_t>(1, ((size_t{256} << 20) + one - 1) / one);
  m.data.resize(one * copies);
  for (size_t c = 1; c < copies; ++c) std::memcpy(m.data.data() + c * one, m.data.data(), one);
  return m;
}

std::vector<float> random_vec(int64_t n) {
  std::vector<float> v(static_cast<size_t>(n));
  uint32_t seed = 777;
  for (float& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<float>(seed >> 8) / 16777216.0f - 0.5f;
  }
  return v;
}

void matvec_section(const std::vector<GgmlType>& types, int runs, bool quick);
void matmul_section(const std::vector<GgmlType>& types, int runs);

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  bool matmul_only = false;
  std::string types_arg;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    if (std::strcmp(argv[i], "--matmul-only") == 0) matmul_only = true;
    if (std::strcmp(argv[i], "--types") == 0 && i + 1 < argc) types_arg = argv[++i];
  }
  const int runs = quick ? 3 : 7;
  std::vector<GgmlType> types = {GgmlType::kQ4_K, GgmlType::kQ6_K, GgmlType::kQ5_K, GgmlType::kQ8_0,
                                 GgmlType::kQ4_0, GgmlType::kQ4_1, GgmlType::kQ5_0, GgmlType::kQ5_1,
                                 GgmlType::kQ2_K, GgmlType::kQ3_K, GgmlType::kF16,  GgmlType::kBF16,
                                 GgmlType::kF32};
  if (!types_arg.empty()) {
    std::vector<GgmlType> chosen;
    for (GgmlType t : types) {
      const std::string name(trove::type_traits(t)->name);
      if (("," + types_arg + ",").find("," + name + ",") != std::string::npos) chosen.push_back(t);
    }
    types = chosen;
  }
  std::printf("kernels: %s\n", trove::kern::simd_level_name(trove::kern::best_kernels().level));

  {
    // Dispatch latency: decode issues hundreds of small parallel_for calls per token.
    trove::ThreadPool pool(2);
    std::vector<int64_t> sink(2);
    const int calls = 20000;
    const Timing t = median_seconds(runs, 2, [&] {
      for (int i = 0; i < calls; ++i) {
        pool.parallel_for(2, [&](int64_t b, int64_t, int tid) { sink[tid] += b; });
      }
    });
    std::printf("thread pool dispatch (2 threads, 2 items): %.2f us wall per call\n",
                t.wall / calls * 1e6);
  }

  if (!matmul_only) matvec_section(types, runs, quick);
  matmul_section(types, runs);
  return 0;
}

namespace {

void matvec_section(const std::vector<GgmlType>& types, int runs, bool quick) {
  std::vector<uint64_t> big(static_cast<size_t>(1) << (quick ? 26 : 27));  // 512 MiB / 1 GiB
  for (size_t i = 0; i < big.size(); ++i) big[i] = i;
  double bw[3] = {}, bw_cpu[3] = {};
  const double big_bytes = static_cast<double>(big.size() * sizeof(uint64_t));
  for (int threads : {1, 2}) {
    trove::ThreadPool pool(threads);
    const Timing t = read_bandwidth(pool, big, runs);
    bw[threads] = big_bytes / t.wall / 1e9;
    bw_cpu[threads] = big_bytes / t.cpu / 1e9;
    std::printf("read bandwidth, %d thread(s): %.1f GB/s wall, %.1f GB/s cpu\n", threads,
                bw[threads], bw_cpu[threads]);
  }
  big = {};

  std::printf("\nmatvec (decode): GB/s of weights read, %% of measured bandwidth\n");
  std::printf("%-6s %-11s %8s %5s %8s %5s | %8s %5s %8s %5s\n", "type", "shape", "1t wall", "%",
              "1t cpu", "%", "2t wall", "%", "2t cpu", "%");
  const std::pair<int64_t, int64_t> shapes[] = {{4096, 4096}, {896, 4864}};
  for (GgmlType t : types) {
    for (auto [rows, cols] : shapes) {
      const Matrix m = make_matrix_copies(t, rows, cols);
      const std::vector<float> x = random_vec(cols);
      std::vector<float> y(static_cast<size_t>(rows));
      std::printf("%-6s %5lldx%-5lld", std::string(trove::type_traits(t)->name).c_str(),
                  static_cast<long long>(rows), static_cast<long long>(cols));
      for (int threads : {1, 2}) {
        trove::ThreadPool pool(threads);
        // One timed sample = one pass over all copies (>= 256 MiB of weights).
        const Timing s = median_seconds(runs, threads, [&] {
          for (int c = 0; c < m.copies(); ++c) {
            trove::matvec(m.view(c), x.data(), y.data(), &pool);
          }
        });
        const double bytes = static_cast<double>(m.data.size());
        const double gbs = bytes / s.wall / 1e9, gbs_cpu = bytes / s.cpu / 1e9;
        std::printf(" %8.1f %4.0f%% %8.1f %4.0f%%%s", gbs, 100.0 * gbs / bw[threads], gbs_cpu,
                    100.0 * gbs_cpu / bw_cpu[threads], threads == 1 ? " |" : "");
      }
      std::printf("\n");
    }
  }
}

void matmul_section(const std::vector<GgmlType>& types, int runs) {
  std::printf("\nmatmul (batches), 896x4864 weights: GFLOP/s, int8 tiles / dequantize+sgemm\n");
  std::printf("(each cell: wall / cpu-normalised)\n");
  std::printf("%-6s %-6s %12s %12s %12s %12s %12s %12s\n", "type", "path", "n=8 1t", "n=8 2t",
              "n=64 1t", "n=64 2t", "n=512 1t", "n=512 2t");
  for (GgmlType t : types) {
    const Matrix m = make_matrix(t, 896, 4864);
    const bool is_float = t == GgmlType::kF32 || t == GgmlType::kF16 || t == GgmlType::kBF16;
    for (auto path : {trove::kern::MatmulPath::kTiles, trove::kern::MatmulPath::kSgemm}) {
      if (is_float && path == trove::kern::MatmulPath::kTiles) continue;
      std::printf("%-6s %-6s", std::string(trove::type_traits(t)->name).c_str(),
                  path == trove::kern::MatmulPath::kTiles ? "tiles" : "sgemm");
      for (int64_t n : {8, 64, 512}) {
        const std::vector<float> x = random_vec(n * m.cols);
        std::vector<float> y(static_cast<size_t>(n * m.rows));
        for (int threads : {1, 2}) {
          trove::ThreadPool pool(threads);
          const int r = n == 512 ? std::max(1, runs / 2) : runs;
          const Timing s = median_seconds(r, threads, [&] {
            trove::kern::matmul_path(path, m.view(), x.data(), n, y.data(), &pool);
          });
          const double flop = 2.0 * static_cast<double>(m.rows * m.cols * n);
          std::printf(" %5.1f / %4.1f", flop / s.wall / 1e9, flop / s.cpu / 1e9);
        }
      }
      std::printf("\n");
    }
  }
}

}  // namespace
