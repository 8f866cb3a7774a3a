// index/flat_scan.cc — see flat_scan.h.
#include "index/flat_scan.h"

#include <algorithm>

#include "core/kernels.h"

namespace trove::index {
namespace {

bool better(const VectorHit& a, const VectorHit& b) {
  return a.score > b.score || (a.score == b.score && a.id < b.id);
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
  gemv_f32(n, dim, vectors, dim, query, scores.data());
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
