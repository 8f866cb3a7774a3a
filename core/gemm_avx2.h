// core/gemm_avx2.h — (internal) the AVX2 int8 GEMM tiles of core/gemm_avx2.cc.
//
// Each is a kern::TileFn: out[t * out_stride + r] = dot(weight row r, activation row t)
// for r < nr, t < nt, on the quantized weights and the weights' int8 activation format
// (Q8_0 blocks for the 32-element types, Q8_K for the K-quants). Unlike the one-row tiles of kernels_avx2.cc
// they keep a block of several rows x several tokens in registers, so every weight
// decode is shared by the tokens and every activation load by the rows. Call them only
// on a CPU with AVX2 (the AVX2 table does).
#pragma once

#include <cstddef>
#include <cstdint>

namespace trove::kern::avx2 {

void gemm_q8_0(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride);
void gemm_q4_0(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride);
void gemm_q5_0(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride);

// K-quants (core/gemm_kquant_avx2.cc), against Q8_K activations.
void gemm_q4_k(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride);
void gemm_q5_k(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride);
void gemm_q6_k(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
               size_t act_stride, int nt, float* out, size_t out_stride);

}  // namespace trove::kern::avx2
