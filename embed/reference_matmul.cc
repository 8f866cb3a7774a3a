// embed/reference_matmul.cc — see reference_matmul.h.
#include "embed/reference_matmul.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/kernels.h"
#include "embed/f16_gemm.h"

namespace trove {

void round_to_fp16(float* x, int64_t n) {
  constexpr int64_t kBlock = 1024;
  uint16_t h[kBlock];
  for (int64_t b = 0; b < n; b += kBlock) {
    const int64_t m = std::min(kBlock, n - b);
    fp32_to_fp16_row(x + b, h, m);
    fp16_to_fp32_row(h, x + b, m);
  }
}

// ggml's fp32 -> bf16: round to nearest even on the upper 16 bits, NaNs kept quiet.
void round_to_bf16(float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    uint32_t u = 0;
    std::memcpy(&u, &x[i], sizeof u);
    if ((u & 0x7fffffffu) > 0x7f800000u) {
      u = (u | 0x00400000u) & 0xffff0000u;
    } else {
      u = ((u + (0x7fffu + ((u >> 16) & 1u))) >> 16) << 16;
    }
    std::memcpy(&x[i], &u, sizeof u);
  }
}

void reference_matmul(const TensorView& w, const float* x, int64_t n, float* y, ThreadPool* pool) {
  if (w.type != GgmlType::kF16 && w.type != GgmlType::kBF16) {
    matmul(w, x, n, y, pool);
    return;
  }
  thread_local std::vector<float> rounded;
  rounded.assign(x, x + n * w.cols);
  if (w.type == GgmlType::kF16) {
    round_to_fp16(rounded.data(), n * w.cols);
    if (w.cols % 8 == 0) return f16_gemm(w, rounded.data(), n, y, pool);
  } else {
    round_to_bf16(rounded.data(), n * w.cols);
  }
  matmul(w, rounded.data(), n, y, pool);
}

}  // namespace trove
