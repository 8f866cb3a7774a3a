// embed/reference_matmul.h — Y = X · Wᵀ with the activations rounded as the reference
// engine (ggml's CPU backend) rounds them before it multiplies.
//
// ggml multiplies every weight type against activations converted to that type's
// "vec_dot type": Q8_0 blocks for Q8_0/Q4_0/Q5_0 (trove::matmul does the same), fp16
// for F16 weights and bf16 for BF16. trove::matmul keeps float activations against
// float weights, which is more exact but not what the reference computes: on the
// random-weight reranker fixtures the fp16 rounding alone moved scores by ~2e-3,
// past the 1e-3 bar, so encoders round their activations to fp16 / bf16 here first.
// With the weights and the rounded activations both fp16, every product is exact in
// f32; F16 weights (cols a multiple of 8) then go through embed/f16_gemm.h, which also
// sums in the reference's order, so the output is the reference's bit for bit.
#pragma once

#include <cstdint>

#include "core/tensor.h"
#include "core/thread_pool.h"

namespace trove {

// y[n][w.rows] = round(x[n][w.cols]) · wᵀ, round() as above (identity for other types).
void reference_matmul(const TensorView& w, const float* x, int64_t n, float* y, ThreadPool* pool);

// x[i] rounded to the nearest fp16 / bf16 value (ties to even), in place.
void round_to_fp16(float* x, int64_t n);
void round_to_bf16(float* x, int64_t n);

}  // namespace trove
