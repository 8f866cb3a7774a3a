// core/vec_dot_avx2.h — (internal) the AVX2 decode kernels of core/vec_dot_avx2.cc.
//
// Each computes out[r] = dot(weight row r, act) for r < nr, rows w_stride bytes apart,
// against one activation row in the weight type's int8 format (act_type). They are
// the RowsFn entries of the AVX2 kernel table; call them only on a CPU with AVX2.
#pragma once

#include <cstddef>
#include <cstdint>

namespace trove::kern::avx2 {

void q4_0_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out);
void q5_0_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out);
void q8_0_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out);
void q4k_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out);
void q5k_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out);
void q6k_rows(int64_t n, const void* w, size_t w_stride, int nr, const void* act, float* out);

}  // namespace trove::kern::avx2
