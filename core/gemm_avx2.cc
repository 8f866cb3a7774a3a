// core/gemm_avx2.cc — register-blocked int8 GEMM tiles for the 32-element types.
//
// A micro-tile of kMR weight rows x kNR tokens keeps kMR * kNR float accumulators in
// ymm registers. Per block of 32: each of the kMR weight blocks is decoded once to 32
// signed codes (shared by the kNR tokens), each activation block is loaded once and
// its absolute value taken once (shared by the kMR rows), and every pair costs one
// vpsignb + vpmaddubsw + vpmaddwd + convert + FMA. vpmaddubsw multiplies unsigned by
// signed bytes, so the pair product is |a| * (w carrying a's sign) = a * w; at most
// 2 * 127 * 127 per int16 lane, which cannot saturate.
//
// The loops over rows and tokens are unrolled (#pragma GCC unroll) so the
// accumulators live in registers: at -O2 GCC would keep them in memory.
//
// The tile walks its rows in panels of kMR and, inside each, its tokens in panels of
// kNR: the weight panel stays in L1 while the tile's activations (sized by matmul to
// fit L2) stream past it. Compiled with -mavx2 -mfma -mf16c; no standard-library
// templates, so no AVX2 copy of one can leak to callers.
#include "core/gemm_avx2.h"

#include <immintrin.h>

#include "core/avx2_util.h"
#include "core/quant_blocks.h"

namespace trove::kern::avx2 {
namespace {

using quant::BlockQ4_0;
using quant::BlockQ5_0;
using quant::BlockQ8_0;
using quant::kQK;

// Decoders: one weight block → 32 signed codes in element order, and its scale.
struct DecodeQ8_0 {
  using Block = BlockQ8_0;
  static __m256i codes(const Block& b) { return load32(b.qs); }
};

struct DecodeQ4_0 {
  using Block = BlockQ4_0;
  static __m256i codes(const Block& b) {
    return _mm256_sub_epi8(nibbles_lo_hi(b.qs), _mm256_set1_epi8(8));
  }
};

struct DecodeQ5_0 {
  using Block = BlockQ5_0;
  static __m256i codes(const Block& b) {
    const __m256i sixteen = _mm256_set1_epi8(16);
    const __m256i high = _mm256_and_si256(bits_to_bytes(load_u32(b.qh)), sixteen);
    return _mm256_sub_epi8(_mm256_or_si256(nibbles_lo_hi(b.qs), high), sixteen);
  }
};

#ifndef TROVE_GEMM_MR
#define TROVE_GEMM_MR 2
#define TROVE_GEMM_NR 4
#endif
constexpr int kMR = TROVE_GEMM_MR;  // weight rows per micro-tile
constexpr int kNR = TROVE_GEMM_NR;  // tokens per micro-tile

inline int min_int(int a, int b) {
  return a < b ? a : b;
}

// scale[t][r] = dw[r] * da[t] for the NR tokens.
template <int NR>
inline void scale_products(__m128 dwv, __m128 dav, float (*scale)[4]) {
  _mm_store_ps(scale[0], _mm_mul_ps(dwv, _mm_shuffle_ps(dav, dav, 0x00)));
  if constexpr (NR > 1) _mm_store_ps(scale[1], _mm_mul_ps(dwv, _mm_shuffle_ps(dav, dav, 0x55)));
  if constexpr (NR > 2) _mm_store_ps(scale[2], _mm_mul_ps(dwv, _mm_shuffle_ps(dav, dav, 0xAA)));
  if constexpr (NR > 3) _mm_store_ps(scale[3], _mm_mul_ps(dwv, _mm_shuffle_ps(dav, dav, 0xFF)));
}

// MR rows x NR tokens over nb blocks. out[t * out_stride + r].
template <class D, int MR, int NR>
void micro(int64_t nb, const uint8_t* w, size_t w_stride, const uint8_t* act, size_t act_stride,
           float* out, size_t out_stride) {
  using WBlock = typename D::Block;
  const WBlock* wr[MR];
  const BlockQ8_0* at[NR];
#pragma GCC unroll 4
  for (int r = 0; r < MR; ++r) wr[r] = reinterpret_cast<const WBlock*>(w + r * w_stride);
#pragma GCC unroll 4
  for (int t = 0; t < NR; ++t) at[t] = reinterpret_cast<const BlockQ8_0*>(act + t * act_stride);
  __m256 acc[MR][NR];
#pragma GCC unroll 4
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 4
    for (int t = 0; t < NR; ++t) acc[r][t] = _mm256_setzero_ps();
  }
  const __m256i ones = _mm256_set1_epi16(1);
  for (int64_t i = 0; i < nb; ++i) {
    // The MR x NR scale products go through memory: a broadcast from memory is a load,
    // not an ALU operation, and the scalars would otherwise take vector registers.
    // Scales converted four at a time: the fp16 d's gathered into one register, so
    // no scalar store is reloaded as a vector (a store-forwarding stall).
    // (_mm_setr_epi16 rather than _mm_insert_epi16 in the loop: the insert needs a
    // constant lane, which the loop counter is only once unrolled, not at -O1.)
    uint16_t dw16[4] = {0, 0, 0, 0};
    uint16_t da16[4] = {0, 0, 0, 0};
    __m256i wq[MR];
#pragma GCC unroll 4
    for (int r = 0; r < MR; ++r) {
      wq[r] = D::codes(wr[r][i]);
      dw16[r] = wr[r][i].d;
    }
#pragma GCC unroll 4
    for (int t = 0; t < NR; ++t) da16[t] = at[t][i].d;
    const __m128i dwh = _mm_setr_epi16(static_cast<int16_t>(dw16[0]), static_cast<int16_t>(dw16[1]),
                                       static_cast<int16_t>(dw16[2]), static_cast<int16_t>(dw16[3]),
                                       0, 0, 0, 0);
    const __m128i dah = _mm_setr_epi16(static_cast<int16_t>(da16[0]), static_cast<int16_t>(da16[1]),
                                       static_cast<int16_t>(da16[2]), static_cast<int16_t>(da16[3]),
                                       0, 0, 0, 0);
    const __m128 dwv = _mm_cvtph_ps(dwh);
    const __m128 dav = _mm_cvtph_ps(dah);
    alignas(16) float scale[NR][4];
    scale_products<NR>(dwv, dav, scale);
#pragma GCC unroll 4
    for (int t = 0; t < NR; ++t) {
      const __m256i av = load32(at[t][i].qs);
      const __m256i aa = _mm256_sign_epi8(av, av);
#pragma GCC unroll 4
      for (int r = 0; r < MR; ++r) {
        const __m256i p = _mm256_maddubs_epi16(aa, _mm256_sign_epi8(wq[r], av));
        const __m256 sum = _mm256_cvtepi32_ps(_mm256_madd_epi16(p, ones));
        acc[r][t] = _mm256_fmadd_ps(sum, _mm256_broadcast_ss(&scale[t][r]), acc[r][t]);
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

// The micro-tile for mr rows and nt tokens (1..4 each; at most kMR x kNR are used).
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
  const int64_t nb = n / kQK;
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

void gemm_q8_0(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride) {
  gemm<DecodeQ8_0>(n, w, w_stride, nr, act, act_stride, nt, out, out_stride);
}

void gemm_q4_0(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride) {
  gemm<DecodeQ4_0>(n, w, w_stride, nr, act, act_stride, nt, out, out_stride);
}

void gemm_q5_0(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride) {
  gemm<DecodeQ5_0>(n, w, w_stride, nr, act, act_stride, nt, out, out_stride);
}

}  // namespace trove::kern::avx2
