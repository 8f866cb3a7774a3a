// core/kernels_avx2.cc — the AVX2 + FMA + F16C kernel table.
//
// All quantized dot products follow one pattern: widen the packed weights of a block
// to one byte per weight in a 256-bit register, multiply with the int8 activations by
// vpmaddubsw (unsigned x signed bytes → int16 pairs), apply the group scale with
// vpmaddwd (int16 x int16 → int32), and convert to float once per block. Weights are
// kept unsigned (0..15, 0..31, 0..63) wherever the format has an offset, and the offset
// is subtracted once per group through the activation sums (BlockQ8_K::bsums), which
// saves the sign juggling vpmaddubsw otherwise needs. This file is compiled with
// -mavx2 -mfma -mf16c -mbmi2 and only reached through kernels_for() after cpuid.
// It uses no standard-library templates, so no AVX2 copy of one can leak to callers.
#include <immintrin.h>

#include <cstring>

#include "core/avx2_util.h"
#include "core/fp16.h"
#include "core/gemm_avx2.h"
#include "core/kernels_internal.h"
#include "core/quant_blocks.h"
#include "core/vec_dot_avx2.h"

// Offsets inside a quantisation block (a constant stride times an index below the
// block's 2..16 sub-blocks: at most 256) are int arithmetic on purpose, as in
// llama.cpp's kernels that these mirror; they cannot overflow. Row offsets, which can
// be large, are size_t/int64_t in this file.
// NOLINTBEGIN(bugprone-implicit-widening-of-multiplication-result)

namespace trove::kern {
namespace {

using namespace quant;  // NOLINT(google-build-using-namespace): block structs
using namespace avx2;   // NOLINT(google-build-using-namespace): shared helpers

// ---- helpers ----

inline int hsum_i32(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(s);
}

// Same with unsigned x (at most 127 in magnitude times 2 pairs fits int16).
inline __m256i dot_u8(__m256i x, __m256i y) {
  return _mm256_madd_epi16(_mm256_maddubs_epi16(x, y), _mm256_set1_epi16(1));
}

// ---- 32-element types ----

float dot_q4_0(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ4_0*>(w);
  const auto* y = static_cast<const BlockQ8_0*>(act);
  __m256 acc = _mm256_setzero_ps();
  const __m256i eight = _mm256_set1_epi8(8);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const __m256i q = _mm256_sub_epi8(nibbles_lo_hi(x[i].qs), eight);
    const __m256 p = _mm256_cvtepi32_ps(dot_i8(q, load32(y[i].qs)));
    acc = _mm256_fmadd_ps(_mm256_set1_ps(half_to_float(x[i].d) * half_to_float(y[i].d)), p, acc);
  }
  return hsum(acc);
}

float dot_q4_1(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ4_1*>(w);
  const auto* y = static_cast<const BlockQ8_1*>(act);
  __m256 acc = _mm256_setzero_ps();
  float mins = 0.0f;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const __m256 p = _mm256_cvtepi32_ps(dot_u8(nibbles_lo_hi(x[i].qs), load32(y[i].qs)));
    acc = _mm256_fmadd_ps(_mm256_set1_ps(half_to_float(x[i].d) * half_to_float(y[i].d)), p, acc);
    mins += half_to_float(x[i].m) * half_to_float(y[i].s);
  }
  return hsum(acc) + mins;
}

float dot_q5_0(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ5_0*>(w);
  const auto* y = static_cast<const BlockQ8_0*>(act);
  __m256 acc = _mm256_setzero_ps();
  const __m256i sixteen = _mm256_set1_epi8(16);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const __m256i high = _mm256_and_si256(bits_to_bytes(load_u32(x[i].qh)), sixteen);
    const __m256i q = _mm256_sub_epi8(_mm256_or_si256(nibbles_lo_hi(x[i].qs), high), sixteen);
    const __m256 p = _mm256_cvtepi32_ps(dot_i8(q, load32(y[i].qs)));
    acc = _mm256_fmadd_ps(_mm256_set1_ps(half_to_float(x[i].d) * half_to_float(y[i].d)), p, acc);
  }
  return hsum(acc);
}

float dot_q5_1(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ5_1*>(w);
  const auto* y = static_cast<const BlockQ8_1*>(act);
  __m256 acc = _mm256_setzero_ps();
  float mins = 0.0f;
  const __m256i sixteen = _mm256_set1_epi8(16);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const __m256i high = _mm256_and_si256(bits_to_bytes(load_u32(x[i].qh)), sixteen);
    const __m256i q = _mm256_or_si256(nibbles_lo_hi(x[i].qs), high);
    const __m256 p = _mm256_cvtepi32_ps(dot_u8(q, load32(y[i].qs)));
    acc = _mm256_fmadd_ps(_mm256_set1_ps(half_to_float(x[i].d) * half_to_float(y[i].d)), p, acc);
    mins += half_to_float(x[i].m) * half_to_float(y[i].s);
  }
  return hsum(acc) + mins;
}

// ---- K-quants ----

// vpmaddwd of 16 int16 products with a scale per 16-lane half: lanes 0..7 (elements
// 0..15 of a 32-element chunk) get scale a, lanes 8..15 get b.
inline __m256i scale_pairs(__m256i p16, int a, int b) {
  const __m256i s = _mm256_set_m128i(_mm_set1_epi16(static_cast<int16_t>(b)),
                                     _mm_set1_epi16(static_cast<int16_t>(a)));
  return _mm256_madd_epi16(p16, s);
}

// sum over the 16 groups of bsums[g] * scale[g], scales given as 16 int16.
inline int bsum_dot(const int16_t* bsums, __m256i scales16) {
  return hsum_i32(_mm256_madd_epi16(load32(bsums), scales16));
}

// The eight 6-bit scales and mins of a Q4_K/Q5_K block, unpacked word-wise (see
// scale_min_k4): groups 0..3 are the low six bits of bytes 0..3 / 4..7; groups 4..7
// take a nibble from bytes 8..11 and their top two bits from bits 6..7 of bytes 0..7.
inline void unpack_k4_scales(const uint8_t* packed, uint8_t sc[8], uint8_t m[8]) {
  const uint32_t a0 = load_u32(packed), a1 = load_u32(packed + 4), a2 = load_u32(packed + 8);
  const uint32_t s_lo = a0 & 0x3F3F3F3F;
  const uint32_t m_lo = a1 & 0x3F3F3F3F;
  const uint32_t s_hi = (a2 & 0x0F0F0F0F) | ((a0 >> 2) & 0x30303030);
  const uint32_t m_hi = ((a2 >> 4) & 0x0F0F0F0F) | ((a1 >> 2) & 0x30303030);
  std::memcpy(sc, &s_lo, 4);
  std::memcpy(sc + 4, &s_hi, 4);
  std::memcpy(m, &m_lo, 4);
  std::memcpy(m + 4, &m_hi, 4);
}

// Per-group mins as 16 int16 against the 16 bsums: group g of 32 covers bsums 2g, 2g+1.
inline __m256i mins_per_16(const uint8_t m[8]) {
  const __m128i m8 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(m));
  return _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m8, m8));
}

// ---- block kernels of vec_dot ----
//
// Each kernel decodes a weight block into registers once (decode), then accumulates
// its product with the matching activation block of any number of tokens
// (accumulate). The matmul tiles are in gemm_avx2.cc / gemm_kquant_avx2.cc. acc holds the float
// partial sums (eight lanes, summed at the end).

struct Q8_0Kernel {
  using WBlock = BlockQ8_0;
  using ABlock = BlockQ8_0;
  static constexpr int kBlock = kQK;
  struct Decoded {
    __m256i abs_x, x;
    float d;
  };
  static Decoded decode(const WBlock& b) {
    const __m256i x = load32(b.qs);
    return {_mm256_sign_epi8(x, x), x, half_to_float(b.d)};
  }
  static void accumulate(const Decoded& w, const ABlock& a, __m256& acc) {
    // vpmaddubsw wants an unsigned operand: |x| times y carrying x's sign.
    const __m256i p16 = _mm256_maddubs_epi16(w.abs_x, _mm256_sign_epi8(load32(a.qs), w.x));
    const __m256 p = _mm256_cvtepi32_ps(_mm256_madd_epi16(p16, _mm256_set1_epi16(1)));
    acc = _mm256_fmadd_ps(_mm256_set1_ps(w.d * half_to_float(a.d)), p, acc);
  }
};

// Q4_K and Q5_K: eight groups of 32 unsigned codes, one 6-bit scale and min each.
template <bool kFifthBit, class Block>
struct Q45KKernel {
  using WBlock = Block;
  using ABlock = BlockQ8_K;
  static constexpr int kBlock = kQKK;
  struct Decoded {
    __m256i q[8];  // codes of group g = elements 32g..32g+31
    __m256i mins16;
    uint8_t sc[8];
    float d, dmin;
  };
  static Decoded decode(const WBlock& b) {
    Decoded w;
    uint8_t m[8];
    unpack_k4_scales(b.scales, w.sc, m);
    w.mins16 = mins_per_16(m);
    w.d = half_to_float(b.d);
    w.dmin = half_to_float(b.dmin);
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    __m256i hb;
    if constexpr (kFifthBit) hb = load32(b.qh);
    for (int c = 0; c < 4; ++c) {
      const __m256i q = load32(b.qs + 32 * c);
      __m256i lo = _mm256_and_si256(q, low4);
      __m256i hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), low4);
      if constexpr (kFifthBit) {
        // Bit 2c of qh[l] is the fifth bit of the low nibble, bit 2c+1 of the high one;
        // shifting by one each time keeps the bit we need at bit 0 of its own byte.
        const __m256i one = _mm256_set1_epi8(1);
        lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(hb, one), 4));
        hb = _mm256_srli_epi16(hb, 1);
        hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(hb, one), 4));
        hb = _mm256_srli_epi16(hb, 1);
      }
      w.q[2 * c] = lo;
      w.q[2 * c + 1] = hi;
    }
    return w;
  }
  static void accumulate(const Decoded& w, const ABlock& a, __m256& acc) {
    __m256i sumi = _mm256_setzero_si256();
    for (int g = 0; g < 8; ++g) {
      const __m256i p = _mm256_maddubs_epi16(w.q[g], load32(a.qs + 32 * g));
      sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p, _mm256_set1_epi16(w.sc[g])));
    }
    acc = _mm256_fmadd_ps(_mm256_set1_ps(a.d * w.d), _mm256_cvtepi32_ps(sumi), acc);
    // The mins stay in vector form too: no horizontal sum per block.
    const __m256i summ = _mm256_madd_epi16(load32(a.bsums), w.mins16);
    acc = _mm256_fnmadd_ps(_mm256_set1_ps(a.d * w.dmin), _mm256_cvtepi32_ps(summ), acc);
  }
};

// Q6_K: sixteen groups of 16 codes stored as q + 32 (0..63); the offset comes off
// once per block as 32 * sum_g sc_g * bsum_g.
struct Q6KKernel {
  using WBlock = BlockQ6_K;
  using ABlock = BlockQ8_K;
  static constexpr int kBlock = kQKK;
  struct Decoded {
    __m256i q[8];   // q[4h + j] = elements 128h + 32j .. +31
    __m256i sc[8];  // the two group scales of q[k] as int16 pairs
    __m256i sc16;   // all sixteen scales, for the offset
    float d;
  };
  static Decoded decode(const WBlock& b) {
    Decoded w;
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    const __m256i three = _mm256_set1_epi8(3);
    for (int h = 0; h < 2; ++h) {
      const __m256i ql0 = load32(b.ql + 64 * h);
      const __m256i ql1 = load32(b.ql + 64 * h + 32);
      const __m256i qh = load32(b.qh + 32 * h);
      const __m256i lows[4] = {_mm256_and_si256(ql0, low4), _mm256_and_si256(ql1, low4),
                               _mm256_and_si256(_mm256_srli_epi16(ql0, 4), low4),
                               _mm256_and_si256(_mm256_srli_epi16(ql1, 4), low4)};
      const __m256i highs[4] = {_mm256_and_si256(qh, three),
                                _mm256_and_si256(_mm256_srli_epi16(qh, 2), three),
                                _mm256_and_si256(_mm256_srli_epi16(qh, 4), three),
                                _mm256_and_si256(_mm256_srli_epi16(qh, 6), three)};
      for (int j = 0; j < 4; ++j) {
        w.q[4 * h + j] = _mm256_or_si256(lows[j], _mm256_slli_epi16(highs[j], 4));
        w.sc[4 * h + j] = _mm256_set_m128i(_mm_set1_epi16(b.scales[8 * h + 2 * j + 1]),
                                           _mm_set1_epi16(b.scales[8 * h + 2 * j]));
      }
    }
    w.sc16 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales)));
    w.d = half_to_float(b.d);
    return w;
  }
  static void accumulate(const Decoded& w, const ABlock& a, __m256& acc) {
    // 32 * sum_g sc_g * bsum_g as a shift, not a (slow) vpmulld.
    __m256i sumi = _mm256_sub_epi32(
        _mm256_setzero_si256(), _mm256_slli_epi32(_mm256_madd_epi16(load32(a.bsums), w.sc16), 5));
    for (int k = 0; k < 8; ++k) {
      const __m256i p = _mm256_maddubs_epi16(w.q[k], load32(a.qs + 32 * k));
      sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p, w.sc[k]));
    }
    acc = _mm256_fmadd_ps(_mm256_set1_ps(a.d * w.d), _mm256_cvtepi32_ps(sumi), acc);
  }
};

// One weight row against kTokens activation rows; each block decoded once.
template <class K, int kTokens>
inline void row_times_tokens(int64_t n, const typename K::WBlock* x, const uint8_t* act,
                             size_t act_stride, float* out, size_t out_stride) {
  __m256 acc[kTokens];
  for (int t = 0; t < kTokens; ++t) acc[t] = _mm256_setzero_ps();
  for (int64_t i = 0; i < n / K::kBlock; ++i) {
    const typename K::Decoded w = K::decode(x[i]);
    for (int t = 0; t < kTokens; ++t) {
      const auto* a = reinterpret_cast<const typename K::ABlock*>(act + t * act_stride);
      K::accumulate(w, a[i], acc[t]);
    }
  }
  for (int t = 0; t < kTokens; ++t) out[t * out_stride] = hsum(acc[t]);
}

template <class K>
float vec_dot(int64_t n, const void* w, const void* act) {
  float out;
  row_times_tokens<K, 1>(n, static_cast<const typename K::WBlock*>(w),
                         static_cast<const uint8_t*>(act), 0, &out, 0);
  return out;
}

using Q4KKernel = Q45KKernel<false, BlockQ4_K>;
using Q5KKernel = Q45KKernel<true, BlockQ5_K>;

float dot_q2_k(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ2_K*>(w);
  const auto* y = static_cast<const BlockQ8_K*>(act);
  __m256 acc = _mm256_setzero_ps();
  float acc_min = 0.0f;
  const __m256i three = _mm256_set1_epi8(3);
  for (int64_t i = 0; i < n / kQKK; ++i) {
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x[i].scales));
    const __m256i mins16 =
        _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(raw, 4), _mm_set1_epi8(0x0F)));
    acc_min += y[i].d * half_to_float(x[i].dmin) * static_cast<float>(bsum_dot(y[i].bsums, mins16));
    const uint8_t* sc = x[i].scales;
    __m256i sumi = _mm256_setzero_si256();
    for (int h = 0; h < 2; ++h) {
      __m256i q = load32(x[i].qs + 32 * h);
      for (int j = 0; j < 4; ++j) {
        const __m256i p =
            _mm256_maddubs_epi16(_mm256_and_si256(q, three), load32(y[i].qs + 128 * h + 32 * j));
        const int g = 8 * h + 2 * j;
        sumi = _mm256_add_epi32(sumi, scale_pairs(p, sc[g] & 0xF, sc[g + 1] & 0xF));
        q = _mm256_srli_epi16(q, 2);
      }
    }
    acc = _mm256_fmadd_ps(_mm256_set1_ps(y[i].d * half_to_float(x[i].d)), _mm256_cvtepi32_ps(sumi),
                          acc);
  }
  return hsum(acc) - acc_min;
}

// The 16 signed 6-bit scales of a Q3_K block, word-wise (see q3k_scales): low nibbles
// of bytes 0..7 then their high nibbles, each with two top bits from bytes 8..11.
inline __m128i unpack_q3k_scales(const uint8_t* packed) {
  const uint32_t a0 = load_u32(packed), a1 = load_u32(packed + 4), a2 = load_u32(packed + 8);
  const uint32_t m4 = 0x0F0F0F0F, m2 = 0x03030303;
  const uint32_t w0 = (a0 & m4) | ((a2 & m2) << 4);
  const uint32_t w1 = (a1 & m4) | (((a2 >> 2) & m2) << 4);
  const uint32_t w2 = ((a0 >> 4) & m4) | (((a2 >> 4) & m2) << 4);
  const uint32_t w3 = ((a1 >> 4) & m4) | (((a2 >> 6) & m2) << 4);
  return _mm_sub_epi8(_mm_set_epi32(static_cast<int>(w3), static_cast<int>(w2),
                                    static_cast<int>(w1), static_cast<int>(w0)),
                      _mm_set1_epi8(32));
}

float dot_q3_k(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ3_K*>(w);
  const auto* y = static_cast<const BlockQ8_K*>(act);
  __m256 acc = _mm256_setzero_ps();
  const __m256i three = _mm256_set1_epi8(3);
  const __m256i one = _mm256_set1_epi8(1);
  for (int64_t i = 0; i < n / kQKK; ++i) {
    alignas(16) int8_t sc[16];
    const __m128i sc8 = unpack_q3k_scales(x[i].scales);
    _mm_store_si128(reinterpret_cast<__m128i*>(sc), sc8);
    // Codes are low | high << 2 = q + 4 (0..7); Σ sc_g * 4 * bsum_g removes the offset.
    __m256i sumi = _mm256_sub_epi32(
        _mm256_setzero_si256(),
        _mm256_slli_epi32(_mm256_madd_epi16(load32(y[i].bsums), _mm256_cvtepi8_epi16(sc8)), 2));
    __m256i hb = load32(x[i].hmask);
    for (int h = 0; h < 2; ++h) {
      __m256i q = load32(x[i].qs + 32 * h);
      for (int j = 0; j < 4; ++j) {
        const __m256i code = _mm256_or_si256(_mm256_and_si256(q, three),
                                             _mm256_slli_epi16(_mm256_and_si256(hb, one), 2));
        const __m256i p = _mm256_maddubs_epi16(code, load32(y[i].qs + 128 * h + 32 * j));
        const int g = 8 * h + 2 * j;
        sumi = _mm256_add_epi32(sumi, scale_pairs(p, sc[g], sc[g + 1]));
        q = _mm256_srli_epi16(q, 2);
        hb = _mm256_srli_epi16(hb, 1);
      }
    }
    acc = _mm256_fmadd_ps(_mm256_set1_ps(y[i].d * half_to_float(x[i].d)), _mm256_cvtepi32_ps(sumi),
                          acc);
  }
  return hsum(acc);
}

// ---- float weights ----

template <class Load>
inline float dot_float_like(int64_t n, const float* y, Load load) {
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(),
         a3 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    a0 = _mm256_fmadd_ps(load(i), _mm256_loadu_ps(y + i), a0);
    a1 = _mm256_fmadd_ps(load(i + 8), _mm256_loadu_ps(y + i + 8), a1);
    a2 = _mm256_fmadd_ps(load(i + 16), _mm256_loadu_ps(y + i + 16), a2);
    a3 = _mm256_fmadd_ps(load(i + 24), _mm256_loadu_ps(y + i + 24), a3);
  }
  for (; i + 8 <= n; i += 8) a0 = _mm256_fmadd_ps(load(i), _mm256_loadu_ps(y + i), a0);
  float sum = hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
  if (i < n) {
    // Tail of up to 7: stage through a zero-padded buffer so the same loads apply.
    alignas(32) float ys[8] = {};
    for (int64_t j = i; j < n; ++j) ys[j - i] = y[j];
    sum += hsum(_mm256_mul_ps(load(i, n - i), _mm256_load_ps(ys)));
  }
  return sum;
}

float dot_f32(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const float*>(w);
  auto load = [x](int64_t i, int64_t count = 8) {
    if (count == 8) return _mm256_loadu_ps(x + i);
    alignas(32) float t[8] = {};
    for (int64_t j = 0; j < count; ++j) t[j] = x[i + j];
    return _mm256_load_ps(t);
  };
  return dot_float_like(n, static_cast<const float*>(act), load);
}

float dot_f16(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const uint16_t*>(w);
  auto load = [x](int64_t i, int64_t count = 8) {
    if (count == 8)
      return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)));
    alignas(16) uint16_t t[8] = {};
    for (int64_t j = 0; j < count; ++j) t[j] = x[i + j];
    return _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(t)));
  };
  return dot_float_like(n, static_cast<const float*>(act), load);
}

inline __m256 bf16x8_to_ps(__m128i h) {
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

float dot_bf16(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const uint16_t*>(w);
  auto load = [x](int64_t i, int64_t count = 8) {
    if (count == 8) return bf16x8_to_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)));
    alignas(16) uint16_t t[8] = {};
    for (int64_t j = 0; j < count; ++j) t[j] = x[i + j];
    return bf16x8_to_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(t)));
  };
  return dot_float_like(n, static_cast<const float*>(act), load);
}

// ---- activation quantizers (bit-identical to the scalar ones: same d and 1/d, and
// vcvtps2dq rounds half to even like nearbyint) ----

inline float block_amax(const float* x, int n) {
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
  __m256 m = _mm256_setzero_ps();
  for (int j = 0; j < n; j += 8)
    m = _mm256_max_ps(m, _mm256_and_ps(_mm256_loadu_ps(x + j), abs_mask));
  __m128 s = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
  s = _mm_max_ps(s, _mm_movehl_ps(s, s));
  s = _mm_max_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// Rounds 32 floats times id to int8 in order; returns the four int32 vectors' sum.
inline __m256i round_32(const float* x, float id, int8_t* out) {
  const __m256 vid = _mm256_set1_ps(id);
  const __m256i i0 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x), vid));
  const __m256i i1 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 8), vid));
  const __m256i i2 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 16), vid));
  const __m256i i3 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 24), vid));
  // packs work per 128-bit lane; the final dword permute restores element order.
  const __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out),
                      _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
  return _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
}

void quantize_q8_0(const float* x, void* dst, int64_t n) {
  auto* b = static_cast<BlockQ8_0*>(dst);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float* xb = x + i * kQK;
    const float amax = block_amax(xb, kQK);
    const float d = amax / 127.0f;
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;  // ggml's x86 form, see quant.h
    b[i].d = fp16::float_to_half(d);
    round_32(xb, id, b[i].qs);
  }
}

void quantize_q8_1(const float* x, void* dst, int64_t n) {
  auto* b = static_cast<BlockQ8_1*>(dst);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float* xb = x + i * kQK;
    const float amax = block_amax(xb, kQK);
    const float d = amax / 127.0f;
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    const int sum = hsum_i32(round_32(xb, id, b[i].qs));
    b[i].d = fp16::float_to_half(d);
    b[i].s = fp16::float_to_half(d * static_cast<float>(sum));
  }
}

void quantize_q8_K(const float* x, void* dst, int64_t n) {
  auto* b = static_cast<BlockQ8_K*>(dst);
  for (int64_t i = 0; i < n / kQKK; ++i) {
    const float* xb = x + i * kQKK;
    const float amax = block_amax(xb, kQKK);
    b[i].d = amax / 127.0f;
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    for (int k = 0; k < kQKK / 32; ++k) round_32(xb + 32 * k, id, b[i].qs + 32 * k);
    for (int g = 0; g < 16; ++g) {
      const __m256i v =
          _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b[i].qs + 16 * g)));
      b[i].bsums[g] = static_cast<int16_t>(hsum_i32(_mm256_madd_epi16(v, _mm256_set1_epi16(1))));
    }
  }
}

// ---- row conversions ----

void half_row_to_float(const uint16_t* src, float* dst, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(dst + i,
                     _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i))));
  }
  for (; i < n; ++i) dst[i] = half_to_float(src[i]);
}

void float_row_to_half(const float* src, uint16_t* dst, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i),
                     _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
  }
  for (; i < n; ++i) dst[i] = fp16::float_to_half(src[i]);
}

void bf16_row_to_float(const uint16_t* src, float* dst, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(dst + i,
                     bf16x8_to_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i))));
  }
  for (; i < n; ++i) dst[i] = fp16::bf16_to_float(src[i]);
}

constexpr int id(GgmlType t) {
  return static_cast<int>(t);
}

}  // namespace

const KernelTable& avx2_table() {
  static const KernelTable table = [] {
    KernelTable t = scalar_table();
    t.level = SimdLevel::kAvx2;
    t.vec_dot[id(GgmlType::kF32)] = dot_f32;
    t.vec_dot[id(GgmlType::kF16)] = dot_f16;
    t.vec_dot[id(GgmlType::kBF16)] = dot_bf16;
    t.vec_dot[id(GgmlType::kQ8_0)] = vec_dot<Q8_0Kernel>;
    t.tile[id(GgmlType::kQ8_0)] = avx2::gemm_q8_0;
    t.tile[id(GgmlType::kQ4_0)] = avx2::gemm_q4_0;
    t.tile[id(GgmlType::kQ5_0)] = avx2::gemm_q5_0;
    t.tile[id(GgmlType::kQ4_K)] = avx2::gemm_q4_k;
    t.tile[id(GgmlType::kQ5_K)] = avx2::gemm_q5_k;
    t.tile[id(GgmlType::kQ6_K)] = avx2::gemm_q6_k;
    t.vec_dot[id(GgmlType::kQ4_0)] = dot_q4_0;
    t.vec_dot[id(GgmlType::kQ4_1)] = dot_q4_1;
    t.vec_dot[id(GgmlType::kQ5_0)] = dot_q5_0;
    t.vec_dot[id(GgmlType::kQ5_1)] = dot_q5_1;
    t.vec_dot[id(GgmlType::kQ2_K)] = dot_q2_k;
    t.vec_dot[id(GgmlType::kQ3_K)] = dot_q3_k;
    t.vec_dot[id(GgmlType::kQ4_K)] = vec_dot<Q4KKernel>;
    t.vec_dot[id(GgmlType::kQ5_K)] = vec_dot<Q5KKernel>;
    t.vec_dot[id(GgmlType::kQ6_K)] = vec_dot<Q6KKernel>;
    t.rows[id(GgmlType::kQ4_0)] = avx2::q4_0_rows;
    t.rows[id(GgmlType::kQ5_0)] = avx2::q5_0_rows;
    t.rows[id(GgmlType::kQ8_0)] = avx2::q8_0_rows;
    t.rows[id(GgmlType::kQ4_K)] = avx2::q4k_rows;
    t.rows[id(GgmlType::kQ5_K)] = avx2::q5k_rows;
    t.rows[id(GgmlType::kQ6_K)] = avx2::q6k_rows;
    t.quantize_q8_0 = quantize_q8_0;
    t.quantize_q8_1 = quantize_q8_1;
    t.quantize_q8_K = quantize_q8_K;
    t.fp16_to_fp32 = half_row_to_float;
    t.fp32_to_fp16 = float_row_to_half;
    t.bf16_to_fp32 = bf16_row_to_float;
    return t;
  }();
  return table;
}

}  // namespace trove::kern
// NOLINTEND(bugprone-implicit-widening-of-multiplication-result)
