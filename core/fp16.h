// core/fp16.h — (internal) scalar IEEE half and bfloat16 conversions, inline because
// every scalar kernel converts a block scale per block. The row versions in
// core/kernels.h use F16C when the CPU has it. The functions are `static inline` so a
// copy compiled into a SIMD file can never be the one scalar callers link to.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace trove::fp16 {

static inline float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t exp = (h >> 10) & 0x1F;
  const uint32_t mant = h & 0x3FF;
  if (exp == 0) {
    // Zero or subnormal: mant * 2^-24 is exact in float.
    const float v = static_cast<float>(mant) * 0x1p-24f;
    return sign ? -v : v;
  }
  if (exp == 31) return std::bit_cast<float>(sign | 0x7F800000u | (mant << 13));
  return std::bit_cast<float>(sign | ((exp + 112) << 23) | (mant << 13));
}

// Round to nearest even, overflow to infinity, NaN stays NaN (quiet).
static inline uint16_t float_to_half(float f) {
  const uint32_t x = std::bit_cast<uint32_t>(f);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
  const uint32_t ax = x & 0x7FFFFFFF;
  if (ax >= 0x7F800000) return sign | 0x7C00 | (ax > 0x7F800000 ? 0x200 : 0);
  if (ax >= 0x477FF000) return sign | 0x7C00;  // >= 65520 rounds past the largest half
  if (ax < 0x38800000) {
    // Below 2^-14 the half is subnormal: its mantissa is round(|f| * 2^24), and a
    // result of 0x400 is exactly the smallest normal's encoding.
    const float scaled = std::bit_cast<float>(ax) * 0x1p24f;
    return static_cast<uint16_t>(sign | static_cast<uint16_t>(std::nearbyint(scaled)));
  }
  uint32_t r = ax - (112u << 23);  // rebias the exponent from 127 to 15
  r += 0xFFF + ((r >> 13) & 1);    // round the 13 dropped bits to nearest even
  return static_cast<uint16_t>(sign | (r >> 13));
}

static inline float bf16_to_float(uint16_t h) {
  return std::bit_cast<float>(static_cast<uint32_t>(h) << 16);
}

static inline uint16_t float_to_bf16(float f) {
  const uint32_t x = std::bit_cast<uint32_t>(f);
  if ((x & 0x7FFFFFFF) > 0x7F800000) return static_cast<uint16_t>((x >> 16) | 0x40);  // quiet NaN
  return static_cast<uint16_t>((x + 0x7FFF + ((x >> 16) & 1)) >> 16);
}

}  // namespace trove::fp16
