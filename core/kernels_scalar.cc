// core/kernels_scalar.cc — the scalar kernel table: the reference dot products every
// SIMD kernel is tested against, and the fallback on CPUs without AVX2.
//
// Quantized rows are multiplied against int8 activations block by block: the integer
// products of a block (or group) are summed exactly, then scaled by the float block
// scales. The K-quants with a min subtract dmin * m_g * sum(activations of group g),
// where the activation sums come precomputed in BlockQ8_K::bsums.
#include <cstring>

#include "core/fp16.h"
#include "core/kernels_internal.h"
#include "core/quant.h"
#include "core/quant_blocks.h"

// Offsets inside a quantisation block (a constant stride times an index below the
// block's 2..16 sub-blocks: at most 256) are int arithmetic on purpose, as in
// llama.cpp's kernels that these mirror; they cannot overflow. Row offsets, which can
// be large, are size_t/int64_t in this file.
// NOLINTBEGIN(bugprone-implicit-widening-of-multiplication-result)

namespace trove::kern {
namespace {

using fp16::half_to_float;
using namespace quant;  // NOLINT(google-build-using-namespace): block structs

uint32_t load_qh(const uint8_t* qh) {
  uint32_t v = 0;
  std::memcpy(&v, qh, 4);
  return v;
}

float dot_q8_0(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ8_0*>(w);
  const auto* y = static_cast<const BlockQ8_0*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQK; ++i) {
    int s = 0;
    for (int j = 0; j < kQK; ++j) s += x[i].qs[j] * y[i].qs[j];
    sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(s);
  }
  return sum;
}

float dot_q4_0(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ4_0*>(w);
  const auto* y = static_cast<const BlockQ8_0*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQK; ++i) {
    int s = 0;
    for (int j = 0; j < kQK / 2; ++j) {
      s += ((x[i].qs[j] & 0xF) - 8) * y[i].qs[j];
      s += ((x[i].qs[j] >> 4) - 8) * y[i].qs[j + kQK / 2];
    }
    sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(s);
  }
  return sum;
}

float dot_q4_1(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ4_1*>(w);
  const auto* y = static_cast<const BlockQ8_1*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQK; ++i) {
    int s = 0;
    for (int j = 0; j < kQK / 2; ++j) {
      s += (x[i].qs[j] & 0xF) * y[i].qs[j];
      s += (x[i].qs[j] >> 4) * y[i].qs[j + kQK / 2];
    }
    sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(s) +
           half_to_float(x[i].m) * half_to_float(y[i].s);
  }
  return sum;
}

float dot_q5_0(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ5_0*>(w);
  const auto* y = static_cast<const BlockQ8_0*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const uint32_t qh = load_qh(x[i].qh);
    int s = 0;
    for (int j = 0; j < kQK / 2; ++j) {
      const int lo = (x[i].qs[j] & 0xF) | static_cast<int>(((qh >> j) & 1) << 4);
      const int hi = (x[i].qs[j] >> 4) | static_cast<int>(((qh >> (j + 16)) & 1) << 4);
      s += (lo - 16) * y[i].qs[j] + (hi - 16) * y[i].qs[j + kQK / 2];
    }
    sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(s);
  }
  return sum;
}

float dot_q5_1(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ5_1*>(w);
  const auto* y = static_cast<const BlockQ8_1*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const uint32_t qh = load_qh(x[i].qh);
    int s = 0;
    for (int j = 0; j < kQK / 2; ++j) {
      const int lo = (x[i].qs[j] & 0xF) | static_cast<int>(((qh >> j) & 1) << 4);
      const int hi = (x[i].qs[j] >> 4) | static_cast<int>(((qh >> (j + 16)) & 1) << 4);
      s += lo * y[i].qs[j] + hi * y[i].qs[j + kQK / 2];
    }
    sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(s) +
           half_to_float(x[i].m) * half_to_float(y[i].s);
  }
  return sum;
}

float dot_q2_k(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ2_K*>(w);
  const auto* y = static_cast<const BlockQ8_K*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQKK; ++i) {
    int sumi = 0;
    int summ = 0;
    for (int g = 0; g < 16; ++g) summ += (x[i].scales[g] >> 4) * y[i].bsums[g];
    for (int h = 0; h < 2; ++h) {
      for (int j = 0; j < 4; ++j) {
        for (int half = 0; half < 2; ++half) {
          int s = 0;
          for (int l = 16 * half; l < 16 * half + 16; ++l) {
            s += ((x[i].qs[32 * h + l] >> (2 * j)) & 3) * y[i].qs[128 * h + 32 * j + l];
          }
          sumi += (x[i].scales[8 * h + 2 * j + half] & 0xF) * s;
        }
      }
    }
    sum += y[i].d * (half_to_float(x[i].d) * static_cast<float>(sumi) -
                     half_to_float(x[i].dmin) * static_cast<float>(summ));
  }
  return sum;
}

float dot_q3_k(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ3_K*>(w);
  const auto* y = static_cast<const BlockQ8_K*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQKK; ++i) {
    int8_t sc[16];
    q3k_scales(x[i].scales, sc);
    int sumi = 0;
    for (int h = 0; h < 2; ++h) {
      for (int j = 0; j < 4; ++j) {
        for (int half = 0; half < 2; ++half) {
          int s = 0;
          for (int l = 16 * half; l < 16 * half + 16; ++l) {
            const int low = (x[i].qs[32 * h + l] >> (2 * j)) & 3;
            const int high = (x[i].hmask[l] >> (4 * h + j)) & 1;
            s += (low - (high ? 0 : 4)) * y[i].qs[128 * h + 32 * j + l];
          }
          sumi += sc[8 * h + 2 * j + half] * s;
        }
      }
    }
    sum += y[i].d * half_to_float(x[i].d) * static_cast<float>(sumi);
  }
  return sum;
}

// Q4_K and Q5_K differ only in the fifth bit; kBits selects it at compile time.
template <class Block, bool kFifthBit>
float dot_q45_k(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const Block*>(w);
  const auto* y = static_cast<const BlockQ8_K*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQKK; ++i) {
    int sumi = 0;
    int summ = 0;
    for (int c = 0; c < 4; ++c) {
      uint8_t sc0, m0, sc1, m1;
      scale_min_k4(2 * c, x[i].scales, &sc0, &m0);
      scale_min_k4(2 * c + 1, x[i].scales, &sc1, &m1);
      int s0 = 0;
      int s1 = 0;
      for (int l = 0; l < 32; ++l) {
        int lo = x[i].qs[32 * c + l] & 0xF;
        int hi = x[i].qs[32 * c + l] >> 4;
        if constexpr (kFifthBit) {
          lo |= ((x[i].qh[l] >> (2 * c)) & 1) << 4;
          hi |= ((x[i].qh[l] >> (2 * c + 1)) & 1) << 4;
        }
        s0 += lo * y[i].qs[64 * c + l];
        s1 += hi * y[i].qs[64 * c + 32 + l];
      }
      sumi += sc0 * s0 + sc1 * s1;
      summ += m0 * (y[i].bsums[4 * c] + y[i].bsums[4 * c + 1]) +
              m1 * (y[i].bsums[4 * c + 2] + y[i].bsums[4 * c + 3]);
    }
    sum += y[i].d * (half_to_float(x[i].d) * static_cast<float>(sumi) -
                     half_to_float(x[i].dmin) * static_cast<float>(summ));
  }
  return sum;
}

float dot_q6_k(int64_t n, const void* w, const void* act) {
  const auto* x = static_cast<const BlockQ6_K*>(w);
  const auto* y = static_cast<const BlockQ8_K*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQKK; ++i) {
    int sumi = 0;
    for (int h = 0; h < 2; ++h) {
      const uint8_t* ql = x[i].ql + 64 * h;
      const uint8_t* qh = x[i].qh + 32 * h;
      const int8_t* sc = x[i].scales + 8 * h;
      const int8_t* a = y[i].qs + 128 * h;
      int s[8] = {};
      for (int l = 0; l < 32; ++l) {
        const int is = l / 16;
        s[is + 0] += (((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32) * a[l];
        s[is + 2] += (((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32) * a[l + 32];
        s[is + 4] += (((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32) * a[l + 64];
        s[is + 6] += (((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32) * a[l + 96];
      }
      for (int g = 0; g < 8; ++g) sumi += sc[g] * s[g];
    }
    sum += y[i].d * half_to_float(x[i].d) * static_cast<float>(sumi);
  }
  return sum;
}

// Element i of a row of T that need not be aligned to T: a GGUF float row may sit at
// any byte offset within a tensor view, and the kernels' tests check that on purpose.
template <class T>
T load_at(const void* row, int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const uint8_t*>(row) + i * static_cast<int64_t>(sizeof(T)),
              sizeof(T));
  return v;
}

float dot_f32(int64_t n, const void* w, const void* act) {
  const auto* y = static_cast<const float*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n; ++i) sum += load_at<float>(w, i) * y[i];
  return sum;
}

float dot_f16(int64_t n, const void* w, const void* act) {
  const auto* y = static_cast<const float*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n; ++i) sum += half_to_float(load_at<uint16_t>(w, i)) * y[i];
  return sum;
}

float dot_bf16(int64_t n, const void* w, const void* act) {
  const auto* y = static_cast<const float*>(act);
  float sum = 0.0f;
  for (int64_t i = 0; i < n; ++i) sum += fp16::bf16_to_float(load_at<uint16_t>(w, i)) * y[i];
  return sum;
}

void half_row_to_float(const uint16_t* src, float* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = half_to_float(src[i]);
}

void float_row_to_half(const float* src, uint16_t* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = fp16::float_to_half(src[i]);
}

void bf16_row_to_float(const uint16_t* src, float* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = fp16::bf16_to_float(src[i]);
}

constexpr int id(GgmlType t) {
  return static_cast<int>(t);
}

KernelTable make_scalar_table() {
  KernelTable t;
  t.level = SimdLevel::kScalar;
  t.vec_dot[id(GgmlType::kF32)] = dot_f32;
  t.vec_dot[id(GgmlType::kF16)] = dot_f16;
  t.vec_dot[id(GgmlType::kBF16)] = dot_bf16;
  t.vec_dot[id(GgmlType::kQ8_0)] = dot_q8_0;
  t.vec_dot[id(GgmlType::kQ4_0)] = dot_q4_0;
  t.vec_dot[id(GgmlType::kQ4_1)] = dot_q4_1;
  t.vec_dot[id(GgmlType::kQ5_0)] = dot_q5_0;
  t.vec_dot[id(GgmlType::kQ5_1)] = dot_q5_1;
  t.vec_dot[id(GgmlType::kQ2_K)] = dot_q2_k;
  t.vec_dot[id(GgmlType::kQ3_K)] = dot_q3_k;
  t.vec_dot[id(GgmlType::kQ4_K)] = dot_q45_k<BlockQ4_K, false>;
  t.vec_dot[id(GgmlType::kQ5_K)] = dot_q45_k<BlockQ5_K, true>;
  t.vec_dot[id(GgmlType::kQ6_K)] = dot_q6_k;
  t.quantize_q8_0 = quantize_q8_0;
  t.quantize_q8_1 = quantize_q8_1;
  t.quantize_q8_K = quantize_q8_K;
  t.fp16_to_fp32 = half_row_to_float;
  t.fp32_to_fp16 = float_row_to_half;
  t.bf16_to_fp32 = bf16_row_to_float;
  return t;
}

}  // namespace

const KernelTable& scalar_table() {
  static const KernelTable table = make_scalar_table();
  return table;
}

}  // namespace trove::kern
// NOLINTEND(bugprone-implicit-widening-of-multiplication-result)
