// tests/core_kernels/vec_dot_test.cc — the scalar dot products agree with the
// dequantized data, and matvec / matmul agree with a float reference at every thread
// count and batch size.
#include <gtest/gtest.h>

#include <cmath>

#include "core/kernels.h"
#include "core/kernels_internal.h"
#include "core/thread_pool.h"
#include "tests/core_kernels/test_util.h"

namespace trove {
namespace {

std::string name_of(GgmlType t) {
  return std::string(type_traits(t)->name);
}

class PerType : public ::testing::TestWithParam<GgmlType> {};

// The integer dot product of a weight row and quantized activations equals, up to
// float rounding, the float dot product of both dequantized: this pins the kernel's
// reading of the block layout to dequantize_row's.
TEST_P(PerType, ScalarDotEqualsDotOfDequantizedOperands) {
  const GgmlType t = GetParam();
  const kern::KernelTable& k = kern::scalar_table();
  for (int64_t blocks : {1, 2, 3, 8}) {
    const int64_t n = blocks * 256;
    const std::vector<float> w = test::random_floats(n, 21 + blocks);
    const std::vector<float> x = test::random_floats(n, 41 + blocks);
    const std::vector<uint8_t> wq = test::quantize_matrix(t, w, 1, n);
    std::vector<uint8_t> act(kern::act_row_bytes(t, n));
    kern::quantize_act(k, t, x.data(), act.data(), n);
    std::vector<float> wd(n), xd(n);
    dequantize_row(t, wq.data(), wd.data(), n);
    dequantize_row(kern::act_type(t), act.data(), xd.data(), n);
    double abs_sum = 0.0;
    for (int64_t i = 0; i < n; ++i) abs_sum += std::fabs(static_cast<double>(wd[i]) * xd[i]);
    const double expect = test::dot_double(wd.data(), xd.data(), n);
    const float got = k.vec_dot[static_cast<int>(t)](n, wq.data(), act.data());
    // Q4_1/Q5_1 apply the min through the fp16 activation sum s (2^-11 relative).
    EXPECT_NEAR(got, expect, 1e-3 * abs_sum) << name_of(t) << " n=" << n;
  }
}

// Against the unquantized activations the error is that of quantizing x to int8:
// about amax/127/sqrt(12) per element (amax of a block of Gaussians stays under 4 sigma), so the
// dot product is off by about that times |w|; four standard deviations are allowed.
TEST_P(PerType, ScalarDotCloseToFloatActivations) {
  const GgmlType t = GetParam();
  const kern::KernelTable& k = kern::scalar_table();
  const int64_t n = 4096;
  const std::vector<float> w = test::random_floats(n, 5);
  const std::vector<float> x = test::random_floats(n, 6);
  const std::vector<uint8_t> wq = test::quantize_matrix(t, w, 1, n);
  std::vector<uint8_t> act(kern::act_row_bytes(t, n));
  kern::quantize_act(k, t, x.data(), act.data(), n);
  std::vector<float> wd(n);
  dequantize_row(t, wq.data(), wd.data(), n);
  const double expect = test::dot_double(wd.data(), x.data(), n);
  const double wnorm = std::sqrt(test::dot_double(wd.data(), wd.data(), n));
  const double sigma = 4.0 / 127.0 / std::sqrt(12.0) * test::rms(x.data(), n) * wnorm;
  const float got = k.vec_dot[static_cast<int>(t)](n, wq.data(), act.data());
  EXPECT_NEAR(got, expect, 4 * sigma + 1e-4 * std::fabs(expect)) << name_of(t);
}

// matvec and matmul on any thread count match the dequantized float product within
// the activation-quantization error; matmul over n tokens equals n matvecs, also past
// 32 tokens (where matmul once switched types without a GEMM tile, and every type at
// TROVE_SIMD=scalar, to float activations: results depended on the batch size).
TEST_P(PerType, MatvecAndMatmulMatchFloatReference) {
  const GgmlType t = GetParam();
  const int64_t rows = 37;  // not a multiple of any thread count or row block
  const int64_t cols = 512;
  const std::vector<float> w = test::random_floats(rows * cols, 1);
  const std::vector<uint8_t> wq = test::quantize_matrix(t, w, rows, cols);
  const std::vector<float> wd = test::dequantize_matrix(t, wq, rows, cols);
  const TensorView view{t, rows, cols, wq.data(), row_size(t, cols)};
  for (int threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (int64_t n : {1, 3, 17, 40}) {
      const std::vector<float> x = test::random_floats(n * cols, 100 + n);
      std::vector<float> y(static_cast<size_t>(n * rows), -1.0f);
      matmul(view, x.data(), n, y.data(), &pool);
      for (int64_t tok = 0; tok < n; ++tok) {
        std::vector<float> yv(rows);
        matvec(view, x.data() + tok * cols, yv.data(), threads == 1 ? nullptr : &pool);
        const double xr = test::rms(x.data() + tok * cols, cols);
        for (int64_t r = 0; r < rows; ++r) {
          const float* wr = wd.data() + r * cols;
          const double expect = test::dot_double(wr, x.data() + tok * cols, cols);
          const double wnorm = std::sqrt(test::dot_double(wr, wr, cols));
          const double tol =
              4 * 4.0 / 127.0 / std::sqrt(12.0) * xr * wnorm + 1e-4 * std::fabs(expect);
          EXPECT_NEAR(y[tok * rows + r], expect, tol) << name_of(t) << " n=" << n << " r=" << r;
          EXPECT_NEAR(yv[r], y[tok * rows + r], 1e-4 * (std::fabs(expect) + wnorm * xr))
              << name_of(t) << " threads=" << threads << " n=" << n << " r=" << r;
        }
      }
    }
  }
}

// The sgemm path (float weights; for quantized ones only the benchmarks' comparison)
// gives the dequantized product exactly, and matmul's int8 path stays within the
// activation quantization of it.
TEST_P(PerType, TilesAndSgemmAgree) {
  const GgmlType t = GetParam();
  const int64_t rows = 70, cols = 512;  // 70: not a multiple of the 64-row sgemm tile
  const std::vector<float> w = test::random_floats(rows * cols, 2);
  const std::vector<uint8_t> wq = test::quantize_matrix(t, w, rows, cols);
  const std::vector<float> wd = test::dequantize_matrix(t, wq, rows, cols);
  const TensorView view{t, rows, cols, wq.data(), row_size(t, cols)};
  ThreadPool pool(2);
  for (int64_t n : {2, 5, 40, 70}) {
    const std::vector<float> x = test::random_floats(n * cols, 300 + n);
    std::vector<float> sg(static_cast<size_t>(n * rows)), au(static_cast<size_t>(n * rows));
    kern::matmul_path(kern::MatmulPath::kSgemm, view, x.data(), n, sg.data(), &pool);
    matmul(view, x.data(), n, au.data(), &pool);
    for (int64_t tok = 0; tok < n; ++tok) {
      const double xr = test::rms(x.data() + tok * cols, cols);
      for (int64_t r = 0; r < rows; ++r) {
        const float* wr = wd.data() + r * cols;
        const double expect = test::dot_double(wr, x.data() + tok * cols, cols);
        const double wnorm = std::sqrt(test::dot_double(wr, wr, cols));
        // sgemm multiplies the dequantized weights by the float activations exactly.
        EXPECT_NEAR(sg[tok * rows + r], expect, 1e-5 * wnorm * xr * std::sqrt(double(cols)))
            << name_of(t) << " n=" << n;
        const double tol =
            4 * 4.0 / 127.0 / std::sqrt(12.0) * xr * wnorm + 1e-4 * std::fabs(expect);
        EXPECT_NEAR(au[tok * rows + r], expect, tol) << name_of(t) << " n=" << n;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllTypes, PerType, ::testing::ValuesIn(test::weight_types()),
                         [](const auto& p) { return name_of(p.param); });

}  // namespace
}  // namespace trove
