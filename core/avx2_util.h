// core/avx2_util.h — (internal) small AVX2 helpers shared by the *_avx2.cc kernel
// files. Include only from files compiled with -mavx2 -mfma -mf16c (the build gives
// every *_avx2.cc those flags); the functions are inline and use no library templates,
// so no AVX2 code can be merged into a caller built without it.
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace trove::kern::avx2 {

// One F16C instruction instead of the scalar bit manipulation.
inline float half_to_float(uint16_t h) {
  return _cvtsh_ss(h);
}

inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

inline __m256i load32(const void* p) {
  return _mm256_loadu_si256(static_cast<const __m256i*>(p));
}

inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// 16 packed bytes → 32 bytes: low nibbles first (elements 0..15), then high nibbles
// (elements 16..31) — the order of the 32-element types.
inline __m256i nibbles_lo_hi(const uint8_t* qs) {
  const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
  const __m256i both = _mm256_set_m128i(_mm_srli_epi16(raw, 4), raw);
  return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

// Bit i of a 32-bit word → 0xFF / 0x00 in byte i: byte i picks the word's byte i/8,
// then tests its own bit i%8.
inline __m256i bits_to_bytes(uint32_t bits) {
  const __m256i pick = _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101,
                                         0x0000000000000000);
  const __m256i bytes = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(bits)), pick);
  const __m256i bit = _mm256_set1_epi64x(static_cast<int64_t>(0x8040201008040201ULL));
  return _mm256_cmpeq_epi8(_mm256_and_si256(bytes, bit), bit);
}

// Sum of x*y over 32 signed bytes as 8 int32: vpmaddubsw needs an unsigned operand, so
// multiply |x| by y carrying x's sign.
inline __m256i dot_i8(__m256i x, __m256i y) {
  const __m256i p16 = _mm256_maddubs_epi16(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x));
  return _mm256_madd_epi16(p16, _mm256_set1_epi16(1));
}

}  // namespace trove::kern::avx2
