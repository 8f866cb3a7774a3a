// tests/core_kernels/ops_test.cc — the row ops against plain double-precision twins,
// and RoPE against its definition (GGML's modes 0 and 2).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/ops.h"
#include "tests/core_kernels/test_util.h"

namespace trove {
namespace {

TEST(Ops, LayerNormMatchesDefinition) {
  for (int64_t n : {1, 7, 384}) {
    std::vector<float> x = test::random_floats(n, 1, 3.0f);
    for (float& v : x) v += 10.0f;  // a large mean is where naive variance fails
    const std::vector<float> w = test::random_floats(n, 2);
    const std::vector<float> b = test::random_floats(n, 3);
    double mean = 0, var = 0;
    for (float v : x) mean += v;
    mean /= n;
    for (float v : x) var += (v - mean) * (v - mean);
    var /= n;
    std::vector<float> y = x;
    layer_norm(y.data(), n, w.data(), b.data(), 1e-12f);
    for (int64_t i = 0; i < n; ++i) {
      const double expect = n == 1 ? b[i] : (x[i] - mean) / std::sqrt(var + 1e-12) * w[i] + b[i];
      EXPECT_NEAR(y[i], expect, 1e-4 * (1 + std::fabs(expect)));
    }
  }
}

TEST(Ops, RmsNormMatchesDefinition) {
  const int64_t n = 100;
  const std::vector<float> x = test::random_floats(n, 4);
  const std::vector<float> w = test::random_floats(n, 5);
  double ss = 0;
  for (float v : x) ss += v * v;
  const double inv = 1.0 / std::sqrt(ss / n + 1e-6);
  std::vector<float> y = x;
  rms_norm(y.data(), n, w.data(), 1e-6f);
  for (int64_t i = 0; i < n; ++i) EXPECT_NEAR(y[i], x[i] * inv * w[i], 1e-5);
  y = x;
  rms_norm(y.data(), n, nullptr, 1e-6f);
  for (int64_t i = 0; i < n; ++i) EXPECT_NEAR(y[i], x[i] * inv, 1e-5);
}

TEST(Ops, SoftmaxSumsToOneAndIgnoresMaskedEntries) {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x = {1.0f, -inf, 3.0f, 1000.0f, -inf};
  softmax(x.data(), 5);
  const double z = std::exp(1.0 - 1000.0) + std::exp(3.0 - 1000.0) + 1.0;
  EXPECT_NEAR(x[0], std::exp(1.0 - 1000.0) / z, 1e-12);
  EXPECT_EQ(x[1], 0.0f);
  EXPECT_NEAR(x[3], 1.0 / z, 1e-6);
  EXPECT_EQ(x[4], 0.0f);
  std::vector<float> all_masked = {-inf, -inf};
  softmax(all_masked.data(), 2);
  EXPECT_EQ(all_masked[0], 0.0f);
  EXPECT_EQ(all_masked[1], 0.0f);
}

TEST(Ops, ActivationsMatchDefinitions) {
  const std::vector<float> x = test::random_floats(50, 6, 3.0f);
  std::vector<float> g = x, ge = x, s = x, out(50);
  const std::vector<float> up = test::random_floats(50, 7);
  gelu(g.data(), 50);
  gelu_erf(ge.data(), 50);
  silu(s.data(), 50);
  swiglu(x.data(), up.data(), out.data(), 50);
  for (int i = 0; i < 50; ++i) {
    const double v = x[i];
    const double tanh_form =
        0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
    EXPECT_NEAR(g[i], tanh_form, 1e-5);
    EXPECT_NEAR(ge[i], 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))), 1e-5);
    EXPECT_NEAR(s[i], v / (1 + std::exp(-v)), 1e-5);
    EXPECT_NEAR(out[i], v / (1 + std::exp(-v)) * up[i], 1e-5);
  }
}

TEST(Ops, AddScaleDot) {
  for (int64_t n : {0, 1, 9, 33}) {
    std::vector<float> a = test::random_floats(n, 8);
    const std::vector<float> b = test::random_floats(n, 9);
    EXPECT_NEAR(dot_f32(a.data(), b.data(), n), test::dot_double(a.data(), b.data(), n), 1e-5);
    const std::vector<float> a0 = a;
    add(a.data(), b.data(), n);
    scale(a.data(), 2.0f, n);
    for (int64_t i = 0; i < n; ++i) EXPECT_FLOAT_EQ(a[i], (a0[i] + b[i]) * 2.0f);
  }
}

// RoPE by its definition, in double: pair k turns by pos * base^(-2k/n_rot) / ff[k].
std::vector<double> rope_reference(const std::vector<float>& x, int64_t n_rot, int64_t pos,
                                   double base, bool neox, const float* ff) {
  std::vector<double> y(x.begin(), x.end());
  for (int64_t k = 0; k < n_rot / 2; ++k) {
    const double angle = pos * std::pow(base, -2.0 * k / n_rot) / (ff ? ff[k] : 1.0);
    const int64_t i0 = neox ? k : 2 * k;
    const int64_t i1 = neox ? k + n_rot / 2 : 2 * k + 1;
    y[i0] = x[i0] * std::cos(angle) - x[i1] * std::sin(angle);
    y[i1] = x[i0] * std::sin(angle) + x[i1] * std::cos(angle);
  }
  return y;
}

TEST(Ops, RopeMatchesDefinitionInBothModes) {
  const int64_t head_dim = 64;
  std::vector<float> ff(16);
  for (int k = 0; k < 16; ++k) ff[k] = 1.0f + 0.5f * k;
  for (bool neox : {false, true}) {
    for (int64_t n_rot : {64, 32}) {  // 32: partial rotation leaves the tail untouched
      for (const float* factors :
           {static_cast<const float*>(nullptr), static_cast<const float*>(ff.data())}) {
        if (factors != nullptr && n_rot != 32) continue;
        for (int64_t pos : {0, 1, 17, 1000}) {
          const std::vector<float> x = test::random_floats(head_dim, 10 + pos);
          std::vector<float> y = x;
          rope(y.data(), head_dim, n_rot, pos, 10000.0f, neox, factors);
          const std::vector<double> expect = rope_reference(x, n_rot, pos, 10000.0, neox, factors);
          for (int64_t i = 0; i < head_dim; ++i) {
            // The angle is built by repeated float multiplication, as GGML does.
            EXPECT_NEAR(y[i], expect[i], 5e-4) << "neox=" << neox << " pos=" << pos << " i=" << i;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace trove
