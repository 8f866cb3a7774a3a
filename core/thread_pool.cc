// core/thread_pool.cc — the worker pool behind core/thread_pool.h.
//
// Dispatch is a generation counter: parallel_for publishes a job and bumps the
// generation; workers spinning on it start within a few hundred nanoseconds, which is
// what decode needs (hundreds of matvecs per token). A worker that has spun for a
// while without work sleeps on a condition variable, so an idle pool costs no CPU;
// parallel_for only takes the mutex when someone is asleep. Work is handed out in
// contiguous chunks from an atomic cursor, so a thread that gets descheduled (the
// machine may be shared) delays only its current chunk.
#include "core/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "core/log.h"

namespace trove {
namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// How long an idle worker spins before sleeping: long enough to cover the gap between
// the matvecs of one decode step, short enough not to burn a shared core.
constexpr auto kSpinTime = std::chrono::microseconds(200);

}  // namespace

struct ThreadPool::Impl {
  int n_threads = 1;
  std::vector<std::thread> workers;

  // The current job; written by parallel_for before the generation bump.
  const std::function<void(int64_t, int64_t, int)>* fn = nullptr;
  int64_t n = 0;
  int64_t chunk = 1;
  std::atomic<int64_t> cursor{0};
  std::atomic<int> pending{0};  // workers that have not finished the current job

  std::atomic<uint64_t> generation{0};
  std::atomic<int> sleepers{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;

  void run_chunks(int thread_index) {
    for (;;) {
      const int64_t begin = cursor.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= n) return;
      (*fn)(begin, std::min(n, begin + chunk), thread_index);
    }
  }

  // Returns false when the pool is shutting down.
  bool wait_for_generation(uint64_t seen) {
    const auto spin_until = std::chrono::steady_clock::now() + kSpinTime;
    int spins = 0;
    while (generation.load(std::memory_order_acquire) == seen) {
      if (stop.load(std::memory_order_acquire)) return false;
      cpu_relax();
      if (++spins % 64 == 0 && std::chrono::steady_clock::now() > spin_until) {
        std::unique_lock<std::mutex> lock(mu);
        sleepers.fetch_add(1, std::memory_order_seq_cst);
        cv.wait(lock, [&] {
          return generation.load(std::memory_order_seq_cst) != seen ||
                 stop.load(std::memory_order_acquire);
        });
        sleepers.fetch_sub(1, std::memory_order_seq_cst);
      }
    }
    return !stop.load(std::memory_order_acquire);
  }

  void worker_loop(int thread_index) {
    uint64_t seen = 0;
    while (wait_for_generation(seen)) {
      seen = generation.load(std::memory_order_acquire);
      run_chunks(thread_index);
      pending.fetch_sub(1, std::memory_order_acq_rel);
    }
  }

  void wake_sleepers() {
    // A worker increments `sleepers` under the mutex before waiting, and re-checks the
    // generation inside cv.wait's predicate under the same mutex, so taking the mutex
    // here before notifying cannot miss it.
    if (sleepers.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(mu);
      cv.notify_all();
    }
  }
};

ThreadPool::ThreadPool(int n_threads) : impl_(std::make_unique<Impl>()) {
  const int wanted = clamp_thread_count(n_threads);
  impl_->workers.reserve(static_cast<size_t>(wanted - 1));
  for (int i = 1; i < wanted; ++i) {
    try {
      impl_->workers.emplace_back([this, i] { impl_->worker_loop(i); });
    } catch (const std::system_error& e) {
      // Out of threads or address space (ulimit -v, a container's pids limit): run on
      // the threads that did start. Workers only ever read n_threads through a job,
      // and none has been published yet, so shrinking it here is safe.
      log_warn("could start only " + std::to_string(i) + " of " + std::to_string(wanted) +
               " threads (" + e.what() + "); using " + std::to_string(i));
      break;
    }
  }
  impl_->n_threads = static_cast<int>(impl_->workers.size()) + 1;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stop.store(true, std::memory_order_release);
  }
  impl_->cv.notify_all();
  for (std::thread& t : impl_->workers) t.join();
}

int max_thread_count() {
  const unsigned hw = std::thread::hardware_concurrency();
  return std::max(8, 2 * static_cast<int>(hw == 0 ? 1 : hw));
}

int clamp_thread_count(int requested) {
  const int cap = max_thread_count();
  if (requested > cap) {
    log_warn("-t " + std::to_string(requested) +
             " is more threads than this machine can use; using " + std::to_string(cap) +
             " (twice its " + std::to_string(std::thread::hardware_concurrency()) +
             " hardware threads)");
    return cap;
  }
  return std::max(1, requested);
}

int ThreadPool::size() const {
  return impl_->n_threads;
}

void ThreadPool::parallel_for(int64_t n, const std::function<void(int64_t, int64_t, int)>& fn,
                              int64_t grain) {
  if (n <= 0) return;
  grain = std::max<int64_t>(1, grain);
  Impl& p = *impl_;
  const int64_t max_chunks = (n + grain - 1) / grain;
  if (p.n_threads == 1 || max_chunks == 1) {
    fn(0, n, 0);
    return;
  }
  // About four chunks per thread: enough to even out a slow thread, few enough that
  // each chunk is a long contiguous run of rows.
  const int64_t chunks = std::min<int64_t>(max_chunks, int64_t{4} * p.n_threads);
  p.fn = &fn;
  p.n = n;
  p.chunk = std::max(grain, (n + chunks - 1) / chunks);
  p.cursor.store(0, std::memory_order_relaxed);
  p.pending.store(p.n_threads - 1, std::memory_order_relaxed);
  // seq_cst here and on `sleepers` (Dekker pattern): either this thread sees the
  // sleeper's count, or the sleeper's predicate sees the new generation.
  p.generation.fetch_add(1, std::memory_order_seq_cst);
  p.wake_sleepers();

  p.run_chunks(0);
  // Every worker must check in before the job's fields may be reused; yield now and
  // then so a descheduled worker on a busy machine can get the core back.
  for (int spins = 1; p.pending.load(std::memory_order_acquire) != 0; ++spins) {
    cpu_relax();
    if (spins % 4096 == 0) std::this_thread::yield();
  }
}

int default_thread_count() {
  const unsigned hw = std::thread::hardware_concurrency();
  // hardware_concurrency counts SMT siblings; matrix kernels gain nothing from them,
  // but without a portable physical-core count, halving only above 2 is the safe guess.
  int n = hw == 0 ? 1 : static_cast<int>(hw);
  if (n > 2) n /= 2;
  return std::clamp(n, 1, 8);
}

}  // namespace trove
