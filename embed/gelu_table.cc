// embed/gelu_table.cc — see gelu_table.h.
#include "embed/gelu_table.h"

#include <algorithm>

#include "core/kernels.h"
#include "core/ops.h"

namespace trove {

const GeluTable& GeluTable::get() {
  static const GeluTable table;
  return table;
}

GeluTable::GeluTable() : table_(65536) {
  std::vector<uint16_t> bits(65536);
  for (size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<uint16_t>(i);
  fp16_to_fp32_row(bits.data(), table_.data(), 65536);
  gelu(table_.data(), 65536);
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
