// core/gemm_kquant_avx2.cc — register-blocked int8 GEMM tiles for Q4_K, Q5_K, Q6_K.
//
// A micro-tile of kMR weight rows x kNR tokens. Per 256-element block, each row's
// group scales are widened once into int16 vectors (kept in memory: they are the
// second operand of vpmaddwd, so they cost a load, not a register), then for each of
// the eight groups of 32 the rows' codes are unpacked once (shared by the tokens) and
// each token's activations loaded once (shared by the rows): a pair costs one
// vpmaddubsw + one vpmaddwd (which applies the group scale) + one add, into int32
// sums per pair that become float once per block. Codes are unsigned (0..15, 0..31,
// 0..63); the format's offset (the mins of Q4_K/Q5_K, the 32 of Q6_K) comes off once
// per block through the activations' group sums (BlockQ8_K::bsums).
// Same compilation rules as the other *_avx2.cc files.
#include <immintrin.h>

#include "core/avx2_util.h"
#include "core/gemm_avx2.h"
#include "core/quant_blocks.h"

// Offsets inside a quantisation block (a constant stride times an index below the
// block's 2..16 sub-blocks: at most 256) are int arithmetic on purpose, as in
// llama.cpp's kernels that these mirror; they cannot overflow. Row offsets, which can
// be large, are size_t/int64_t in this file.
// NOLINTBEGIN(bugprone-implicit-widening-of-multiplication-result)

namespace trove::kern::avx2 {
namespace {

using quant::BlockQ4_K;
using quant::BlockQ5_K;
using quant::BlockQ6_K;
using quant::BlockQ8_K;

// What a row's block contributes besides its codes: scale[g] multiplies group g's
// products (int16 in every lane that group g's pairs land in), bias against the
// 16 bsums gives the offset term, d and bias_d scale the two.
struct BlockHead {
  __m256i scale[8];
  __m256i bias;
  float d;
  float bias_d;
};

// vpshufb mask broadcasting int16 lane lo (of each 128-bit half) to the low half and
// lane hi to the high half.
inline __m256i pick16(int lo, int hi) {
  return _mm256_set_m128i(_mm_set1_epi16(static_cast<int16_t>((2 * hi + 1) << 8 | 2 * hi)),
                          _mm_set1_epi16(static_cast<int16_t>((2 * lo + 1) << 8 | 2 * lo)));
}

// Q4_K / Q5_K: eight 6-bit scales and mins (see scale_min_k4), one per group of 32.
inline void k4_head(const uint8_t* packed, uint16_t d, uint16_t dmin, BlockHead& h) {
  const uint32_t a0 = load_u32(packed), a1 = load_u32(packed + 4), a2 = load_u32(packed + 8);
  const uint32_t s_lo = a0 & 0x3F3F3F3F;
  const uint32_t m_lo = a1 & 0x3F3F3F3F;
  const uint32_t s_hi = (a2 & 0x0F0F0F0F) | ((a0 >> 2) & 0x30303030);
  const uint32_t m_hi = ((a2 >> 4) & 0x0F0F0F0F) | ((a1 >> 2) & 0x30303030);
  const __m128i sc8 = _mm_set_epi32(0, 0, static_cast<int>(s_hi), static_cast<int>(s_lo));
  const __m128i m8 = _mm_set_epi32(0, 0, static_cast<int>(m_hi), static_cast<int>(m_lo));
  const __m256i sc16 = _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(sc8));
#pragma GCC unroll 8
  for (int g = 0; g < 8; ++g) h.scale[g] = _mm256_shuffle_epi8(sc16, pick16(g, g));
  // bsums come in 16s: group g of 32 covers bsums 2g and 2g+1.
  h.bias = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m8, m8));
  h.d = half_to_float(d);
  h.bias_d = -half_to_float(dmin);
}

struct Q4K {
  using Block = BlockQ4_K;
  static void head(const Block& b, BlockHead& h) { k4_head(b.scales, b.d, b.dmin, h); }
  static __m256i codes(const Block& b, int g) {
    const __m256i q = load32(b.qs + 32 * (g / 2));
    const __m256i s = g % 2 == 0 ? q : _mm256_srli_epi16(q, 4);
    return _mm256_and_si256(s, _mm256_set1_epi8(0x0F));
  }
};

struct Q5K {
  using Block = BlockQ5_K;
  static void head(const Block& b, BlockHead& h) { k4_head(b.scales, b.d, b.dmin, h); }
  static __m256i codes(const Block& b, int g) {
    const __m256i q = load32(b.qs + 32 * (g / 2));
    const __m256i s = g % 2 == 0 ? q : _mm256_srli_epi16(q, 4);
    // Bit g of qh[l] is the fifth bit of element l of group g: move it to bit 4.
    const __m256i qh = load32(b.qh);
    const __m256i hb =
        g <= 4 ? _mm256_slli_epi16(qh, 4 - g) : _mm256_srli_epi16(qh, g - 4);
    return _mm256_or_si256(_mm256_and_si256(s, _mm256_set1_epi8(0x0F)),
                           _mm256_and_si256(hb, _mm256_set1_epi8(0x10)));
  }
};

// Q6_K: sixteen int8 scales, one per 16; group g of 32 (half h = g / 4, j = g % 4)
// takes scales 8h + 2j and 8h + 2j + 1; codes are q + 32, the 32 removed via bsums.
struct Q6K {
  using Block = BlockQ6_K;
  static void head(const Block& b, BlockHead& h) {
    const __m256i sc16 =
        _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales)));
    const __m256i lo = _mm256_permute2x128_si256(sc16, sc16, 0x00);
    const __m256i hi = _mm256_permute2x128_si256(sc16, sc16, 0x11);
#pragma GCC unroll 4
    for (int j = 0; j < 4; ++j) {
      h.scale[j] = _mm256_shuffle_epi8(lo, pick16(2 * j, 2 * j + 1));
      h.scale[4 + j] = _mm256_shuffle_epi8(hi, pick16(2 * j, 2 * j + 1));
    }
    h.bias = sc16;
    h.d = half_to_float(b.d);
    h.bias_d = -32.0f * h.d;
  }
  static __m256i codes(const Block& b, int g) {
    const int hf = g / 4, j = g % 4;
    const __m256i ql = load32(b.ql + 64 * hf + 32 * (j & 1));
    const __m256i lo = _mm256_and_si256(j < 2 ? ql : _mm256_srli_epi16(ql, 4),
                                        _mm256_set1_epi8(0x0F));
    // Bits 2j, 2j+1 of qh are the top two bits of element l of group g: to bits 4, 5.
    const __m256i qh = load32(b.qh + 32 * hf);
    __m256i hi;
    switch (j) {
      case 0:
        hi = _mm256_slli_epi16(qh, 4);
        break;
      case 1:
        hi = _mm256_slli_epi16(qh, 2);
        break;
      case 2:
        hi = qh;
        break;
      default:
        hi = _mm256_srli_epi16(qh, 2);
        break;
    }
    return _mm256_or_si256(lo, _mm256_and_si256(hi, _mm256_set1_epi8(0x30)));
  }
};

#ifndef TROVE_KGEMM_MR
#define TROVE_KGEMM_MR 1
#define TROVE_KGEMM_NR 4
#endif
constexpr int kMR = TROVE_KGEMM_MR;
constexpr int kNR = TROVE_KGEMM_NR;

inline int min_int(int a, int b) {
  return a < b ? a : b;
}

template <class D, int MR, int NR>
void micro(int64_t nb, const uint8_t* w, size_t w_stride, const uint8_t* act, size_t act_stride,
           float* out, size_t out_stride) {
  using WBlock = typename D::Block;
  const WBlock* wr[MR];
  const BlockQ8_K* at[NR];
#pragma GCC unroll 4
  for (int r = 0; r < MR; ++r) wr[r] = reinterpret_cast<const WBlock*>(w + r * w_stride);
#pragma GCC unroll 4
  for (int t = 0; t < NR; ++t) at[t] = reinterpret_cast<const BlockQ8_K*>(act + t * act_stride);
  __m256 acc[MR][NR];
#pragma GCC unroll 4
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 4
    for (int t = 0; t < NR; ++t) acc[r][t] = _mm256_setzero_ps();
  }
  for (int64_t i = 0; i < nb; ++i) {
    BlockHead head[MR];
#pragma GCC unroll 4
    for (int r = 0; r < MR; ++r) D::head(wr[r][i], head[r]);
    __m256i sumi[MR][NR];
#pragma GCC unroll 4
    for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 4
      for (int t = 0; t < NR; ++t) sumi[r][t] = _mm256_setzero_si256();
    }
#pragma GCC unroll 8
    for (int g = 0; g < 8; ++g) {
      __m256i c[MR];
#pragma GCC unroll 4
      for (int r = 0; r < MR; ++r) c[r] = D::codes(wr[r][i], g);
#pragma GCC unroll 4
      for (int t = 0; t < NR; ++t) {
        const __m256i a = load32(at[t][i].qs + 32 * g);
#pragma GCC unroll 4
        for (int r = 0; r < MR; ++r) {
          const __m256i p = _mm256_maddubs_epi16(c[r], a);
          sumi[r][t] = _mm256_add_epi32(sumi[r][t], _mm256_madd_epi16(p, head[r].scale[g]));
        }
      }
    }
#pragma GCC unroll 4
    for (int t = 0; t < NR; ++t) {
      const __m256i bs = load32(at[t][i].bsums);
      const float da = at[t][i].d;
#pragma GCC unroll 4
      for (int r = 0; r < MR; ++r) {
        const __m256 bias = _mm256_cvtepi32_ps(_mm256_madd_epi16(bs, head[r].bias));
        acc[r][t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sumi[r][t]),
                                    _mm256_set1_ps(da * head[r].d), acc[r][t]);
        acc[r][t] = _mm256_fmadd_ps(bias, _mm256_set1_ps(da * head[r].bias_d), acc[r][t]);
      }
    }
  }
#pragma GCC unroll 4
  for (int t = 0; t < NR; ++t) {
#pragma GCC unroll 4
    for (int r = 0; r < MR; ++r) out[t * out_stride + r] = hsum(acc[r][t]);
  }
}

using MicroFn = void (*)(int64_t, const uint8_t*, size_t, const uint8_t*, size_t, float*, size_t);

template <class D, int MR>
MicroFn micro_for_tokens(int nt) {
  switch (nt) {
    case 1:
      return micro<D, MR, 1>;
    case 2:
      return micro<D, MR, (kNR >= 2 ? 2 : 1)>;
    case 3:
      return micro<D, MR, (kNR >= 3 ? 3 : 1)>;
    default:
      return micro<D, MR, (kNR >= 4 ? 4 : 1)>;
  }
}

template <class D>
MicroFn micro_for(int mr, int nt) {
  static_assert(kMR <= 4 && kNR <= 4, "micro_for covers up to 4 rows x 4 tokens");
  switch (mr) {
    case 1:
      return micro_for_tokens<D, 1>(nt);
    case 2:
      return micro_for_tokens<D, (kMR >= 2 ? 2 : 1)>(nt);
    case 3:
      return micro_for_tokens<D, (kMR >= 3 ? 3 : 1)>(nt);
    default:
      return micro_for_tokens<D, (kMR >= 4 ? 4 : 1)>(nt);
  }
}

template <class D>
void gemm(int64_t n, const void* w, size_t w_stride, int nr, const void* act, size_t act_stride,
          int nt, float* out, size_t out_stride) {
  const auto* wb = static_cast<const uint8_t*>(w);
  const auto* ab = static_cast<const uint8_t*>(act);
  const int64_t nb = n / quant::kQKK;
  for (int r = 0; r < nr; r += kMR) {
    const int mr = min_int(kMR, nr - r);
    const MicroFn full = micro_for<D>(mr, kNR);
    for (int t = 0; t < nt; t += kNR) {
      const int ntt = min_int(kNR, nt - t);
      const MicroFn f = ntt == kNR ? full : micro_for<D>(mr, ntt);
      f(nb, wb + r * w_stride, w_stride, ab + t * act_stride, act_stride,
        out + t * out_stride + r, out_stride);
    }
  }
}

}  // namespace

void gemm_q4_k(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride) {
  gemm<Q4K>(n, w, w_stride, nr, act, act_stride, nt, out, out_stride);
}

void gemm_q5_k(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride) {
  gemm<Q5K>(n, w, w_stride, nr, act, act_stride, nt, out, out_stride);
}

void gemm_q6_k(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride) {
  gemm<Q6K>(n, w, w_stride, nr, act, act_stride, nt, out, out_stride);
}

}  // namespace trove::kern::avx2
// NOLINTEND(bugprone-implicit-widening-of-multiplication-result)
