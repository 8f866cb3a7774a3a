// core/kernels_avx512.cc — the AVX-512 (F, BW, VL, DQ, VNNI) kernel table.
//
// Starts from the AVX2 table and replaces the kernels that matter most for the
// models trove runs: Q8_0 (VNNI vpdpbusd over two blocks per register), Q4_K and
// Q6_K (the AVX2 scheme on 512-bit registers, two 32-element groups per
// instruction), and F16 (16 halves per conversion). Compiled with the AVX-512 flags
// (core/CMakeLists.txt) and reached only through kernels_for() after cpuid says the
// CPU and OS support all of them. Like the AVX2 file, no standard-library templates.
// GCC 12's AVX-512 headers build some results from _mm512_undefined_*(), which its
// own -Wuninitialized then reports at every inlined use (a known false positive);
// silenced for this file only, where every such value is fully overwritten.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstring>
#include <initializer_list>

#include "core/fp16.h"
#include "core/kernels_internal.h"
#include "core/quant_blocks.h"

// Offsets inside a quantisation block (a constant stride times an index below the
// block's 2..16 sub-blocks: at most 256) are int arithmetic on purpose, as in
// llama.cpp's kernels that these mirror; they cannot overflow. Row offsets, which can
// be large, are size_t/int64_t in this file.
// NOLINTBEGIN(bugprone-implicit-widening-of-multiplication-result)

namespace trove::kern {
namespace {

using fp16::half_to_float;
using namespace quant;  // NOLINT(google-build-using-namespace): block structs

inline __m256i load32(const void* p) {
  return _mm256_loadu_si256(static_cast<const __m256i*>(p));
}

// Two 32-byte pieces from anywhere into one zmm (a in the low half).
inline __m512i join(const void* a, const void* b) {
  return _mm512_inserti64x4(_mm512_castsi256_si512(load32(a)), load32(b), 1);
}

// Two int16 constants, a in the low 256 bits and b in the high.
inline __m512i halves16(int a, int b) {
  return _mm512_inserti64x4(_mm512_set1_epi16(static_cast<int16_t>(a)),
                            _mm256_set1_epi16(static_cast<int16_t>(b)), 1);
}

inline float hsum512(__m512 v) {
  return _mm512_reduce_add_ps(v);
}

// ---- Q8_0: two blocks per zmm; vpdpbusd multiplies |x| by y carrying x's sign ----

float dot_q8_0(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ8_0*>(w);
  const auto* y = static_cast<const BlockQ8_0*>(act);
  const int64_t nb = n / kQK;
  __m512 acc = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 2 <= nb; i += 2) {
    const __m512i xv = join(x[i].qs, x[i + 1].qs);
    const __m512i yv = join(y[i].qs, y[i + 1].qs);
    const __mmask64 neg = _mm512_movepi8_mask(xv);
    const __m512i y_signed = _mm512_mask_sub_epi8(yv, neg, _mm512_setzero_si512(), yv);
    const __m512i sum = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_abs_epi8(xv), y_signed);
    const __m512 d = _mm512_insertf32x8(
        _mm512_set1_ps(half_to_float(x[i].d) * half_to_float(y[i].d)),
        _mm256_set1_ps(half_to_float(x[i + 1].d) * half_to_float(y[i + 1].d)), 1);
    acc = _mm512_fmadd_ps(d, _mm512_cvtepi32_ps(sum), acc);
  }
  float total = hsum512(acc);
  if (i < nb) {
    const __m256i xv = load32(x[i].qs);
    const __m256i yv = load32(y[i].qs);
    const __m256i sum =
        _mm256_dpbusd_epi32(_mm256_setzero_si256(), _mm256_abs_epi8(xv), _mm256_sign_epi8(yv, xv));
    const __m256 s = _mm256_cvtepi32_ps(sum);
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_movehdup_ps(h));
    total += _mm_cvtss_f32(h) * half_to_float(x[i].d) * half_to_float(y[i].d);
  }
  return total;
}

// ---- Q4_K: a zmm of 64 code bytes = chunks c and c+1; low nibbles are groups 2c and
// 2c+2, high nibbles groups 2c+1 and 2c+3 ----

void unpack_k4_scales(const uint8_t* packed, uint8_t sc[8], uint8_t m[8]) {
  uint32_t a0, a1, a2;
  std::memcpy(&a0, packed, 4);
  std::memcpy(&a1, packed + 4, 4);
  std::memcpy(&a2, packed + 8, 4);
  const uint32_t s_lo = a0 & 0x3F3F3F3F;
  const uint32_t m_lo = a1 & 0x3F3F3F3F;
  const uint32_t s_hi = (a2 & 0x0F0F0F0F) | ((a0 >> 2) & 0x30303030);
  const uint32_t m_hi = ((a2 >> 4) & 0x0F0F0F0F) | ((a1 >> 2) & 0x30303030);
  std::memcpy(sc, &s_lo, 4);
  std::memcpy(sc + 4, &s_hi, 4);
  std::memcpy(m, &m_lo, 4);
  std::memcpy(m + 4, &m_hi, 4);
}

int bsum_dot(const int16_t* bsums, __m256i scales16) {
  const __m256i p = _mm256_madd_epi16(load32(bsums), scales16);
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(p), _mm256_extracti128_si256(p, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(s);
}

float dot_q4_k(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ4_K*>(w);
  const auto* y = static_cast<const BlockQ8_K*>(act);
  __m512 acc = _mm512_setzero_ps();
  float acc_min = 0.0f;
  const __m512i low4 = _mm512_set1_epi8(0x0F);
  for (int64_t i = 0; i < n / kQKK; ++i) {
    uint8_t sc[8], m[8];
    unpack_k4_scales(x[i].scales, sc, m);
    const __m128i m8 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(m));
    acc_min +=
        y[i].d * half_to_float(x[i].dmin) *
        static_cast<float>(bsum_dot(y[i].bsums, _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m8, m8))));
    __m512i sumi = _mm512_setzero_si512();
    for (int c = 0; c < 4; c += 2) {
      const __m512i q = _mm512_loadu_si512(x[i].qs + 32 * c);
      const __m512i lo = _mm512_and_si512(q, low4);
      const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(q, 4), low4);
      const int8_t* a = y[i].qs + 64 * c;
      const __m512i p_lo = _mm512_maddubs_epi16(lo, join(a, a + 64));
      const __m512i p_hi = _mm512_maddubs_epi16(hi, join(a + 32, a + 96));
      sumi = _mm512_add_epi32(sumi, _mm512_madd_epi16(p_lo, halves16(sc[2 * c], sc[2 * c + 2])));
      sumi =
          _mm512_add_epi32(sumi, _mm512_madd_epi16(p_hi, halves16(sc[2 * c + 1], sc[2 * c + 3])));
    }
    acc = _mm512_fmadd_ps(_mm512_set1_ps(y[i].d * half_to_float(x[i].d)), _mm512_cvtepi32_ps(sumi),
                          acc);
  }
  return hsum512(acc) - acc_min;
}

// ---- Q6_K: per half, the four 32-element quarters pair up as (q1, q2) and (q3, q4);
// each zmm lane of 16 int16 products covers one group of 16 ----

float dot_q6_k(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ6_K*>(w);
  const auto* y = static_cast<const BlockQ8_K*>(act);
  float acc = 0.0f;
  const __m512i low4 = _mm512_set1_epi8(0x0F);
  const __m512i three = _mm512_set1_epi8(3);
  for (int64_t i = 0; i < n / kQKK; ++i) {
    const int8_t* sc = x[i].scales;
    const __m256i sc16 =
        _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(sc)));
    const int32_t offset = -32 * bsum_dot(y[i].bsums, sc16);
    __m512i sumi = _mm512_setzero_si512();
    for (int h = 0; h < 2; ++h) {
      // ql: 64 bytes = [ql0 (quarters 1, 3) | ql1 (quarters 2, 4)]; qh: 32 bytes for all.
      const __m512i ql = _mm512_loadu_si512(x[i].ql + 64 * h);
      const __m256i qh = load32(x[i].qh + 32 * h);
      const __m512i qh2 =
          _mm512_inserti64x4(_mm512_castsi256_si512(qh), _mm256_srli_epi16(qh, 2), 1);
      // Quarters 1 and 2: low nibbles of ql0 / ql1 with qh bits 0-1 / 2-3.
      const __m512i q12 = _mm512_or_si512(_mm512_and_si512(ql, low4),
                                          _mm512_slli_epi16(_mm512_and_si512(qh2, three), 4));
      // Quarters 3 and 4: high nibbles with qh bits 4-5 / 6-7.
      const __m512i q34 =
          _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(ql, 4), low4),
                          _mm512_slli_epi16(_mm512_and_si512(_mm512_srli_epi16(qh2, 4), three), 4));
      const int8_t* a = y[i].qs + 128 * h;
      const int8_t* s = sc + 8 * h;
      const __m512i p12 = _mm512_maddubs_epi16(q12, _mm512_loadu_si512(a));
      const __m512i p34 = _mm512_maddubs_epi16(q34, _mm512_loadu_si512(a + 64));
      // Lanes of 8 int16 (= 16 elements) map to groups s[0..3] and s[4..7] in order.
      const __m512i s12 = _mm512_inserti64x4(
          _mm512_castsi256_si512(_mm256_set_m128i(_mm_set1_epi16(s[1]), _mm_set1_epi16(s[0]))),
          _mm256_set_m128i(_mm_set1_epi16(s[3]), _mm_set1_epi16(s[2])), 1);
      const __m512i s34 = _mm512_inserti64x4(
          _mm512_castsi256_si512(_mm256_set_m128i(_mm_set1_epi16(s[5]), _mm_set1_epi16(s[4]))),
          _mm256_set_m128i(_mm_set1_epi16(s[7]), _mm_set1_epi16(s[6])), 1);
      sumi = _mm512_add_epi32(sumi, _mm512_madd_epi16(p12, s12));
      sumi = _mm512_add_epi32(sumi, _mm512_madd_epi16(p34, s34));
    }
    const int32_t total = _mm512_reduce_add_epi32(sumi) + offset;
    acc += y[i].d * half_to_float(x[i].d) * static_cast<float>(total);
  }
  return acc;
}

// ---- F16: sixteen halves per conversion, masked loads for the tail ----

float dot_f16(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const uint16_t*>(w);
  const auto* y = static_cast<const float*>(act);
  __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    a0 = _mm512_fmadd_ps(_mm512_cvtph_ps(load32(x + i)), _mm512_loadu_ps(y + i), a0);
    a1 = _mm512_fmadd_ps(_mm512_cvtph_ps(load32(x + i + 16)), _mm512_loadu_ps(y + i + 16), a1);
  }
  for (; i < n; i += 16) {
    const int64_t left = n - i < 16 ? n - i : 16;
    const __mmask16 mask = static_cast<__mmask16>((1u << left) - 1);
    const __m512 xv = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(mask, x + i));
    a0 = _mm512_fmadd_ps(xv, _mm512_maskz_loadu_ps(mask, y + i), a0);
  }
  return hsum512(_mm512_add_ps(a0, a1));
}

void half_row_to_float(const uint16_t* src, float* dst, int64_t n) {
  for (int64_t i = 0; i < n; i += 16) {
    const int64_t left = n - i < 16 ? n - i : 16;
    const __mmask16 mask = static_cast<__mmask16>((1u << left) - 1);
    _mm512_mask_storeu_ps(dst + i, mask, _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(mask, src + i)));
  }
}

constexpr int id(GgmlType t) {
  return static_cast<int>(t);
}

}  // namespace

const KernelTable& avx512_table() {
  static const KernelTable table = [] {
    KernelTable t = avx2_table();
    t.level = SimdLevel::kAvx512;
    t.vec_dot[id(GgmlType::kQ8_0)] = dot_q8_0;
    t.vec_dot[id(GgmlType::kQ4_K)] = dot_q4_k;
    t.vec_dot[id(GgmlType::kQ6_K)] = dot_q6_k;
    t.vec_dot[id(GgmlType::kF16)] = dot_f16;
    // The AVX2 row kernels would bypass the AVX-512 dots just set.
    for (GgmlType ty : {GgmlType::kQ8_0, GgmlType::kQ4_K, GgmlType::kQ6_K})
      t.rows[id(ty)] = nullptr;
    t.fp16_to_fp32 = half_row_to_float;
    return t;
  }();
  return table;
}

}  // namespace trove::kern
// NOLINTEND(bugprone-implicit-widening-of-multiplication-result)
