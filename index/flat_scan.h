// index/flat_scan.h — exact top-k by inner product over a row-major float matrix.
//
// Why not FAISS's IndexFlat::search: Debian's libfaiss (1.7.3) is built without SIMD, so
// its distances run fvec_inner_product_ref, a scalar loop (bench/hybrid, 100k x 384,
// Zen 3: 56 ms p50 a query, the largest part of a hybrid search). The same scores come
// from OpenBLAS sgemv over FAISS's own vector array (two threads for large ones), then
// a heap of k.
#pragma once

#include <cstdint>
#include <unordered_set>
#include <vector>

#include "index/vector_store.h"

namespace trove::index {

// The k rows of `vectors` (n rows of dim floats; row i has id ids[i]) with the largest
// inner product with `query`, best first; ties go to the smaller id. When `allowed` is
// non-null only those ids qualify.
std::vector<VectorHit> flat_top_k(const float* vectors, const int64_t* ids, int64_t n, int dim,
                                  const float* query, int k,
                                  const std::unordered_set<int64_t>* allowed);

}  // namespace trove::index
