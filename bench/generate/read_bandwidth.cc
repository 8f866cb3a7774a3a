// bench/generate/read_bandwidth.cc — streaming-read bandwidth probe.
#include "bench/generate/read_bandwidth.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace trove::bench {

double read_bandwidth(ThreadPool& pool, size_t bytes, int reps) {
  const size_t n = bytes / sizeof(uint64_t);
  std::vector<uint64_t> buf(n);
  for (size_t i = 0; i < n; ++i) buf[i] = i * 0x9E3779B97F4A7C15ull;  // touch every page
  std::vector<uint64_t> sinks(static_cast<size_t>(pool.size()) * 8);
  double best = 0;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    // Chunks of 64 KiB so both threads stream at once.
    const int64_t chunk = 8192;
    const int64_t n_chunks = static_cast<int64_t>(n) / chunk;
    pool.parallel_for(n_chunks, [&](int64_t c0, int64_t c1, int thread) {
      // Eight independent sums keep the loads in flight; the compiler vectorises them.
      uint64_t s[8] = {};
      for (int64_t c = c0; c < c1; ++c) {
        const uint64_t* p = buf.data() + c * chunk;
        for (int64_t i = 0; i < chunk; i += 8) {
          for (int k = 0; k < 8; ++k) s[k] += p[i + k];
        }
      }
      for (int k = 0; k < 8; ++k) sinks[static_cast<size_t>(thread) * 8 + k] += s[k];
    });
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, static_cast<double>(n_chunks * chunk * 8) / sec);
  }
  // Use the sums so the loop cannot be removed.
  uint64_t all = 0;
  for (uint64_t v : sinks) all ^= v;
  if (all == 42) best += 1e-9;
  return best;
}

}  // namespace trove::bench
