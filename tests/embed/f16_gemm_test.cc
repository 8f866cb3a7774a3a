// tests/embed/f16_gemm_test.cc — the F16 GEMM's AVX2 kernel and its scalar twin give
// the same bits, both are the float64 product to within float summation error, every
// output is independent of how many tokens share the call, and row ranges cover only
// their rows.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/cpu_features.h"
#include "core/kernels.h"
#include "embed/f16_gemm.h"

namespace trove {
namespace {

struct Case {
  std::vector<uint16_t> w;
  std::vector<float> x;
  int64_t rows, cols, n;
};

Case make(int64_t rows, int64_t cols, int64_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-2.0f, 2.0f);
  Case c{std::vector<uint16_t>(static_cast<size_t>(rows * cols)),
         std::vector<float>(static_cast<size_t>(n * cols)), rows, cols, n};
  for (auto& v : c.w) v = fp32_to_fp16(d(rng));
  for (auto& v : c.x) v = fp16_to_fp32(fp32_to_fp16(d(rng)));  // fp16-valued, as callers pass
  return c;
}

std::vector<float> run(F16GemmFn fn, const Case& c) {
  std::vector<float> y(static_cast<size_t>(c.n * c.rows), -1.0f);
  fn(c.w.data(), static_cast<size_t>(c.cols) * 2, c.rows, c.cols, c.x.data(), c.n, y.data(), 0,
     c.rows);
  return y;
}

TEST(F16Gemm, Avx2MatchesScalarBitForBit) {
  if (!cpu_features().has_avx2_set()) GTEST_SKIP() << "no AVX2 on this CPU";
  for (auto [rows, cols, n] : {std::tuple<int64_t, int64_t, int64_t>{1, 8, 1},
                               {5, 16, 3},
                               {13, 384, 7},
                               {64, 1536, 2},
                               {3, 24, 9}}) {
    const Case c = make(rows, cols, n, static_cast<unsigned>(rows * 31 + n));
    EXPECT_EQ(run(f16_gemm_avx2, c), run(f16_gemm_scalar, c)) << rows << "x" << cols << " n=" << n;
  }
}

TEST(F16Gemm, IsTheProductAndIndependentOfTheBatch) {
  const Case c = make(37, 256, 11, 5);
  const TensorView w{GgmlType::kF16, c.rows, c.cols, c.w.data(), static_cast<size_t>(c.cols) * 2};
  std::vector<float> all(static_cast<size_t>(c.n * c.rows));
  f16_gemm(w, c.x.data(), c.n, all.data(), nullptr);
  for (int64_t t = 0; t < c.n; ++t) {
    std::vector<float> one(static_cast<size_t>(c.rows));
    f16_gemm(w, c.x.data() + t * c.cols, 1, one.data(), nullptr);
    for (int64_t r = 0; r < c.rows; ++r) {
      double want = 0, mag = 0;
      for (int64_t k = 0; k < c.cols; ++k) {
        const double p =
            static_cast<double>(fp16_to_fp32(c.w[static_cast<size_t>(r * c.cols + k)])) *
            c.x[static_cast<size_t>(t * c.cols + k)];
        want += p;
        mag += std::fabs(p);
      }
      const float got = all[static_cast<size_t>(t * c.rows + r)];
      EXPECT_NEAR(got, want, mag * 1e-6) << r << "," << t;
      EXPECT_EQ(one[static_cast<size_t>(r)], got) << "token " << t << " alone vs batched";
    }
  }
}

TEST(F16Gemm, RowRangesWriteOnlyTheirRows) {
  const Case c = make(10, 32, 3, 9);
  for (F16GemmFn fn : {&f16_gemm_scalar, &f16_gemm_avx2}) {
    if (fn == &f16_gemm_avx2 && !cpu_features().has_avx2_set()) continue;
    std::vector<float> y(static_cast<size_t>(c.n * c.rows), -7.0f);
    fn(c.w.data(), 64, c.rows, c.cols, c.x.data(), c.n, y.data(), 3, 8);
    for (int64_t t = 0; t < c.n; ++t) {
      for (int64_t r = 0; r < c.rows; ++r)
        EXPECT_EQ(y[static_cast<size_t>(t * c.rows + r)] == -7.0f, r < 3 || r >= 8) << r;
    }
  }
}

}  // namespace
}  // namespace trove
