// core/kernels.h — the public face of the numeric kernels: conversion between GGML
// types and float, and matrix products on weights in any supported type.
//
// Products on quantized weights run on the quantized data directly against
// int8-quantized activations (Q8_0 blocks for the 32-element types, Q8_K for the
// K-quants), as the formats intend. matvec serves decoding (one token); matmul serves
// batches (prompt prefill, embedding batches) and may dequantize tiles to float.
// The implementation picks scalar / AVX2 / AVX-512(VNNI) code at run time
// (core/cpu_features.h); every SIMD path has a scalar twin that tests compare with.
#pragma once

#include <cstdint>
#include <span>

#include "core/ggml_type.h"
#include "core/tensor.h"
#include "core/thread_pool.h"

namespace trove {

// dst[0..n) = src row of n elements of type t. n must be a multiple of the block size.
void dequantize_row(GgmlType t, const void* src, float* dst, int64_t n);

// Reference quantization of n floats into type t (all supported types, used by the
// GGUF writer and tests). Returns false for a type it cannot produce.
bool quantize_row(GgmlType t, const float* src, void* dst, int64_t n);

// y[rows] = W · x, x has w.cols floats. pool may be null (single-threaded).
void matvec(const TensorView& w, const float* x, float* y, ThreadPool* pool);

// Several matvecs of the same x (Q, K and V; gate and up) in one dispatch, so the
// threads meet once instead of once per matrix. All w share w.cols; at most 4 jobs.
struct MatvecJob {
  const TensorView* w;
  float* y;
};
void matvec_multi(std::span<const MatvecJob> jobs, const float* x, ThreadPool* pool);

// Y[n][w.rows] = X[n][w.cols] · Wᵀ, row-major X and Y. pool may be null.
void matmul(const TensorView& w, const float* x, int64_t n, float* y, ThreadPool* pool);

// Single-threaded float GEMMs on row-major matrices with leading dimensions in floats,
// for callers that parallelise over independent products (attention heads):
// C[m][n] = alpha * A[m][k] · B[n][k]ᵀ, and C[m][n] = A[m][k] · B[k][n].
void gemm_f32_nt(int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float* c, int64_t ldc);
void gemm_f32_nn(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
                 int64_t ldb, float* c, int64_t ldc);
// y[m] = A[m][k] · x[k], single-threaded: one pass over A, memory-bound (exact vector
// search over every stored embedding).
void gemv_f32(int64_t m, int64_t k, const float* a, int64_t lda, const float* x, float* y);

// Float helpers that are hot in every model.
void fp16_to_fp32_row(const uint16_t* src, float* dst, int64_t n);
void fp32_to_fp16_row(const float* src, uint16_t* dst, int64_t n);
float fp16_to_fp32(uint16_t h);
uint16_t fp32_to_fp16(float f);

}  // namespace trove
