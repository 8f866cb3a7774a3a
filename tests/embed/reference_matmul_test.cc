// tests/embed/reference_matmul_test.cc — encoders multiply F16 weights against fp16-
// rounded activations, as the reference engine does: the result is the float product
// of the rounded inputs (exact products, so only the order of sums may differ), and
// differs from the unrounded product.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "core/kernels.h"
#include "embed/reference_matmul.h"

namespace trove {
namespace {

TEST(ReferenceMatmul, F16WeightsSeeFp16RoundedActivations) {
  const int64_t rows = 16, cols = 64, n = 5;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  std::vector<uint16_t> w(static_cast<size_t>(rows * cols));
  std::vector<float> wf(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    w[i] = fp32_to_fp16(dist(rng));
    wf[i] = fp16_to_fp32(w[i]);
  }
  std::vector<float> x(static_cast<size_t>(n * cols));
  for (float& v : x) v = dist(rng);
  const TensorView view{GgmlType::kF16, rows, cols, w.data(), static_cast<size_t>(cols) * 2};
  std::vector<float> got(static_cast<size_t>(n * rows));
  reference_matmul(view, x.data(), n, got.data(), nullptr);
  double max_vs_rounded = 0, max_vs_exact = 0;
  for (int64_t t = 0; t < n; ++t) {
    for (int64_t r = 0; r < rows; ++r) {
      double rounded = 0, exact = 0;
      for (int64_t c = 0; c < cols; ++c) {
        const float xv = x[static_cast<size_t>(t * cols + c)];
        const double wv = wf[static_cast<size_t>(r * cols + c)];
        rounded += wv * fp16_to_fp32(fp32_to_fp16(xv));
        exact += wv * xv;
      }
      const double g = got[static_cast<size_t>(t * rows + r)];
      max_vs_rounded = std::max(max_vs_rounded, std::fabs(g - rounded));
      max_vs_exact = std::max(max_vs_exact, std::fabs(g - exact));
    }
  }
  EXPECT_LT(max_vs_rounded, 1e-5);  // float summation only
  EXPECT_GT(max_vs_exact, 1e-4);    // the rounding of x shows
}

TEST(ReferenceMatmul, F32WeightsKeepFloatActivations) {
  const int64_t rows = 3, cols = 8;
  std::vector<float> w(static_cast<size_t>(rows * cols), 0.0f);
  w[0] = 1.0f;  // row 0 picks x[0]
  std::vector<float> x(static_cast<size_t>(cols), 0.0f);
  x[0] = 1.0f + 0x1p-20f;  // not an fp16 value
  const TensorView view{GgmlType::kF32, rows, cols, w.data(), static_cast<size_t>(cols) * 4};
  std::vector<float> y(static_cast<size_t>(rows));
  reference_matmul(view, x.data(), 1, y.data(), nullptr);
  EXPECT_EQ(y[0], x[0]);
}

TEST(ReferenceMatmul, Bf16RoundingIsNearestEvenAndKeepsNaN) {
  auto bits = [](float f) {
    uint32_t u = 0;
    std::memcpy(&u, &f, 4);
    return u;
  };
  auto from = [](uint32_t u) {
    float f = 0;
    std::memcpy(&f, &u, 4);
    return f;
  };
  // 1 + 2^-8 is halfway between bf16 1 and 1 + 2^-7: ties to even (1); a bit more
  // rounds up.
  float x[] = {from(0x3F808000u), from(0x3F808001u), from(0x3F818000u), std::nanf("")};
  round_to_bf16(x, 4);
  EXPECT_EQ(bits(x[0]), 0x3F800000u);
  EXPECT_EQ(bits(x[1]), 0x3F810000u);
  EXPECT_EQ(bits(x[2]), 0x3F820000u);
  EXPECT_TRUE(std::isnan(x[3]));
}

}  // namespace
}  // namespace trove
