// embed/gelu_table.cc — see gelu_table.h.
#include "embed/gelu_table.h"

#include <algorithm>
#include <cmath>

#include "core/kernels.h"

namespace trove {
namespace {

// ggml's gelu_f32 as its x86-64/aarch64 builds compile it: GCC contracts
// 1 + a*x*x into fma(a*x, x, 1). Without the fma one of the 65,536 fp16 entries
// (x = -1.999023) rounds to the neighbouring fp16 value, which was enough to move
// reranker scores on the test fixtures by 2.7e-2 through the next Q8_0 rounding.
float reference_gelu(float x) {
  constexpr float kSqrt2OverPi = 0.79788456080286535587989211986876f;
  constexpr float kCoef = 0.044715f;
  const float inner = std::fma(kCoef * x, x, 1.0f);
  return 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * x * inner));
}

}  // namespace

const GeluTable& GeluTable::get() {
  static const GeluTable table;
  return table;
}

GeluTable::GeluTable() : table_(65536) {
  std::vector<uint16_t> bits(65536);
  for (size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<uint16_t>(i);
  fp16_to_fp32_row(bits.data(), table_.data(), 65536);
  for (float& v : table_) v = reference_gelu(v);
  // The table holds fp16 values, as ggml's does.
  fp32_to_fp16_row(table_.data(), bits.data(), 65536);
  fp16_to_fp32_row(bits.data(), table_.data(), 65536);
}

void GeluTable::apply(float* x, int64_t n) const {
  constexpr int64_t kBlock = 256;
  uint16_t h[kBlock];
  for (int64_t b = 0; b < n; b += kBlock) {
    const int64_t m = std::min(kBlock, n - b);
    float* xb = x + b;
    fp32_to_fp16_row(xb, h, m);
    for (int64_t i = 0; i < m; ++i) {
      const float v = xb[i];
      xb[i] = v <= -10.0f ? 0.0f : v >= 10.0f ? v : table_[h[i]];
    }
  }
}

}  // namespace trove
