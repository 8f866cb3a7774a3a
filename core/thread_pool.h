// core/thread_pool.h — a fixed pool of worker threads for data-parallel kernels.
//
// parallel_for splits [0, n) into contiguous ranges, runs them on the workers and the
// calling thread, and returns when all are done. Dispatch latency matters (decode
// issues hundreds of small matvecs per token), so idle workers spin briefly before
// sleeping. One parallel_for at a time per pool; the pool is not reentrant.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

namespace trove {

class ThreadPool {
 public:
  // n_threads counts the caller: ThreadPool(1) runs everything inline. size() may be
  // smaller than asked: see clamp_thread_count().
  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const;

  // fn(begin, end, thread_index) over [0, n), in chunks of at least `grain` items.
  void parallel_for(int64_t n, const std::function<void(int64_t, int64_t, int)>& fn,
                    int64_t grain = 1);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Threads to use when the user did not say: physical cores, capped at 8.
int default_thread_count();

// The most threads a pool starts: twice the hardware threads, at least 8. More only
// costs memory (a stack each) and contention.
int max_thread_count();
// `requested` bounded to 1..max_thread_count(), with a warning when it was cut. The
// pool applies it; it may also start fewer threads when the system refuses more
// (it warns and runs on those that started, never hangs).
int clamp_thread_count(int requested);

}  // namespace trove
