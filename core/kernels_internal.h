// core/kernels_internal.h — (internal) the kernel tables behind core/kernels.h.
//
// Every instruction-set level (scalar, AVX2, AVX-512) fills one KernelTable; the
// public entry points pick the best table the CPU supports once, and tests compare
// each SIMD table with the scalar one. A level that has no special kernel for a type
// keeps the scalar entry, so every table is complete.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/ggml_type.h"
#include "core/tensor.h"
#include "core/thread_pool.h"

namespace trove::kern {

enum class SimdLevel { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };
const char* simd_level_name(SimdLevel level);

// Dot product of one weight row of n elements with activations already converted to
// act_type(weight type): int8 blocks for quantized weights, floats for F32/F16/BF16.
using VecDotFn = float (*)(int64_t n, const void* w, const void* act);

// A small GEMM tile: out[t * out_stride + r] = dot(row r of w, activation row t) for
// r < nr, t < nt. Rows of w are w_stride bytes apart, activation rows act_stride bytes.
// Reusing each decoded weight block across several tokens is what makes batches fast.
using TileFn = void (*)(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
                        size_t act_stride, int nt, float* out, size_t out_stride);

// Decode's matvec: out[r] = dot(weight row r, act) for r < nr, rows w_stride bytes
// apart, one activation row. A kernel written for this shape shares each activation
// load between rows and keeps several rows' sums in flight.
using RowsFn = void (*)(int64_t n, const void* w, size_t w_stride, int nr, const void* act,
                        float* out);

// Converts n floats into an activation format (n a multiple of its block size).
using QuantizeActFn = void (*)(const float* x, void* dst, int64_t n);
using HalfToFloatFn = void (*)(const uint16_t* src, float* dst, int64_t n);
using FloatToHalfFn = void (*)(const float* src, uint16_t* dst, int64_t n);

inline constexpr int kMaxTypeId = 31;  // GgmlType values are < 31

struct KernelTable {
  SimdLevel level = SimdLevel::kScalar;
  VecDotFn vec_dot[kMaxTypeId] = {};
  TileFn tile[kMaxTypeId] = {};  // null: matmul falls back to vec_dot per pair
  RowsFn rows[kMaxTypeId] = {};  // null: matvec calls vec_dot per row
  QuantizeActFn quantize_q8_0 = nullptr;
  QuantizeActFn quantize_q8_1 = nullptr;
  QuantizeActFn quantize_q8_K = nullptr;
  HalfToFloatFn fp16_to_fp32 = nullptr;
  FloatToHalfFn fp32_to_fp16 = nullptr;
  HalfToFloatFn bf16_to_fp32 = nullptr;
};

// The tables. avx2_table()/avx512_table() are built from code compiled for those
// instruction sets: call them only after cpu_features() says the CPU has them
// (kernels_for does).
const KernelTable& scalar_table();
const KernelTable& avx2_table();
const KernelTable& avx512_table();

// The table for `level`, or nullptr when this CPU cannot run it.
const KernelTable* kernels_for(SimdLevel level);
// The best table this CPU runs (chosen once).
const KernelTable& best_kernels();

// The activation format a weight type multiplies against: kQ8_0, kQ8_1, kQ8_K, or kF32
// for the float types. Asserts on unsupported types.
GgmlType act_type(GgmlType weight);
// Bytes of one activation row of n elements for weights of type `weight`.
size_t act_row_bytes(GgmlType weight, int64_t n);
// Converts one float row to the activation format of `weight` with table k.
void quantize_act(const KernelTable& k, GgmlType weight, const float* x, void* dst, int64_t n);

// How matmul multiplies a batch. kTiles: int8 tile kernels on the quantized batch;
// kSgemm: weights converted to float in row tiles, then OpenBLAS sgemm. kAuto is what
// trove::matmul uses (the faster per type and batch size, see kernels.cc); the others
// exist so benchmarks and tests can compare the two.
enum class MatmulPath { kAuto, kTiles, kSgemm };
void matmul_path(MatmulPath path, const TensorView& w, const float* x, int64_t n, float* y,
                 ThreadPool* pool);

}  // namespace trove::kern
