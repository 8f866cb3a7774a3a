// tests/core_kernels/thread_pool_test.cc — every index visited exactly once, ranges
// respect the grain, a pool of one runs inline, and back-to-back dispatches work
// (including after the workers have gone to sleep).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/thread_pool.h"

namespace trove {
namespace {

void expect_each_visited_once(ThreadPool& pool, int64_t n, int64_t grain) {
  std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
  std::atomic<int> bad_thread{0};
  pool.parallel_for(
      n,
      [&](int64_t b, int64_t e, int tid) {
        if (tid < 0 || tid >= pool.size()) bad_thread.fetch_add(1);
        for (int64_t i = b; i < e; ++i) hits[i].fetch_add(1);
      },
      grain);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "n=" << n << " i=" << i;
  EXPECT_EQ(bad_thread.load(), 0);
}

TEST(ThreadPool, EveryItemVisitedExactlyOnce) {
  for (int threads : {1, 2, 3, 4}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (int64_t n : {0, 1, 2, 3, 7, 64, 1000, 4097}) {
      for (int64_t grain : {1, 5, 100}) expect_each_visited_once(pool, n, grain);
    }
  }
}

TEST(ThreadPool, ChunksAreAtLeastTheGrainExceptTheLast) {
  ThreadPool pool(3);
  std::atomic<int> short_chunks{0};
  const int64_t n = 1000;
  pool.parallel_for(
      n,
      [&](int64_t b, int64_t e, int) {
        if (e - b < 64 && e != n) short_chunks.fetch_add(1);
      },
      64);
  EXPECT_EQ(short_chunks.load(), 0);
}

TEST(ThreadPool, SizeOneRunsInlineOnTheCaller) {
  ThreadPool pool(1);
  const auto caller = std::this_thread::get_id();
  bool same = false;
  pool.parallel_for(10, [&](int64_t, int64_t, int tid) {
    same = std::this_thread::get_id() == caller && tid == 0;
  });
  EXPECT_TRUE(same);
}

TEST(ThreadPool, ManyDispatchesInARow) {
  ThreadPool pool(2);
  int64_t total = 0;
  std::atomic<int64_t> sum{0};
  for (int round = 0; round < 20000; ++round) {
    pool.parallel_for(8, [&](int64_t b, int64_t e, int) { sum.fetch_add(e - b); });
    total += 8;
  }
  EXPECT_EQ(sum.load(), total);
}

TEST(ThreadPool, WorksAfterWorkersFellAsleep) {
  ThreadPool pool(3);
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past the spin window
    expect_each_visited_once(pool, 100, 1);
  }
}

TEST(ThreadPool, DefaultThreadCountIsSane) {
  const int n = default_thread_count();
  EXPECT_GE(n, 1);
  EXPECT_LE(n, 8);
}

}  // namespace
}  // namespace trove
