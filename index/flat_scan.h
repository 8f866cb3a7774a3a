// index/flat_scan.h — exact top-k by inner product over a row-major float matrix.
//
// Why not FAISS's IndexFlat::search: Debian's libfaiss (1.7.3) is built without SIMD, so
// its distances run fvec_inner_product_ref, a scalar loop (bench/hybrid, 100k x 384,
// Zen 3: 56 ms p50 a query, the largest part of a hybrid search). The same scores come
// from OpenBLAS sgemv over FAISS's own vector array (two threads for large ones), then
// a heap of k.
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_set>
#include <vector>

#include "index/vector_store.h"

namespace trove::index {

// Result order of every exact search: larger score first, ties to the smaller id.
inline bool ranks_before(const VectorHit& a, const VectorHit& b) {
  return a.score > b.score || (a.score == b.score && a.id < b.id);
}

// The k rows of `vectors` (n rows of dim floats; row i has id ids[i]) with the largest
// inner product with `query`, best first; ties go to the smaller id. When `allowed` is
// non-null only those ids qualify.
std::vector<VectorHit> flat_top_k(const float* vectors, const int64_t* ids, int64_t n, int dim,
                                  const float* query, int k,
                                  const std::unordered_set<int64_t>* allowed);

// fn(lo, hi) over [0, n): on this thread alone, or, when the rows read `bytes` of at
// least 4 MiB, half on a second thread (memory-bound scans: one Zen 3 core reads 10.4
// GB/s, two read 17.8; more threads than two gain little once the bus is full).
void for_row_halves(int64_t n, size_t bytes, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace trove::index
