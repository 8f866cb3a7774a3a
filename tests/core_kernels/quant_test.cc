// tests/core_kernels/quant_test.cc — half/bfloat16 conversions, dequantization of
// hand-built blocks (the GGUF layouts), and quantize→dequantize error bounds.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>

#include "core/fp16.h"
#include "core/kernels.h"
#include "core/quant_blocks.h"
#include "tests/core_kernels/test_util.h"

namespace trove {
namespace {

using quant::kQK;
using quant::kQKK;

TEST(Fp16, EveryHalfSurvivesARoundTrip) {
  for (uint32_t h = 0; h < 65536; ++h) {
    const float f = fp16_to_fp32(static_cast<uint16_t>(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(fp16_to_fp32(fp32_to_fp16(f)))) << h;
      continue;
    }
    EXPECT_EQ(fp32_to_fp16(f), h) << h;
  }
}

TEST(Fp16, KnownValues) {
  EXPECT_EQ(fp32_to_fp16(1.0f), 0x3C00);
  EXPECT_EQ(fp32_to_fp16(-2.0f), 0xC000);
  EXPECT_EQ(fp32_to_fp16(65504.0f), 0x7BFF);
  EXPECT_EQ(fp32_to_fp16(65520.0f), 0x7C00);  // halfway to the next power: rounds to inf
  EXPECT_EQ(fp32_to_fp16(0x1p-24f), 0x0001);  // smallest subnormal
  EXPECT_EQ(fp32_to_fp16(0x1p-25f), 0x0000);  // tie with zero rounds to even (zero)
  EXPECT_FLOAT_EQ(fp16_to_fp32(0x3555), 0.333251953125f);
}

// The conversion picks the nearest half, and the even one on a tie.
TEST(Fp16, RoundsToNearestEven) {
  const std::vector<float> xs = test::random_floats(20000, 7, 100.0f);
  for (float x : xs) {
    const uint16_t h = fp32_to_fp16(x);
    const double err = std::fabs(static_cast<double>(fp16_to_fp32(h)) - x);
    for (int delta : {-1, 1}) {
      const double other =
          std::fabs(static_cast<double>(fp16_to_fp32(static_cast<uint16_t>(h + delta))) - x);
      EXPECT_TRUE(err < other || (err == other && (h & 1) == 0)) << x;
    }
  }
}

TEST(Fp16, RowConversionsMatchScalar) {
  for (int64_t n : {1, 7, 8, 9, 31, 64, 1000}) {
    const std::vector<float> x = test::random_floats(n, 3, 50.0f);
    std::vector<uint16_t> h(static_cast<size_t>(n));
    std::vector<float> back(static_cast<size_t>(n));
    fp32_to_fp16_row(x.data(), h.data(), n);
    fp16_to_fp32_row(h.data(), back.data(), n);
    for (int64_t i = 0; i < n; ++i) {
      EXPECT_EQ(h[i], fp32_to_fp16(x[i]));
      EXPECT_EQ(back[i], fp16_to_fp32(h[i]));
    }
  }
}

TEST(Bf16, RoundsToNearestEvenAndKeepsNaN) {
  EXPECT_EQ(fp16::float_to_bf16(1.0f), 0x3F80);
  EXPECT_EQ(fp16::float_to_bf16(std::bit_cast<float>(0x3F808000u)), 0x3F80);  // tie → even
  EXPECT_EQ(fp16::float_to_bf16(std::bit_cast<float>(0x3F818000u)), 0x3F82);  // tie → even
  EXPECT_TRUE(std::isnan(fp16::bf16_to_float(fp16::float_to_bf16(std::nanf("")))));
}

// ---- hand-built blocks: the layouts of the GGUF format ----

TEST(Dequantize, Q4_0NibbleOrder) {
  quant::BlockQ4_0 b{};
  b.d = fp32_to_fp16(0.5f);
  for (int j = 0; j < 16; ++j) b.qs[j] = static_cast<uint8_t>(j | ((15 - j) << 4));
  float y[kQK];
  dequantize_row(GgmlType::kQ4_0, &b, y, kQK);
  for (int j = 0; j < 16; ++j) {
    EXPECT_EQ(y[j], 0.5f * (j - 8));
    EXPECT_EQ(y[j + 16], 0.5f * (7 - j));
  }
}

TEST(Dequantize, Q5_0HighBitsComeFromQh) {
  quant::BlockQ5_0 b{};
  b.d = fp32_to_fp16(1.0f);
  const uint32_t qh = 0x80000001u;  // element 0 and element 31 get the fifth bit
  std::memcpy(b.qh, &qh, 4);
  float y[kQK];
  dequantize_row(GgmlType::kQ5_0, &b, y, kQK);
  EXPECT_EQ(y[0], 0.0f);    // 16 - 16
  EXPECT_EQ(y[1], -16.0f);  // 0 - 16
  EXPECT_EQ(y[16], -16.0f);
  EXPECT_EQ(y[31], 0.0f);
}

TEST(Dequantize, Q4_KSixBitScalesOfUpperGroups) {
  quant::BlockQ4_K b{};
  b.d = fp32_to_fp16(1.0f);
  b.dmin = fp32_to_fp16(1.0f);
  // Group 5: scale 0b110011 = 51 (nibble 3 in byte 9, top bits 3 in byte 1),
  //          min 0b100010 = 34 (nibble 2 in byte 9's high half, top bits 2 in byte 5).
  b.scales[9] = 0x23;
  b.scales[1] = 3 << 6;
  b.scales[5] = 2 << 6;
  // Group 5 is the high nibbles of chunk 2 (elements 160..191): set them to 2.
  for (int l = 0; l < 32; ++l) b.qs[64 + l] = 2 << 4;
  float y[kQKK];
  dequantize_row(GgmlType::kQ4_K, &b, y, kQKK);
  for (int l = 0; l < 32; ++l) EXPECT_EQ(y[160 + l], 51.0f * 2 - 34.0f);
  // Groups 1 and 3 read bytes 1 and 5's low six bits only: both zero.
  EXPECT_EQ(y[32], 0.0f);
  EXPECT_EQ(y[96], 0.0f);
}

TEST(Dequantize, Q6_KQuarterLayout) {
  quant::BlockQ6_K b{};
  b.d = fp32_to_fp16(1.0f);
  for (int g = 0; g < 16; ++g) b.scales[g] = static_cast<int8_t>(g + 1);
  // Element 128 + 64 + 5 (second half, third quarter): low nibble is ql[64 + 5] >> 4,
  // high bits are qh[32 + 5] bits 4..5.
  b.ql[64 + 5] = 0x70;      // nibble 7
  b.qh[32 + 5] = 0x2 << 4;  // high bits 2 → q = 7 | 32 = 39 → 7 after -32
  float y[kQKK];
  dequantize_row(GgmlType::kQ6_K, &b, y, kQKK);
  const int group = (128 + 64 + 5) / 16;
  EXPECT_EQ(y[128 + 64 + 5], static_cast<float>(group + 1) * 7.0f);
  EXPECT_EQ(y[0], -32.0f * 1.0f);  // all-zero bits decode to -32 times the group scale
}

TEST(Dequantize, Q3_KSignedScalesAndHighBitMask) {
  quant::BlockQ3_K b{};
  b.d = fp32_to_fp16(1.0f);
  // Scale of group 0 = (low nibble 5 | top bits 2 << 4) - 32 = 37 - 32 = 5.
  b.scales[0] = 5;
  b.scales[8] = 2;
  b.hmask[3] = 1;  // element 3 (h = 0, j = 0) has its high bit: q = low bits
  b.qs[3] = 3;     // low bits 3
  float y[kQKK];
  dequantize_row(GgmlType::kQ3_K, &b, y, kQKK);
  EXPECT_EQ(y[3], 5.0f * 3.0f);
  EXPECT_EQ(y[4], 5.0f * -4.0f);  // no high bit: 0 - 4
}

TEST(Dequantize, Q2_KScaleAndMinNibbles) {
  quant::BlockQ2_K b{};
  b.d = fp32_to_fp16(2.0f);
  b.dmin = fp32_to_fp16(0.5f);
  b.scales[3] = 0x43;  // group 3 (h = 0, j = 1, second half): scale 3, min 4
  b.qs[20] = 2 << 2;   // element 32 + 20 = 52, bits 2..3
  float y[kQKK];
  dequantize_row(GgmlType::kQ2_K, &b, y, kQKK);
  EXPECT_EQ(y[52], 2.0f * 3 * 2 - 0.5f * 4);
  EXPECT_EQ(y[53], -0.5f * 4);
}

// ---- round trips ----

struct Bound {
  GgmlType type;
  double max_rel_rms;  // RMS error / RMS of the data, Gaussian data
};

// Expected errors of uniform rounding, step / sqrt(12), for Gaussian data: the step is
// the range of a block divided by the number of levels. For 32 Gaussians the largest
// magnitude averages about 2.2 sigma and max - min about 4.1 sigma, so Q4_0 expects
// 2.2/8/sqrt(12) = 0.079, Q5_0 0.040, Q4_1 4.1/15/sqrt(12) = 0.079, Q5_1 0.038, Q8_0
// 0.005. The K-quants add the rounding of their sub-block scales. The bounds sit a
// little above those figures.
class RoundTrip : public ::testing::TestWithParam<Bound> {};

TEST_P(RoundTrip, ErrorWithinTheFormatsResolution) {
  const Bound b = GetParam();
  const int64_t n = int64_t{256} * 16;
  const std::vector<float> x = test::random_floats(n, 11);
  std::vector<uint8_t> q(row_size(b.type, n));
  ASSERT_TRUE(quantize_row(b.type, x.data(), q.data(), n));
  std::vector<float> y(static_cast<size_t>(n));
  dequantize_row(b.type, q.data(), y.data(), n);
  double se = 0.0;
  for (int64_t i = 0; i < n; ++i) se += (y[i] - x[i]) * (y[i] - x[i]);
  const double rel = std::sqrt(se / n) / test::rms(x.data(), n);
  EXPECT_LT(rel, b.max_rel_rms) << type_traits(b.type)->name;
  RecordProperty("rel_rms", std::to_string(rel));
}

INSTANTIATE_TEST_SUITE_P(
    AllTypes, RoundTrip,
    ::testing::Values(Bound{GgmlType::kF32, 1e-9}, Bound{GgmlType::kF16, 3e-4},
                      Bound{GgmlType::kBF16, 2.5e-3}, Bound{GgmlType::kQ8_0, 0.008},
                      Bound{GgmlType::kQ5_0, 0.045}, Bound{GgmlType::kQ5_1, 0.045},
                      Bound{GgmlType::kQ4_0, 0.09}, Bound{GgmlType::kQ4_1, 0.09},
                      Bound{GgmlType::kQ6_K, 0.02}, Bound{GgmlType::kQ5_K, 0.04},
                      Bound{GgmlType::kQ4_K, 0.08}, Bound{GgmlType::kQ3_K, 0.2},
                      Bound{GgmlType::kQ2_K, 0.35}),
    [](const auto& p) { return std::string(type_traits(p.param.type)->name); });

// Per element, a symmetric 32-block type is off by at most one step (the element
// opposite the block's extreme clips by one level; all others by half a step).
TEST(RoundTrip, BlockErrorsBoundedByTheStep) {
  const int64_t n = int64_t{32} * 64;
  const std::vector<float> x = test::random_floats(n, 5);
  for (auto [type, levels] : {std::pair{GgmlType::kQ8_0, 127.0}, std::pair{GgmlType::kQ4_0, 8.0},
                              std::pair{GgmlType::kQ5_0, 16.0}}) {
    std::vector<uint8_t> q(row_size(type, n));
    ASSERT_TRUE(quantize_row(type, x.data(), q.data(), n));
    std::vector<float> y(static_cast<size_t>(n));
    dequantize_row(type, q.data(), y.data(), n);
    for (int64_t b = 0; b < n / 32; ++b) {
      double amax = 0;
      for (int j = 0; j < 32; ++j)
        amax = std::max(amax, std::fabs(static_cast<double>(x[b * 32 + j])));
      const double step = amax / levels * 1.001;  // the fp16 block scale rounds by 2^-11
      for (int j = 0; j < 32; ++j) {
        EXPECT_LE(std::fabs(y[b * 32 + j] - x[b * 32 + j]), step) << type_traits(type)->name;
      }
    }
  }
}

TEST(RoundTrip, ZeroBlocksStayZero) {
  for (GgmlType t : test::weight_types()) {
    const int64_t n = 256;
    std::vector<float> x(n, 0.0f);
    std::vector<uint8_t> q(row_size(t, n));
    ASSERT_TRUE(quantize_row(t, x.data(), q.data(), n));
    std::vector<float> y(n, 1.0f);
    dequantize_row(t, q.data(), y.data(), n);
    for (float v : y) EXPECT_EQ(v, 0.0f) << type_traits(t)->name;
  }
}

}  // namespace
}  // namespace trove
