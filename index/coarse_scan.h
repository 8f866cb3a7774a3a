// index/coarse_scan.h — exact top-k by inner product, read mostly through Q8_0 copies
// of the vectors.
//
// Why: an exact scan of float vectors is memory-bound (100k x 384 floats = 154 MB a
// query; two Zen 3 cores read 17.8 GB/s, so >= 8.6 ms). Q8_0 codes (32 int8 and one f16
// scale per block, 1.06 bytes a dimension) are a quarter of that and go through the
// engine's int8 matvec kernels. The result stays exact, not approximate: every row
// carries a bound on how far its code's score can be from the float score, so a row
// can be skipped only when even its best case is below the k-th best worst case. The
// few rows that survive (tens for random vectors; more for clustered ones) are scored
// again from the floats. Where the bounds leave too many rows the caller scans floats.
//
// The bound, for a row v with code ṽ and a query q quantized by the kernel to q̃:
//   v·q − ṽ·q̃ = (v − ṽ)·q̃ + v·(q − q̃),  so  |v·q − ṽ·q̃| ≤ ‖v − ṽ‖·‖q̃‖ + ‖v‖·‖q − q̃‖.
// ‖v − ṽ‖ is measured when the code is made; ‖q − q̃‖ is bounded from the query alone
// (round-to-nearest on scale amax/127 with an f16 scale), whichever kernel quantizes it;
// float rounding of both sums is covered by a relative slack.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <unordered_set>
#include <vector>

#include "index/vector_store.h"

namespace trove::index {

class CoarseCodes {
 public:
  // Whether vectors of this width can be coded (Q8_0 blocks are 32 wide).
  static bool supports(int dim) { return dim > 0 && dim % 32 == 0; }
  // Codes for n rows of dim floats. Returns nullopt when *stop became true meanwhile,
  // or when a row is not finite or too large for an f16 scale.
  static std::optional<CoarseCodes> build(const float* vectors, int64_t n, int dim,
                                          const std::atomic<bool>* stop = nullptr);

  int dim() const { return dim_; }
  int64_t rows() const { return rows_; }
  size_t bytes() const;

  // The exact top-k as flat_top_k gives it (flat_scan.h) over the same vectors (the
  // rows these codes were built from, ids[i] for row i), best first, ties to the
  // smaller id; nullopt when the bounds do not narrow the rows enough to pay, or the
  // query is not finite: then scan the floats.
  std::optional<std::vector<VectorHit>> top_k(const float* vectors, const int64_t* ids,
                                              const float* query, int k,
                                              const std::unordered_set<int64_t>* allowed) const;

 private:
  int dim_ = 0;
  int64_t rows_ = 0;
  size_t row_bytes_ = 0;
  std::vector<uint8_t> codes_;  // rows_ x row_bytes_, Q8_0
  std::vector<float> err_;      // ‖v − ṽ‖ plus its rounding slack, per row
  std::vector<float> norm_;     // ‖v‖ per row
};

}  // namespace trove::index
