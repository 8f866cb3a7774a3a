// embed/f16_gemm.h — Y = X · Wᵀ for fp16 weights and fp16-valued activations, with each
// output summed in the order of the reference engine's x86 GEMM (llama.cpp's tinyBLAS
// for F16): eight lanes, lane t accumulating w[l + t] * x[l + t] by fused multiply-add
// over l = 0, 8, 16, ..., then the lanes added as ((a4+a0)+(a6+a2)) + ((a5+a1)+(a7+a3)).
// Every output has that one order whatever the batch, so a score does not depend on
// which other pairs share its forward pass, and it equals the reference's bit for bit
// when the inputs do. cols must be a multiple of 8 (the reference uses another order
// otherwise; reference_matmul falls back to trove::matmul then).
//
// The AVX2 kernel (f16_gemm_avx2.cc) and the scalar one give identical bits
// (tests/embed/f16_gemm_test.cc); f16_gemm picks one at run time (TROVE_SIMD applies).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/tensor.h"
#include "core/thread_pool.h"

namespace trove {

// Rows [r0, r1) of y[n][rows] = x[n][cols] · wᵀ; w holds fp16 rows of row_bytes.
using F16GemmFn = void (*)(const uint16_t* w, size_t row_bytes, int64_t rows, int64_t cols,
                           const float* x, int64_t n, float* y, int64_t r0, int64_t r1);
void f16_gemm_scalar(const uint16_t* w, size_t row_bytes, int64_t rows, int64_t cols,
                     const float* x, int64_t n, float* y, int64_t r0, int64_t r1);
void f16_gemm_avx2(const uint16_t* w, size_t row_bytes, int64_t rows, int64_t cols, const float* x,
                   int64_t n, float* y, int64_t r0, int64_t r1);

// The whole product over the pool (null: this thread), with the best kernel.
void f16_gemm(const TensorView& w, const float* x, int64_t n, float* y, ThreadPool* pool);

}  // namespace trove
