// core/quant.h — (internal) scalar quantizers for the int8 activation formats; the
// reference twins of the SIMD versions in the kernel tables.
#pragma once

#include <cstdint>

namespace trove::quant {

// Activation quantizers (the scalar twins of the SIMD ones). Each block of 32 (or
// 256): d = amax / 127, q = round-half-even(x * 127 / amax). 127 / amax is what
// ggml's x86 code multiplies by; 1 / d, which its reference (weight) quantizer uses,
// differs in the last bit for some amax and then moves an element that sits at a
// rounding boundary by one step, which the encoder parity tests can see.
void quantize_q8_0(const float* x, void* dst, int64_t n);
void quantize_q8_1(const float* x, void* dst, int64_t n);  // also s = d * sum(q)
void quantize_q8_K(const float* x, void* dst, int64_t n);  // also the 16 group sums

}  // namespace trove::quant
