// index/flat_scan.cc — see flat_scan.h.
#include "index/flat_scan.h"

#include <algorithm>
#include <system_error>
#include <thread>

#include "core/kernels.h"

namespace trove::index {
namespace {

bool better(const VectorHit& a, const VectorHit& b) {
  return a.score > b.score || (a.score == b.score && a.id < b.id);
}

// From this many floats (4 MiB) a second thread scores half the rows: the product is
// memory-bound, and one Zen 3 core reads 10.4 GB/s where two read 17.8 (154 MB sum
// loop). More threads than two gain little once the memory bus is full.
constexpr int64_t kSplitFloats = int64_t{1} << 20;

void score_rows(const float* vectors, int64_t n, int dim, const float* query, float* scores) {
  const bool split = n * dim >= kSplitFloats && std::thread::hardware_concurrency() >= 2;
  if (!split) return gemv_f32(n, dim, vectors, dim, query, scores);
  const int64_t half = n / 2;
  std::thread second;
  try {
    second = std::thread([=] {
      gemv_f32(n - half, dim, vectors + half * dim, dim, query, scores + half);
    });
  } catch (const std::system_error&) {  // no thread to be had: do it all here
    return gemv_f32(n, dim, vectors, dim, query, scores);
  }
  gemv_f32(half, dim, vectors, dim, query, scores);
  second.join();
}

}  // namespace

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
  // A heap ordered by `better` keeps the worst of the best k at its front.
  for (int64_t i = 0; i < n; ++i) {
    if (allowed != nullptr && allowed->count(ids[i]) == 0) continue;
    const VectorHit h{ids[i], scores[static_cast<size_t>(i)]};
    if (static_cast<int>(heap.size()) < k) {
      heap.push_back(h);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(h, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = h;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort(heap.begin(), heap.end(), better);
  return heap;
}

}  // namespace trove::index
