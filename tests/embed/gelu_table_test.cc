// tests/embed/gelu_table_test.cc — the fp16-table GELU against core's float formula:
// equal within fp16 rounding of input and output, exact limits outside (-10, 10),
// and odd lengths (block tails) handled.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/ops.h"
#include "embed/gelu_table.h"

namespace trove {
namespace {

TEST(GeluTable, MatchesFormulaWithinFp16Rounding) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-12.0f, 12.0f);
  for (int64_t n : {1, 3, 255, 256, 257, 1000, 1537}) {
    std::vector<float> x(static_cast<size_t>(n));
    for (auto& v : x) v = dist(rng);
    std::vector<float> want = x;
    gelu(want.data(), n);
    std::vector<float> got = x;
    GeluTable::get().apply(got.data(), n);
    for (size_t i = 0; i < x.size(); ++i) {
      // fp16 keeps 11 significant bits: one rounding of the input (|gelu'| < 1.13) and
      // one of the output.
      const float tol = (1.13f * std::fabs(x[i]) + std::fabs(want[i])) * 0x1p-11f + 1e-6f;
      EXPECT_NEAR(got[i], want[i], tol) << "x = " << x[i] << " n = " << n;
    }
  }
}

TEST(GeluTable, LimitsAndSpecialValues) {
  std::vector<float> x = {-50.0f, -10.0f, 0.0f, 10.0f, 50.0f, 1e-8f};
  GeluTable::get().apply(x.data(), static_cast<int64_t>(x.size()));
  EXPECT_EQ(x[0], 0.0f);
  EXPECT_EQ(x[1], 0.0f);
  EXPECT_EQ(x[2], 0.0f);
  EXPECT_EQ(x[3], 10.0f);
  EXPECT_EQ(x[4], 50.0f);
  EXPECT_NEAR(x[5], 0.5e-8f, 1e-8f);
}

// ggml's table is computed by a formula GCC compiles with an fma (1 + a*x*x); the
// one entry where that changes the fp16 result must hold ggml's value. Input and
// output are those of llama.cpp c392e5094's ffn_gelu on the xlmr-rerank Q8_0 fixture
// (an input of -1.998847 rounds to the fp16 value -1.999023).
TEST(GeluTable, HoldsTheReferenceEngineEntries) {
  float x[] = {-1.998847f, -1.9990234375f};
  GeluTable::get().apply(x, 2);
  EXPECT_EQ(x[0], -0.04550171f);
  EXPECT_EQ(x[1], -0.04550171f);
}

}  // namespace
}  // namespace trove
