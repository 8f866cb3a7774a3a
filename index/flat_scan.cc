// index/flat_scan.cc — see flat_scan.h.
#include "index/flat_scan.h"

#include <algorithm>
#include <system_error>
#include <thread>

#include "core/kernels.h"

namespace trove::index {
namespace {

constexpr size_t kSplitBytes = size_t{4} << 20;

void score_rows(const float* vectors, int64_t n, int dim, const float* query, float* scores) {
  const size_t bytes = static_cast<size_t>(n) * static_cast<size_t>(dim) * sizeof(float);
  for_row_halves(n, bytes, [=](int64_t lo, int64_t hi) {
    gemv_f32(hi - lo, dim, vectors + lo * dim, dim, query, scores + lo);
  });
}

}  // namespace

void for_row_halves(int64_t n, size_t bytes, const std::function<void(int64_t, int64_t)>& fn) {
  const bool split = bytes >= kSplitBytes && n >= 2 && std::thread::hardware_concurrency() >= 2;
  if (!split) return fn(0, n);
  const int64_t half = n / 2;
  std::thread second;
  try {
    second = std::thread([&] { fn(half, n); });
  } catch (const std::system_error&) {  // no thread to be had: do it all here
    return fn(0, n);
  }
  fn(0, half);
  second.join();
}

std::vector<VectorHit> flat_top_k(const float* vectors, const int64_t* ids, int64_t n, int dim,
                                  const float* query, int k,
                                  const std::unordered_set<int64_t>* allowed) {
  std::vector<VectorHit> heap;
  if (k <= 0 || n <= 0) return heap;
  // Scores of all rows at once: a 1 x n product, memory-bound, about 4 x n x dim bytes.
  thread_local std::vector<float> scores;
  scores.resize(static_cast<size_t>(n));
  score_rows(vectors, n, dim, query, scores.data());
  heap.reserve(static_cast<size_t>(k) + 1);
  // A heap ordered by ranks_before keeps the worst of the best k at its front.
  for (int64_t i = 0; i < n; ++i) {
    if (allowed != nullptr && allowed->count(ids[i]) == 0) continue;
    const VectorHit h{ids[i], scores[static_cast<size_t>(i)]};
    if (static_cast<int>(heap.size()) < k) {
      heap.push_back(h);
      std::push_heap(heap.begin(), heap.end(), ranks_before);
    } else if (ranks_before(h, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), ranks_before);
      heap.back() = h;
      std::push_heap(heap.begin(), heap.end(), ranks_before);
    }
  }
  std::sort(heap.begin(), heap.end(), ranks_before);
  return heap;
}

}  // namespace trove::index
