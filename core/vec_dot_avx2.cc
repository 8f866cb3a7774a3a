// core/vec_dot_avx2.cc — AVX2 dot products for decoding, where one activation row
// meets every weight row once and the kernel must keep up with memory.
//
// The block kernels in kernels_avx2.cc decode a weight block into a struct of
// registers so the matmul tiles can reuse it for four tokens; for a single token that
// cost more than it saved (scales went through memory and were broadcast one by one).
// These kernels are written for one pass: per-group scales are widened once per block
// into an int16 vector and selected with vpshufb, the K-quant mins are applied through
// the activation block sums with one vpmaddwd, two weight rows share every activation
// load and give the core two independent dependency chains, and the weights are
// prefetched well ahead (see kAhead). On cached data (Zen 3, one thread) this took
// Q4_K from 16 to 12 ns and Q6_K from 26 to 11 ns per 256 weights; streaming from
// memory, prefetching took the kernels from about a third of the plain read
// bandwidth to two thirds or more.
#include <immintrin.h>

#include <cstring>

#include "core/avx2_util.h"
#include "core/kernels_internal.h"
#include "core/quant_blocks.h"
#include "core/vec_dot_avx2.h"

// Offsets inside a quantisation block (a constant stride times an index below the
// block's 2..16 sub-blocks: at most 256) are int arithmetic on purpose, as in
// llama.cpp's kernels that these mirror; they cannot overflow. Row offsets, which can
// be large, are size_t/int64_t in this file.
// NOLINTBEGIN(bugprone-implicit-widening-of-multiplication-result)

namespace trove::kern::avx2 {
namespace {

using namespace quant;  // NOLINT(google-build-using-namespace): block structs

inline float hsum128(__m128 s) {
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// Streaming from memory, the compute between loads keeps the out-of-order window from
// reaching far enough ahead, and the hardware prefetcher alone left these kernels at a
// third of the read bandwidth; asking for the block kAhead bytes ahead fixes that.
#ifndef TROVE_PREFETCH_AHEAD
#define TROVE_PREFETCH_AHEAD 4096
#endif
constexpr int kAhead = TROVE_PREFETCH_AHEAD;

template <int kBytes>
inline void prefetch_block(const void* block) {
  const char* p = static_cast<const char*>(block) + kAhead;
  for (int off = 0; off < kBytes; off += 64) _mm_prefetch(p + off, _MM_HINT_T0);
}

// vpshufb mask that broadcasts int16 lane `lo` of each 128-bit half to the low half's
// lanes and lane `hi` to the high half's lanes.
inline __m256i pick16(int lo, int hi) {
  return _mm256_set_m128i(_mm_set1_epi16(static_cast<int16_t>((2 * hi + 1) << 8 | 2 * hi)),
                          _mm_set1_epi16(static_cast<int16_t>((2 * lo + 1) << 8 | 2 * lo)));
}

// ---- Q4_K / Q5_K ----

// The eight 6-bit scales (bytes 0..7) and mins (bytes 8..15) of a Q4_K/Q5_K block, as
// in scale_min_k4, computed on 32-bit words.
inline __m128i k4_scales_mins(const uint8_t* packed) {
  const uint32_t a0 = load_u32(packed), a1 = load_u32(packed + 4), a2 = load_u32(packed + 8);
  const uint32_t s_lo = a0 & 0x3F3F3F3F;
  const uint32_t m_lo = a1 & 0x3F3F3F3F;
  const uint32_t s_hi = (a2 & 0x0F0F0F0F) | ((a0 >> 2) & 0x30303030);
  const uint32_t m_hi = ((a2 >> 4) & 0x0F0F0F0F) | ((a1 >> 2) & 0x30303030);
  return _mm_set_epi32(static_cast<int>(m_hi), static_cast<int>(m_lo), static_cast<int>(s_hi),
                       static_cast<int>(s_lo));
}

// Per-block state of a Q4_K/Q5_K row: its scales as int16 in both halves (for pick16)
// and the block's min correction, which is added to the float accumulator.
struct K4Head {
  __m256i scales;  // int16 sc0..sc7 in each 128-bit half
  float d;         // activation scale times weight scale
};

inline K4Head k4_head(const uint8_t* scales, uint16_t d, uint16_t dmin, const BlockQ8_K& a,
                      __m128& acc_min) {
  const __m256i sm16 = _mm256_cvtepu8_epi16(k4_scales_mins(scales));
  // Sums of the activation over each group of 32: pairs of the 16-element bsums.
  const __m128i bs = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.bsums));
  const __m128i bs_hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.bsums + 8));
  const __m128i q8s = _mm_hadd_epi16(bs, bs_hi);
  const __m128i prod = _mm_madd_epi16(_mm256_extracti128_si256(sm16, 1), q8s);
  acc_min = _mm_fmadd_ps(_mm_set1_ps(-a.d * half_to_float(dmin)), _mm_cvtepi32_ps(prod), acc_min);
  return {_mm256_broadcastsi128_si256(_mm256_castsi256_si128(sm16)), a.d * half_to_float(d)};
}

// Sum over chunk c (64 elements: groups 2c and 2c+1) of code * activation * scale.
inline __m256i k4_chunk(__m256i lo, __m256i hi, const int8_t* a, __m256i scales, int c) {
  const __m256i pl = _mm256_maddubs_epi16(lo, load32(a));
  const __m256i ph = _mm256_maddubs_epi16(hi, load32(a + 32));
  const __m256i sl = _mm256_shuffle_epi8(scales, pick16(2 * c, 2 * c));
  const __m256i sh = _mm256_shuffle_epi8(scales, pick16(2 * c + 1, 2 * c + 1));
  return _mm256_add_epi32(_mm256_madd_epi16(pl, sl), _mm256_madd_epi16(ph, sh));
}

template <bool kFifthBit, class Block>
inline __m256i k45_block(const Block& x, const BlockQ8_K& a, __m256i scales) {
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  __m256i sumi = _mm256_setzero_si256();
  __m256i hb;
  if constexpr (kFifthBit) hb = load32(x.qh);
#pragma GCC unroll 4
  for (int c = 0; c < 4; ++c) {
    const __m256i q = load32(x.qs + 32 * c);
    __m256i lo = _mm256_and_si256(q, low4);
    __m256i hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), low4);
    if constexpr (kFifthBit) {
      // Bit 2c of qh[l] is the fifth bit of the low nibble, bit 2c+1 of the high one.
      const __m256i sixteen = _mm256_set1_epi8(16);
      lo = _mm256_or_si256(lo, _mm256_and_si256(_mm256_slli_epi16(hb, 4), sixteen));
      hi = _mm256_or_si256(hi, _mm256_and_si256(_mm256_slli_epi16(hb, 3), sixteen));
      hb = _mm256_srli_epi16(hb, 2);
    }
    sumi = _mm256_add_epi32(sumi, k4_chunk(lo, hi, a.qs + 64 * c, scales, c));
  }
  return sumi;
}

// ---- Q6_K ----

// Sum over the block of code * activation * scale, codes unsigned (q + 32); the
// offset comes off at the end through the activation block sums.
inline __m256i q6_block(const BlockQ6_K& x, const BlockQ8_K& a) {
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  const __m256i hi2 = _mm256_set1_epi8(0x30);
  // Sixteen int8 scales as int16: groups 0..7 in the low half, 8..15 in the high one;
  // each 128-element half of the block uses one of them in both lanes.
  const __m256i sc16 =
      _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x.scales)));
  __m256i sumi = _mm256_setzero_si256();
#pragma GCC unroll 2
  for (int h = 0; h < 2; ++h) {
    const __m256i sc = h == 0 ? _mm256_permute2x128_si256(sc16, sc16, 0x00)
                              : _mm256_permute2x128_si256(sc16, sc16, 0x11);
    const __m256i ql0 = load32(x.ql + 64 * h);
    const __m256i ql1 = load32(x.ql + 64 * h + 32);
    const __m256i qh = load32(x.qh + 32 * h);
    const __m256i q[4] = {_mm256_or_si256(_mm256_and_si256(ql0, low4),
                                          _mm256_and_si256(_mm256_slli_epi16(qh, 4), hi2)),
                          _mm256_or_si256(_mm256_and_si256(ql1, low4),
                                          _mm256_and_si256(_mm256_slli_epi16(qh, 2), hi2)),
                          _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low4),
                                          _mm256_and_si256(qh, hi2)),
                          _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low4),
                                          _mm256_and_si256(_mm256_srli_epi16(qh, 2), hi2))};
#pragma GCC unroll 4
    for (int j = 0; j < 4; ++j) {
      const __m256i p = _mm256_maddubs_epi16(q[j], load32(a.qs + 128 * h + 32 * j));
      const __m256i s = _mm256_shuffle_epi8(sc, pick16(2 * j, 2 * j + 1));
      sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p, s));
    }
  }
  // 32 * sum_g sc_g * bsum_g, as a shift rather than a multiply.
  const __m256i off = _mm256_slli_epi32(_mm256_madd_epi16(load32(a.bsums), sc16), 5);
  return _mm256_sub_epi32(sumi, off);
}

// ---- 32-element types (Q4_0, Q5_0, Q8_0) against Q8_0 activations ----

// Each block type's codes as signed bytes.
struct Q4_0Codes {
  using Block = BlockQ4_0;
  static __m256i codes(const Block& b) {
    return _mm256_sub_epi8(nibbles_lo_hi(b.qs), _mm256_set1_epi8(8));
  }
};
struct Q5_0Codes {
  using Block = BlockQ5_0;
  // nibble - 16 when the fifth bit is clear is nibble | 0xF0 as a signed byte.
  static __m256i codes(const Block& b) {
    const __m256i clear = _mm256_andnot_si256(bits_to_bytes(load_u32(b.qh)),
                                              _mm256_set1_epi8(static_cast<char>(0xF0)));
    return _mm256_or_si256(nibbles_lo_hi(b.qs), clear);
  }
};
struct Q8_0Codes {
  using Block = BlockQ8_0;
  static __m256i codes(const Block& b) { return load32(b.qs); }
};

// Eight int32 partial sums of x * y over 32 signed bytes (vpmaddubsw wants an unsigned
// operand: |x| times y carrying x's sign).
inline __m256 dot32(__m256i x, __m256i y) {
  return _mm256_cvtepi32_ps(dot_i8(x, y));
}

// ---- the row loop shared by every type ----

// A row's running sum: eight float lanes, plus four for the K-quant mins, which are
// applied per block through the activation sums and kept apart until the end.
struct RowAcc {
  __m256 sum = _mm256_setzero_ps();
  __m128 mins = _mm_setzero_ps();
  float total() const { return hsum(sum) + hsum128(mins); }
};

// One weight block against its activation block, per type; prepare() turns the
// activation block into what step() reads, once for both rows of a pair.
template <bool kFifthBit, class WBlock>
struct K45Step {
  using Block = WBlock;
  using ABlock = BlockQ8_K;
  static constexpr int kBlock = kQKK;
  static const ABlock& prepare(const ABlock& a) { return a; }
  [[gnu::always_inline]] static void step(const Block& x, const ABlock& a, RowAcc& acc) {
    const K4Head h = k4_head(x.scales, x.d, x.dmin, a, acc.mins);
    const __m256i s = k45_block<kFifthBit>(x, a, h.scales);
    acc.sum = _mm256_fmadd_ps(_mm256_set1_ps(h.d), _mm256_cvtepi32_ps(s), acc.sum);
  }
};

struct Q6KStep {
  using Block = BlockQ6_K;
  using ABlock = BlockQ8_K;
  static constexpr int kBlock = kQKK;
  static const ABlock& prepare(const ABlock& a) { return a; }
  [[gnu::always_inline]] static void step(const Block& x, const ABlock& a, RowAcc& acc) {
    acc.sum = _mm256_fmadd_ps(_mm256_set1_ps(a.d * half_to_float(x.d)),
                              _mm256_cvtepi32_ps(q6_block(x, a)), acc.sum);
  }
};

template <class C>
struct Q32Step {
  using Block = typename C::Block;
  using ABlock = BlockQ8_0;
  static constexpr int kBlock = kQK;
  struct Prepared {
    __m256i y;
    float d;
  };
  static Prepared prepare(const ABlock& a) { return {load32(a.qs), half_to_float(a.d)}; }
  [[gnu::always_inline]] static void step(const Block& x, const Prepared& a, RowAcc& acc) {
    acc.sum =
        _mm256_fmadd_ps(_mm256_set1_ps(a.d * half_to_float(x.d)), dot32(C::codes(x), a.y), acc.sum);
  }
};

// Rows two at a time: both read the same activation block (loaded once when the two
// steps inline side by side) and their sums are independent chains; an odd last row
// goes alone.
template <class S>
void rows_of(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out) {
  using Block = typename S::Block;
  const auto* a = static_cast<const typename S::ABlock*>(act);
  const int64_t nb = n / S::kBlock;
  const auto row = [&](int r) {
    return reinterpret_cast<const Block*>(static_cast<const uint8_t*>(w) + r * w_stride);
  };
  int r = 0;
  for (; r + 2 <= nr; r += 2) {
    const Block* x0 = row(r);
    const Block* x1 = row(r + 1);
    RowAcc acc0, acc1;
    for (int64_t i = 0; i < nb; ++i) {
      prefetch_block<sizeof(Block)>(x0 + i);
      prefetch_block<sizeof(Block)>(x1 + i);
      const auto& ai = S::prepare(a[i]);
      S::step(x0[i], ai, acc0);
      S::step(x1[i], ai, acc1);
    }
    out[r] = acc0.total();
    out[r + 1] = acc1.total();
  }
  if (r < nr) {
    const Block* x = row(r);
    RowAcc acc;
    for (int64_t i = 0; i < nb; ++i) {
      prefetch_block<sizeof(Block)>(x + i);
      S::step(x[i], S::prepare(a[i]), acc);
    }
    out[r] = acc.total();
  }
}

}  // namespace

void q4k_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out) {
  rows_of<K45Step<false, BlockQ4_K>>(n, w, w_stride, nr, act, out);
}
void q5k_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out) {
  rows_of<K45Step<true, BlockQ5_K>>(n, w, w_stride, nr, act, out);
}
void q6k_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out) {
  rows_of<Q6KStep>(n, w, w_stride, nr, act, out);
}

void q4_0_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out) {
  rows_of<Q32Step<Q4_0Codes>>(n, w, w_stride, nr, act, out);
}
void q5_0_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out) {
  rows_of<Q32Step<Q5_0Codes>>(n, w, w_stride, nr, act, out);
}
void q8_0_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out) {
  rows_of<Q32Step<Q8_0Codes>>(n, w, w_stride, nr, act, out);
}

}  // namespace trove::kern::avx2
// NOLINTEND(bugprone-implicit-widening-of-multiplication-result)
