// embed/f16_gemm_avx2.cc — the AVX2/FMA/F16C kernel of f16_gemm.h: 4 rows x 2 tokens
// of accumulators per step, each output's sum in the order the header states (the
// scalar twin's).
#include <immintrin.h>

#include "embed/f16_gemm.h"

namespace trove {
namespace {

inline float hsum(__m256 v) {
  __m128 x = _mm_add_ps(_mm256_extractf128_ps(v, 1), _mm256_castps256_ps128(v));
  x = _mm_add_ps(x, _mm_movehl_ps(x, x));
  x = _mm_add_ss(x, _mm_movehdup_ps(x));
  return _mm_cvtss_f32(x);
}

inline __m256 load_half8(const uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

const uint16_t* row_of(const uint16_t* w, size_t row_bytes, int64_t r) {
  return reinterpret_cast<const uint16_t*>(reinterpret_cast<const char*>(w) +
                                           static_cast<size_t>(r) * row_bytes);
}

// One output (row r, token t).
float dot1(const uint16_t* wr, const float* xt, int64_t cols) {
  __m256 a = _mm256_setzero_ps();
  for (int64_t l = 0; l < cols; l += 8)
    a = _mm256_fmadd_ps(load_half8(wr + l), _mm256_loadu_ps(xt + l), a);
  return hsum(a);
}

}  // namespace

void f16_gemm_avx2(const uint16_t* w, size_t row_bytes, int64_t rows, int64_t cols, const float* x,
                   int64_t n, float* y, int64_t r0, int64_t r1) {
  int64_t r = r0;
  for (; r + 4 <= r1; r += 4) {
    const uint16_t* w0 = row_of(w, row_bytes, r);
    const uint16_t* w1 = row_of(w, row_bytes, r + 1);
    const uint16_t* w2 = row_of(w, row_bytes, r + 2);
    const uint16_t* w3 = row_of(w, row_bytes, r + 3);
    int64_t t = 0;
    for (; t + 2 <= n; t += 2) {
      const float* x0 = x + t * cols;
      const float* x1 = x0 + cols;
      __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
             c30 = c00, c31 = c00;
      for (int64_t l = 0; l < cols; l += 8) {
        const __m256 b0 = _mm256_loadu_ps(x0 + l), b1 = _mm256_loadu_ps(x1 + l);
        const __m256 a0 = load_half8(w0 + l), a1 = load_half8(w1 + l);
        const __m256 a2 = load_half8(w2 + l), a3 = load_half8(w3 + l);
        c00 = _mm256_fmadd_ps(a0, b0, c00);
        c01 = _mm256_fmadd_ps(a0, b1, c01);
        c10 = _mm256_fmadd_ps(a1, b0, c10);
        c11 = _mm256_fmadd_ps(a1, b1, c11);
        c20 = _mm256_fmadd_ps(a2, b0, c20);
        c21 = _mm256_fmadd_ps(a2, b1, c21);
        c30 = _mm256_fmadd_ps(a3, b0, c30);
        c31 = _mm256_fmadd_ps(a3, b1, c31);
      }
      float* y0 = y + t * rows + r;
      float* y1 = y0 + rows;
      y0[0] = hsum(c00), y0[1] = hsum(c10), y0[2] = hsum(c20), y0[3] = hsum(c30);
      y1[0] = hsum(c01), y1[1] = hsum(c11), y1[2] = hsum(c21), y1[3] = hsum(c31);
    }
    for (; t < n; ++t) {
      const float* xt = x + t * cols;
      for (int i = 0; i < 4; ++i) y[t * rows + r + i] = dot1(row_of(w, row_bytes, r + i), xt, cols);
    }
  }
  for (; r < r1; ++r) {
    const uint16_t* wr = row_of(w, row_bytes, r);
    for (int64_t t = 0; t < n; ++t) y[t * rows + r] = dot1(wr, x + t * cols, cols);
  }
}

}  // namespace trove
