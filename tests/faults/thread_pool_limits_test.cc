// tests/faults/thread_pool_limits_test.cc — issue 15, fault 3: an absurd thread count
// is clamped (with a warning), and a pool whose threads cannot all be created (an
// address-space limit) runs on the ones that started instead of hanging or aborting.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "core/c_file.h"
#include "core/thread_pool.h"

namespace trove {
namespace {

TEST(ThreadPoolLimits, AHugeCountIsClampedToTheMaximum) {
  ThreadPool pool(100000);
  EXPECT_EQ(pool.size(), max_thread_count());
  EXPECT_LE(max_thread_count(), 4096);
  std::atomic<int64_t> sum{0};
  pool.parallel_for(1000, [&](int64_t b, int64_t e, int) {
    for (int64_t i = b; i < e; ++i) sum += i;
  });
  EXPECT_EQ(sum.load(), 999 * 1000 / 2);
}

// In a child process: with 24 MiB of address space left, thread stacks (8 MiB each)
// run out before max_thread_count() (at least 8) threads exist.
void pool_under_address_space_limit() {
  alarm(30);  // a hang fails the test instead of blocking the suite
  struct rlimit rl {};
  getrlimit(RLIMIT_AS, &rl);
  unsigned long pages = 0;
  {
    // /proc/self/statm: "size resident ..." in pages, read as text (fscanf cannot say
    // whether the number overflowed).
    UniqueFile f(fopen("/proc/self/statm", "r"));
    if (f == nullptr) std::_Exit(3);
    char buf[64] = {};
    const size_t n = fread(buf, 1, sizeof buf - 1, f.get());
    if (std::from_chars(buf, buf + n, pages).ec != std::errc()) std::_Exit(3);
  }
  rl.rlim_cur = pages * static_cast<unsigned long>(sysconf(_SC_PAGESIZE)) + (24ul << 20);
  if (setrlimit(RLIMIT_AS, &rl) != 0) std::_Exit(4);
  {
    ThreadPool pool(max_thread_count());
    if (pool.size() >= max_thread_count()) std::_Exit(5);
    std::atomic<int64_t> sum{0};
    pool.parallel_for(10000, [&](int64_t b, int64_t e, int) {
      for (int64_t i = b; i < e; ++i) sum += i;
    });
    if (sum.load() != int64_t{9999} * 10000 / 2) std::_Exit(6);
  }
  std::_Exit(0);
}

TEST(ThreadPoolLimits, ThreadCreationFailureUnwindsAndRunsOnFewerThreads) {
  ::testing::FLAGS_gtest_death_test_style = "threadsafe";
  EXPECT_EXIT(pool_under_address_space_limit(), ::testing::ExitedWithCode(0), "could start only");
}

}  // namespace
}  // namespace trove
