// core/quant.cc — dequantize_row and the reference quantizers (core/kernels.h,
// core/quant.h). Dequantization follows the GGUF block layouts bit for bit
// (core/quant_blocks.h). The weight quantizers are deliberately simple (one pass, no
// search for the best scale, unlike llama.cpp's); they exist to write test models and
// fixtures, and their error bounds are what tests/core_kernels checks.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

#include "core/fp16.h"
#include "core/kernels.h"
#include "core/quant.h"
#include "core/quant_blocks.h"

// Offsets inside a quantisation block (a constant stride times an index below the
// block's 2..16 sub-blocks: at most 256) are int arithmetic on purpose, as in
// llama.cpp's kernels that these mirror; they cannot overflow. Row offsets, which can
// be large, are size_t/int64_t in this file.
// NOLINTBEGIN(bugprone-implicit-widening-of-multiplication-result)

namespace trove {
namespace quant {
namespace {

using fp16::float_to_half;
using fp16::half_to_float;

int nearest(float v) {
  return static_cast<int>(std::nearbyint(v));
}

float abs_max(const float* x, int n) {
  float amax = 0.0f;
  for (int j = 0; j < n; ++j) amax = std::max(amax, std::fabs(x[j]));
  return amax;
}

// The element of largest magnitude, with its sign. Mapping it to the most negative
// code (-8 for Q4_0) uses the one extra negative level of a two's-complement range.
float signed_abs_max(const float* x, int n) {
  float amax = 0.0f;
  float v = 0.0f;
  for (int j = 0; j < n; ++j) {
    if (std::fabs(x[j]) > amax) {
      amax = std::fabs(x[j]);
      v = x[j];
    }
  }
  return v;
}

// ---- dequantization, one block at a time ----

void dequant_q4_0(const BlockQ4_0& b, float* y) {
  const float d = half_to_float(b.d);
  for (int j = 0; j < kQK / 2; ++j) {
    y[j] = d * static_cast<float>((b.qs[j] & 0xF) - 8);
    y[j + kQK / 2] = d * static_cast<float>((b.qs[j] >> 4) - 8);
  }
}

void dequant_q4_1(const BlockQ4_1& b, float* y) {
  const float d = half_to_float(b.d);
  const float m = half_to_float(b.m);
  for (int j = 0; j < kQK / 2; ++j) {
    y[j] = d * static_cast<float>(b.qs[j] & 0xF) + m;
    y[j + kQK / 2] = d * static_cast<float>(b.qs[j] >> 4) + m;
  }
}

uint32_t load_qh(const uint8_t* qh) {
  uint32_t v = 0;
  std::memcpy(&v, qh, 4);
  return v;
}

void dequant_q5_0(const BlockQ5_0& b, float* y) {
  const float d = half_to_float(b.d);
  const uint32_t qh = load_qh(b.qh);
  for (int j = 0; j < kQK / 2; ++j) {
    const int lo = (b.qs[j] & 0xF) | static_cast<int>(((qh >> j) & 1) << 4);
    const int hi = (b.qs[j] >> 4) | static_cast<int>(((qh >> (j + 16)) & 1) << 4);
    y[j] = d * static_cast<float>(lo - 16);
    y[j + kQK / 2] = d * static_cast<float>(hi - 16);
  }
}

void dequant_q5_1(const BlockQ5_1& b, float* y) {
  const float d = half_to_float(b.d);
  const float m = half_to_float(b.m);
  const uint32_t qh = load_qh(b.qh);
  for (int j = 0; j < kQK / 2; ++j) {
    const int lo = (b.qs[j] & 0xF) | static_cast<int>(((qh >> j) & 1) << 4);
    const int hi = (b.qs[j] >> 4) | static_cast<int>(((qh >> (j + 16)) & 1) << 4);
    y[j] = d * static_cast<float>(lo) + m;
    y[j + kQK / 2] = d * static_cast<float>(hi) + m;
  }
}

void dequant_q8_0(const BlockQ8_0& b, float* y) {
  const float d = half_to_float(b.d);
  for (int j = 0; j < kQK; ++j) y[j] = d * static_cast<float>(b.qs[j]);
}

void dequant_q2_k(const BlockQ2_K& b, float* y) {
  const float d = half_to_float(b.d);
  const float dmin = half_to_float(b.dmin);
  for (int h = 0; h < 2; ++h) {
    for (int j = 0; j < 4; ++j) {
      for (int l = 0; l < 32; ++l) {
        const uint8_t sc = b.scales[8 * h + 2 * j + l / 16];
        const int q = (b.qs[32 * h + l] >> (2 * j)) & 3;
        y[128 * h + 32 * j + l] = d * static_cast<float>(sc & 0xF) * static_cast<float>(q) -
                                  dmin * static_cast<float>(sc >> 4);
      }
    }
  }
}

void dequant_q3_k(const BlockQ3_K& b, float* y) {
  const float d = half_to_float(b.d);
  int8_t sc[16];
  q3k_scales(b.scales, sc);
  for (int h = 0; h < 2; ++h) {
    for (int j = 0; j < 4; ++j) {
      for (int l = 0; l < 32; ++l) {
        const int low = (b.qs[32 * h + l] >> (2 * j)) & 3;
        const int high = (b.hmask[l] >> (4 * h + j)) & 1;
        const int q = low - (high ? 0 : 4);
        const int s = 8 * h + 2 * j + l / 16;  // the scale of this 16-element group
        y[128 * h + 32 * j + l] = d * static_cast<float>(sc[s]) * static_cast<float>(q);
      }
    }
  }
}

void dequant_q4_k(const BlockQ4_K& b, float* y) {
  const float d = half_to_float(b.d);
  const float dmin = half_to_float(b.dmin);
  for (int c = 0; c < 4; ++c) {
    uint8_t sc0, m0, sc1, m1;
    scale_min_k4(2 * c, b.scales, &sc0, &m0);
    scale_min_k4(2 * c + 1, b.scales, &sc1, &m1);
    for (int l = 0; l < 32; ++l) {
      y[64 * c + l] = d * sc0 * static_cast<float>(b.qs[32 * c + l] & 0xF) - dmin * m0;
      y[64 * c + 32 + l] = d * sc1 * static_cast<float>(b.qs[32 * c + l] >> 4) - dmin * m1;
    }
  }
}

void dequant_q5_k(const BlockQ5_K& b, float* y) {
  const float d = half_to_float(b.d);
  const float dmin = half_to_float(b.dmin);
  for (int c = 0; c < 4; ++c) {
    uint8_t sc0, m0, sc1, m1;
    scale_min_k4(2 * c, b.scales, &sc0, &m0);
    scale_min_k4(2 * c + 1, b.scales, &sc1, &m1);
    for (int l = 0; l < 32; ++l) {
      const int lo = (b.qs[32 * c + l] & 0xF) | (((b.qh[l] >> (2 * c)) & 1) << 4);
      const int hi = (b.qs[32 * c + l] >> 4) | (((b.qh[l] >> (2 * c + 1)) & 1) << 4);
      y[64 * c + l] = d * sc0 * static_cast<float>(lo) - dmin * m0;
      y[64 * c + 32 + l] = d * sc1 * static_cast<float>(hi) - dmin * m1;
    }
  }
}

void dequant_q6_k(const BlockQ6_K& b, float* y) {
  const float d = half_to_float(b.d);
  for (int h = 0; h < 2; ++h) {
    const uint8_t* ql = b.ql + 64 * h;
    const uint8_t* qh = b.qh + 32 * h;
    const int8_t* sc = b.scales + 8 * h;
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
      const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
      const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
      const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
      float* yh = y + 128 * h;
      yh[l] = d * sc[is] * static_cast<float>(q1);
      yh[l + 32] = d * sc[is + 2] * static_cast<float>(q2);
      yh[l + 64] = d * sc[is + 4] * static_cast<float>(q3);
      yh[l + 96] = d * sc[is + 6] * static_cast<float>(q4);
    }
  }
}

template <class Block, void (*kDequant)(const Block&, float*), int kBlock>
void dequant_blocks(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const Block*>(src);
  for (int64_t i = 0; i < n / kBlock; ++i) kDequant(blocks[i], dst + i * kBlock);
}

// ---- quantization of weights ----

void quant_q4_0(const float* x, BlockQ4_0& b) {
  const float d = signed_abs_max(x, kQK) / -8.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  b.d = float_to_half(d);
  for (int j = 0; j < kQK / 2; ++j) {
    const int lo = std::clamp(nearest(x[j] * id) + 8, 0, 15);
    const int hi = std::clamp(nearest(x[j + kQK / 2] * id) + 8, 0, 15);
    b.qs[j] = static_cast<uint8_t>(lo | (hi << 4));
  }
}

void quant_q4_1(const float* x, BlockQ4_1& b) {
  const float mn = *std::min_element(x, x + kQK);
  const float mx = *std::max_element(x, x + kQK);
  const float d = (mx - mn) / 15.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  b.d = float_to_half(d);
  b.m = float_to_half(mn);
  for (int j = 0; j < kQK / 2; ++j) {
    const int lo = std::clamp(nearest((x[j] - mn) * id), 0, 15);
    const int hi = std::clamp(nearest((x[j + kQK / 2] - mn) * id), 0, 15);
    b.qs[j] = static_cast<uint8_t>(lo | (hi << 4));
  }
}

// Q5_0 and Q5_1 share the split of a 5-bit code into a nibble and a bit of qh.
void pack_q5(const int* q, uint8_t* qs, uint8_t* qh_bytes) {
  uint32_t qh = 0;
  for (int j = 0; j < kQK / 2; ++j) {
    qs[j] = static_cast<uint8_t>((q[j] & 0xF) | ((q[j + kQK / 2] & 0xF) << 4));
    qh |= static_cast<uint32_t>((q[j] >> 4) & 1) << j;
    qh |= static_cast<uint32_t>((q[j + kQK / 2] >> 4) & 1) << (j + 16);
  }
  std::memcpy(qh_bytes, &qh, 4);
}

void quant_q5_0(const float* x, BlockQ5_0& b) {
  const float d = signed_abs_max(x, kQK) / -16.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  b.d = float_to_half(d);
  int q[kQK];
  for (int j = 0; j < kQK; ++j) q[j] = std::clamp(nearest(x[j] * id) + 16, 0, 31);
  pack_q5(q, b.qs, b.qh);
}

void quant_q5_1(const float* x, BlockQ5_1& b) {
  const float mn = *std::min_element(x, x + kQK);
  const float mx = *std::max_element(x, x + kQK);
  const float d = (mx - mn) / 31.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  b.d = float_to_half(d);
  b.m = float_to_half(mn);
  int q[kQK];
  for (int j = 0; j < kQK; ++j) q[j] = std::clamp(nearest((x[j] - mn) * id), 0, 31);
  pack_q5(q, b.qs, b.qh);
}

void quant_q8_0_block(const float* x, BlockQ8_0& b) {
  const float d = abs_max(x, kQK) / 127.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  b.d = float_to_half(d);
  for (int j = 0; j < kQK; ++j) b.qs[j] = static_cast<int8_t>(nearest(x[j] * id));
}

// K-quants with a min (Q2_K, Q4_K, Q5_K): each group g gets x ≈ ds_g * q - dm_g with
// q in 0..nmax, where ds_g = d * sc_g and dm_g = dmin * m_g have sc_g, m_g of
// `scale_max` levels. The min is quantized first and the scale rounded up from what
// the quantized min leaves, so the largest element never clips.
struct AsymFit {
  float d = 0, dmin = 0;
  uint8_t sc[16] = {}, m[16] = {};
  uint8_t q[kQKK] = {};
};

AsymFit fit_asym(const float* x, int n_groups, int group, int nmax, int scale_max) {
  AsymFit f;
  float mins[16], maxs[16];
  float max_min = 0.0f;
  for (int g = 0; g < n_groups; ++g) {
    const float* xg = x + g * group;
    mins[g] = std::min(0.0f, *std::min_element(xg, xg + group));
    maxs[g] = std::max(mins[g], *std::max_element(xg, xg + group));
    max_min = std::max(max_min, -mins[g]);
  }
  const uint16_t dmin_h = float_to_half(max_min / static_cast<float>(scale_max));
  f.dmin = half_to_float(dmin_h);
  float need[16];
  float max_need = 0.0f;
  for (int g = 0; g < n_groups; ++g) {
    f.m[g] =
        f.dmin > 0 ? static_cast<uint8_t>(std::clamp(nearest(-mins[g] / f.dmin), 0, scale_max)) : 0;
    need[g] = (maxs[g] + f.dmin * f.m[g]) / static_cast<float>(nmax);
    max_need = std::max(max_need, need[g]);
  }
  const uint16_t d_h = float_to_half(max_need / static_cast<float>(scale_max));
  f.d = half_to_float(d_h);
  for (int g = 0; g < n_groups; ++g) {
    f.sc[g] = f.d > 0 ? static_cast<uint8_t>(
                            std::clamp(static_cast<int>(std::ceil(need[g] / f.d)), 0, scale_max))
                      : 0;
    const float ds = f.d * f.sc[g];
    const float dm = f.dmin * f.m[g];
    for (int l = 0; l < group; ++l) {
      const float v = x[g * group + l];
      f.q[g * group + l] =
          ds > 0 ? static_cast<uint8_t>(std::clamp(nearest((v + dm) / ds), 0, nmax)) : 0;
    }
  }
  return f;
}

uint16_t half_bits_of(float v) {
  return float_to_half(v);
}

void pack_scale_min_k4(int j, uint8_t sc, uint8_t m, uint8_t* q) {
  if (j < 4) {
    q[j] |= sc;
    q[j + 4] |= m;
  } else {
    q[j + 4] = static_cast<uint8_t>((sc & 0xF) | ((m & 0xF) << 4));
    q[j - 4] |= static_cast<uint8_t>((sc >> 4) << 6);
    q[j] |= static_cast<uint8_t>((m >> 4) << 6);
  }
}

void quant_q4_k(const float* x, BlockQ4_K& b) {
  const AsymFit f = fit_asym(x, 8, 32, 15, 63);
  b.d = half_bits_of(f.d);
  b.dmin = half_bits_of(f.dmin);
  std::memset(b.scales, 0, sizeof(b.scales));
  for (int g = 0; g < 8; ++g) pack_scale_min_k4(g, f.sc[g], f.m[g], b.scales);
  for (int c = 0; c < 4; ++c) {
    for (int l = 0; l < 32; ++l) {
      b.qs[32 * c + l] = static_cast<uint8_t>(f.q[64 * c + l] | (f.q[64 * c + 32 + l] << 4));
    }
  }
}

void quant_q5_k(const float* x, BlockQ5_K& b) {
  const AsymFit f = fit_asym(x, 8, 32, 31, 63);
  b.d = half_bits_of(f.d);
  b.dmin = half_bits_of(f.dmin);
  std::memset(b.scales, 0, sizeof(b.scales));
  std::memset(b.qh, 0, sizeof(b.qh));
  for (int g = 0; g < 8; ++g) pack_scale_min_k4(g, f.sc[g], f.m[g], b.scales);
  for (int c = 0; c < 4; ++c) {
    for (int l = 0; l < 32; ++l) {
      const int lo = f.q[64 * c + l];
      const int hi = f.q[64 * c + 32 + l];
      b.qs[32 * c + l] = static_cast<uint8_t>((lo & 0xF) | ((hi & 0xF) << 4));
      b.qh[l] |= static_cast<uint8_t>(((lo >> 4) << (2 * c)) | ((hi >> 4) << (2 * c + 1)));
    }
  }
}

void quant_q2_k(const float* x, BlockQ2_K& b) {
  const AsymFit f = fit_asym(x, 16, 16, 3, 15);
  b.d = half_bits_of(f.d);
  b.dmin = half_bits_of(f.dmin);
  for (int g = 0; g < 16; ++g) b.scales[g] = static_cast<uint8_t>(f.sc[g] | (f.m[g] << 4));
  std::memset(b.qs, 0, sizeof(b.qs));
  for (int h = 0; h < 2; ++h) {
    for (int j = 0; j < 4; ++j) {
      for (int l = 0; l < 32; ++l) {
        b.qs[32 * h + l] |= static_cast<uint8_t>(f.q[128 * h + 32 * j + l] << (2 * j));
      }
    }
  }
}

// Symmetric K-quants (Q3_K, Q6_K): group g gets x ≈ d * sc_g * q with q in
// [-nneg, nneg - 1]; the group scale maps its largest-magnitude element to -nneg.
struct SymFit {
  float d = 0;
  int8_t sc[16] = {};
  int8_t q[kQKK] = {};
};

SymFit fit_sym(const float* x, int nneg, int scale_max) {
  SymFit f;
  float s[16];
  float max_s = 0.0f;
  for (int g = 0; g < 16; ++g) {
    s[g] = signed_abs_max(x + 16 * g, 16) / static_cast<float>(-nneg);
    max_s = std::max(max_s, std::fabs(s[g]));
  }
  f.d = half_to_float(float_to_half(max_s / static_cast<float>(scale_max)));
  for (int g = 0; g < 16; ++g) {
    f.sc[g] =
        f.d > 0 ? static_cast<int8_t>(std::clamp(nearest(s[g] / f.d), -scale_max, scale_max)) : 0;
    const float ds = f.d * f.sc[g];
    for (int l = 0; l < 16; ++l) {
      f.q[16 * g + l] =
          ds != 0 ? static_cast<int8_t>(std::clamp(nearest(x[16 * g + l] / ds), -nneg, nneg - 1))
                  : 0;
    }
  }
  return f;
}

void quant_q3_k(const float* x, BlockQ3_K& b) {
  const SymFit f = fit_sym(x, 4, 31);
  b.d = half_bits_of(f.d);
  std::memset(b.scales, 0, sizeof(b.scales));
  for (int j = 0; j < 16; ++j) {
    const int l = f.sc[j] + 32;  // 0..63
    if (j < 8) {
      b.scales[j] |= static_cast<uint8_t>(l & 0xF);
    } else {
      b.scales[j - 8] |= static_cast<uint8_t>((l & 0xF) << 4);
    }
    b.scales[8 + j % 4] |= static_cast<uint8_t>((l >> 4) << (2 * (j / 4)));
  }
  std::memset(b.hmask, 0, sizeof(b.hmask));
  std::memset(b.qs, 0, sizeof(b.qs));
  for (int h = 0; h < 2; ++h) {
    for (int j = 0; j < 4; ++j) {
      for (int l = 0; l < 32; ++l) {
        const int u = f.q[128 * h + 32 * j + l] + 4;  // 0..7
        b.qs[32 * h + l] |= static_cast<uint8_t>((u & 3) << (2 * j));
        b.hmask[l] |= static_cast<uint8_t>((u >> 2) << (4 * h + j));
      }
    }
  }
}

void quant_q6_k(const float* x, BlockQ6_K& b) {
  const SymFit f = fit_sym(x, 32, 127);
  b.d = half_bits_of(f.d);
  std::memcpy(b.scales, f.sc, sizeof(b.scales));
  for (int h = 0; h < 2; ++h) {
    for (int l = 0; l < 32; ++l) {
      const int u1 = f.q[128 * h + l] + 32;
      const int u2 = f.q[128 * h + l + 32] + 32;
      const int u3 = f.q[128 * h + l + 64] + 32;
      const int u4 = f.q[128 * h + l + 96] + 32;
      b.ql[64 * h + l] = static_cast<uint8_t>((u1 & 0xF) | ((u3 & 0xF) << 4));
      b.ql[64 * h + l + 32] = static_cast<uint8_t>((u2 & 0xF) | ((u4 & 0xF) << 4));
      b.qh[32 * h + l] =
          static_cast<uint8_t>((u1 >> 4) | ((u2 >> 4) << 2) | ((u3 >> 4) << 4) | ((u4 >> 4) << 6));
    }
  }
}

template <class Block, void (*kQuant)(const float*, Block&), int kBlock>
void quant_blocks(const float* src, void* dst, int64_t n) {
  auto* blocks = static_cast<Block*>(dst);
  for (int64_t i = 0; i < n / kBlock; ++i) kQuant(src + i * kBlock, blocks[i]);
}

}  // namespace

void quantize_q8_0(const float* x, void* dst, int64_t n) {
  auto* blocks = static_cast<BlockQ8_0*>(dst);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float* xb = x + i * kQK;
    const float amax = abs_max(xb, kQK);
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    for (int j = 0; j < kQK; ++j) blocks[i].qs[j] = static_cast<int8_t>(nearest(xb[j] * id));
    blocks[i].d = float_to_half(amax / 127.0f);
  }
}

void quantize_q8_1(const float* x, void* dst, int64_t n) {
  auto* blocks = static_cast<BlockQ8_1*>(dst);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float* xb = x + i * kQK;
    const float amax = abs_max(xb, kQK);
    const float d = amax / 127.0f;
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    int sum = 0;
    for (int j = 0; j < kQK; ++j) {
      blocks[i].qs[j] = static_cast<int8_t>(nearest(xb[j] * id));
      sum += blocks[i].qs[j];
    }
    blocks[i].d = float_to_half(d);
    blocks[i].s = float_to_half(d * static_cast<float>(sum));
  }
}

void quantize_q8_K(const float* x, void* dst, int64_t n) {
  auto* blocks = static_cast<BlockQ8_K*>(dst);
  for (int64_t i = 0; i < n / kQKK; ++i) {
    const float* xb = x + i * kQKK;
    BlockQ8_K& b = blocks[i];
    const float amax = abs_max(xb, kQKK);
    b.d = amax / 127.0f;
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    for (int j = 0; j < kQKK; ++j) b.qs[j] = static_cast<int8_t>(nearest(xb[j] * id));
    for (int g = 0; g < kQKK / 16; ++g) {
      int sum = 0;
      for (int l = 0; l < 16; ++l) sum += b.qs[16 * g + l];
      b.bsums[g] = static_cast<int16_t>(sum);
    }
  }
}

}  // namespace quant

void dequantize_row(GgmlType t, const void* src, float* dst, int64_t n) {
  using namespace quant;  // NOLINT(google-build-using-namespace): block names only
  switch (t) {
    case GgmlType::kF32:
      std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
      return;
    case GgmlType::kF16:
      fp16_to_fp32_row(static_cast<const uint16_t*>(src), dst, n);
      return;
    case GgmlType::kBF16: {
      const auto* h = static_cast<const uint16_t*>(src);
      for (int64_t i = 0; i < n; ++i) dst[i] = fp16::bf16_to_float(h[i]);
      return;
    }
    case GgmlType::kQ4_0:
      return dequant_blocks<BlockQ4_0, dequant_q4_0, kQK>(src, dst, n);
    case GgmlType::kQ4_1:
      return dequant_blocks<BlockQ4_1, dequant_q4_1, kQK>(src, dst, n);
    case GgmlType::kQ5_0:
      return dequant_blocks<BlockQ5_0, dequant_q5_0, kQK>(src, dst, n);
    case GgmlType::kQ5_1:
      return dequant_blocks<BlockQ5_1, dequant_q5_1, kQK>(src, dst, n);
    case GgmlType::kQ8_0:
      return dequant_blocks<BlockQ8_0, dequant_q8_0, kQK>(src, dst, n);
    case GgmlType::kQ2_K:
      return dequant_blocks<BlockQ2_K, dequant_q2_k, kQKK>(src, dst, n);
    case GgmlType::kQ3_K:
      return dequant_blocks<BlockQ3_K, dequant_q3_k, kQKK>(src, dst, n);
    case GgmlType::kQ4_K:
      return dequant_blocks<BlockQ4_K, dequant_q4_k, kQKK>(src, dst, n);
    case GgmlType::kQ5_K:
      return dequant_blocks<BlockQ5_K, dequant_q5_k, kQKK>(src, dst, n);
    case GgmlType::kQ6_K:
      return dequant_blocks<BlockQ6_K, dequant_q6_k, kQKK>(src, dst, n);
    case GgmlType::kQ8_1: {
      const auto* blocks = static_cast<const BlockQ8_1*>(src);
      for (int64_t i = 0; i < n / kQK; ++i) {
        const float d = half_to_float(blocks[i].d);
        for (int j = 0; j < kQK; ++j) dst[i * kQK + j] = d * blocks[i].qs[j];
      }
      return;
    }
    case GgmlType::kQ8_K: {
      const auto* blocks = static_cast<const BlockQ8_K*>(src);
      for (int64_t i = 0; i < n / kQKK; ++i) {
        for (int j = 0; j < kQKK; ++j) dst[i * kQKK + j] = blocks[i].d * blocks[i].qs[j];
      }
      return;
    }
  }
  assert(false && "dequantize_row: unknown type");
}

bool quantize_row(GgmlType t, const float* src, void* dst, int64_t n) {
  using namespace quant;  // NOLINT(google-build-using-namespace): block names only
  switch (t) {
    case GgmlType::kF32:
      std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
      return true;
    case GgmlType::kF16:
      fp32_to_fp16_row(src, static_cast<uint16_t*>(dst), n);
      return true;
    case GgmlType::kBF16: {
      auto* h = static_cast<uint16_t*>(dst);
      for (int64_t i = 0; i < n; ++i) h[i] = fp16::float_to_bf16(src[i]);
      return true;
    }
    case GgmlType::kQ4_0:
      quant_blocks<BlockQ4_0, quant_q4_0, kQK>(src, dst, n);
      return true;
    case GgmlType::kQ4_1:
      quant_blocks<BlockQ4_1, quant_q4_1, kQK>(src, dst, n);
      return true;
    case GgmlType::kQ5_0:
      quant_blocks<BlockQ5_0, quant_q5_0, kQK>(src, dst, n);
      return true;
    case GgmlType::kQ5_1:
      quant_blocks<BlockQ5_1, quant_q5_1, kQK>(src, dst, n);
      return true;
    case GgmlType::kQ8_0:  // weights: the reference quantizer (id = 1 / d), as llama-quantize
      quant_blocks<BlockQ8_0, quant_q8_0_block, kQK>(src, dst, n);
      return true;
    case GgmlType::kQ8_1:
      quantize_q8_1(src, dst, n);
      return true;
    case GgmlType::kQ8_K:
      quantize_q8_K(src, dst, n);
      return true;
    case GgmlType::kQ2_K:
      quant_blocks<BlockQ2_K, quant_q2_k, kQKK>(src, dst, n);
      return true;
    case GgmlType::kQ3_K:
      quant_blocks<BlockQ3_K, quant_q3_k, kQKK>(src, dst, n);
      return true;
    case GgmlType::kQ4_K:
      quant_blocks<BlockQ4_K, quant_q4_k, kQKK>(src, dst, n);
      return true;
    case GgmlType::kQ5_K:
      quant_blocks<BlockQ5_K, quant_q5_k, kQKK>(src, dst, n);
      return true;
    case GgmlType::kQ6_K:
      quant_blocks<BlockQ6_K, quant_q6_k, kQKK>(src, dst, n);
      return true;
  }
  return false;
}

}  // namespace trove
// NOLINTEND(bugprone-implicit-widening-of-multiplication-result)
