// core/quant.h — (internal) scalar quantizers for the int8 activation formats; the
// reference twins of the SIMD versions in the kernel tables.
#pragma once

#include <cstdint>

namespace trove::quant {

// Each block of 32 (or 256): d = amax / 127, q = round-half-even(x / d).
void quantize_q8_0(const float* x, void* dst, int64_t n);
void quantize_q8_1(const float* x, void* dst, int64_t n);  // also s = d * sum(q)
void quantize_q8_K(const float* x, void* dst, int64_t n);  // also the 16 group sums

}  // namespace trove::quant
