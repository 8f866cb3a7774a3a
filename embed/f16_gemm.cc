// embed/f16_gemm.cc — see f16_gemm.h: the scalar kernel and the dispatch.
#include "embed/f16_gemm.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/fp16.h"
#include "core/kernels_internal.h"

namespace trove {

void f16_gemm_scalar(const uint16_t* w, size_t row_bytes, int64_t rows, int64_t cols,
                     const float* x, int64_t n, float* y, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    const auto* wr = reinterpret_cast<const uint16_t*>(reinterpret_cast<const char*>(w) +
                                                       static_cast<size_t>(r) * row_bytes);
    for (int64_t t = 0; t < n; ++t) {
      const float* xt = x + t * cols;
      float a[8] = {};
      for (int64_t l = 0; l < cols; l += 8) {
        for (int i = 0; i < 8; ++i) {
          a[i] = std::fma(fp16::half_to_float(wr[l + i]), xt[l + i], a[i]);
        }
      }
      // The lane order of _mm256 -> (hi + lo) -> movehl -> movehdup.
      y[t * rows + r] = ((a[4] + a[0]) + (a[6] + a[2])) + ((a[5] + a[1]) + (a[7] + a[3]));
    }
  }
}

void f16_gemm(const TensorView& w, const float* x, int64_t n, float* y, ThreadPool* pool) {
  assert(w.type == GgmlType::kF16 && w.cols % 8 == 0);
  const F16GemmFn fn =
      kern::best_kernels().level >= kern::SimdLevel::kAvx2 ? f16_gemm_avx2 : f16_gemm_scalar;
  const auto* data = static_cast<const uint16_t*>(w.data);
  // Tiles of 64 rows x 64 tokens: a tile's activations (64 x cols floats) stay in L2
  // while its weight rows pass, instead of every row block streaming all tokens.
  constexpr int64_t kRows = 64, kTokens = 64;
  const int64_t row_tiles = (w.rows + kRows - 1) / kRows;
  const int64_t tok_tiles = (n + kTokens - 1) / kTokens;
  auto job = [&](int64_t j0, int64_t j1, int) {
    for (int64_t j = j0; j < j1; ++j) {
      const int64_t r0 = (j % row_tiles) * kRows;
      const int64_t t0 = (j / row_tiles) * kTokens;
      fn(data, w.row_bytes, w.rows, w.cols, x + t0 * w.cols, std::min(kTokens, n - t0),
         y + t0 * w.rows, r0, std::min(w.rows, r0 + kRows));
    }
  };
  const int64_t tiles = row_tiles * tok_tiles;
  if (pool != nullptr && tiles > 1) {
    pool->parallel_for(tiles, job, 1);
  } else {
    job(0, tiles, 0);
  }
}

}  // namespace trove
