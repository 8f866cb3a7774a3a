// tests/core_kernels/simd_test.cc — every SIMD kernel table against the scalar one on
// random data: all block counts 1..9 plus larger ones (tails of the unrolled loops),
// misaligned rows, every tile shape. Levels the CPU lacks are skipped.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/kernels.h"
#include "core/kernels_internal.h"
#include "core/quant_blocks.h"
#include "tests/core_kernels/test_util.h"

namespace trove {
namespace {

using kern::KernelTable;
using kern::SimdLevel;

class Simd : public ::testing::TestWithParam<SimdLevel> {
 protected:
  void SetUp() override {
    simd_ = kern::kernels_for(GetParam());
    if (simd_ == nullptr) GTEST_SKIP() << "CPU lacks " << kern::simd_level_name(GetParam());
  }
  const KernelTable& scalar() const { return kern::scalar_table(); }
  const KernelTable* simd_ = nullptr;
};

std::vector<int64_t> block_counts() {
  return {1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 33};
}

TEST_P(Simd, ActivationQuantizersMatchScalarExactly) {
  for (int64_t blocks : block_counts()) {
    const int64_t n = blocks * 256;
    std::vector<float> x = test::random_floats(n, 3 + blocks, 5.0f);
    x[7] = 0.0f;
    for (int j = 0; j < 32; ++j) x[32 + j] = 0.0f;  // an all-zero block
    for (auto pick :
         {&KernelTable::quantize_q8_0, &KernelTable::quantize_q8_1, &KernelTable::quantize_q8_K}) {
      const size_t bytes = static_cast<size_t>(n) * 2;  // larger than any format
      std::vector<uint8_t> a(bytes, 0), b(bytes, 0);
      (scalar().*pick)(x.data(), a.data(), n);
      (simd_->*pick)(x.data(), b.data(), n);
      EXPECT_EQ(a, b) << "blocks=" << blocks;
    }
  }
}

// Activations are rounded as x * (127 / amax), ggml's x86 form, not x * (1 / (amax /
// 127)): the two differ in the last bit for some amax, and an element at a rounding
// boundary then lands one step apart (seen on the encoder fixtures). Searches for such
// an (amax, x) pair and checks both the scalar and the SIMD quantizer.
TEST_P(Simd, Q8ActivationsUse127OverAmax) {
  float amax = 0, x = 0;
  for (int i = 1; i < 1000000 && x == 0; ++i) {
    const float a = 1.0f + static_cast<float>(i) * 1e-6f;
    const float id_ref = 127.0f / a, id_alt = 1.0f / (a / 127.0f);
    if (id_ref == id_alt) continue;
    for (int q = 1; q < 127; ++q) {
      const float v = (static_cast<float>(q) + 0.5f) / id_ref;  // near the boundary
      for (float c : {v, std::nextafter(v, 0.0f), std::nextafter(v, 2.0f)}) {
        if (c < a && std::nearbyint(c * id_ref) != std::nearbyint(c * id_alt)) {
          amax = a;
          x = c;
        }
      }
    }
  }
  ASSERT_NE(x, 0.0f) << "no pair found where the two forms round apart";
  std::vector<float> block(32, 0.0f);
  block[0] = amax;
  block[5] = x;
  for (const KernelTable* k : {&scalar(), simd_}) {
    for (auto pick : {&KernelTable::quantize_q8_0, &KernelTable::quantize_q8_1}) {
      std::vector<uint8_t> out(64, 0);
      (k->*pick)(block.data(), out.data(), 32);
      const int8_t* qs = pick == &KernelTable::quantize_q8_0
                             ? reinterpret_cast<const quant::BlockQ8_0*>(out.data())->qs
                             : reinterpret_cast<const quant::BlockQ8_1*>(out.data())->qs;
      EXPECT_EQ(qs[0], 127);
      EXPECT_EQ(qs[5], static_cast<int8_t>(std::nearbyint(x * (127.0f / amax))))
          << "amax " << amax << " x " << x;
    }
  }
}

TEST_P(Simd, HalfConversionsMatchScalarExactly) {
  for (int64_t n : {1, 7, 8, 15, 16, 17, 100, 1027}) {
    std::vector<float> x = test::random_floats(n, 9, 1000.0f);
    x[0] = 1e-7f;  // subnormal half
    std::vector<uint16_t> ha(n), hb(n);
    scalar().fp32_to_fp16(x.data(), ha.data(), n);
    simd_->fp32_to_fp16(x.data(), hb.data(), n);
    EXPECT_EQ(ha, hb);
    std::vector<float> fa(n), fb(n);
    scalar().fp16_to_fp32(ha.data(), fa.data(), n);
    simd_->fp16_to_fp32(ha.data(), fb.data(), n);
    EXPECT_EQ(fa, fb);
    scalar().bf16_to_fp32(ha.data(), fa.data(), n);
    simd_->bf16_to_fp32(ha.data(), fb.data(), n);
    EXPECT_EQ(0, std::memcmp(fa.data(), fb.data(), n * sizeof(float)));
  }
}

// Sum of |w_i * a_i| over dequantized operands: the scale of float rounding error.
double magnitude(GgmlType t, const uint8_t* w, const uint8_t* act, int64_t n) {
  std::vector<float> wd(n), ad(n);
  dequantize_row(t, w, wd.data(), n);
  if (kern::act_type(t) == GgmlType::kF32) {
    std::memcpy(ad.data(), act, n * sizeof(float));
  } else {
    dequantize_row(kern::act_type(t), act, ad.data(), n);
  }
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s += std::fabs(static_cast<double>(wd[i]) * ad[i]);
  return s;
}

TEST_P(Simd, VecDotMatchesScalar) {
  for (GgmlType t : test::weight_types()) {
    const int ti = static_cast<int>(t);
    const int64_t block = std::max<int64_t>(test::block_of(t), 32);
    for (int64_t blocks : block_counts()) {
      for (int64_t extra : {int64_t{0}, block == 32 ? int64_t{0} : int64_t{1}}) {
        const int64_t n = blocks * block + (test::block_of(t) == 1 ? extra * 3 : 0);
        const std::vector<float> w = test::random_floats(n, 100 + blocks);
        std::vector<float> x = test::random_floats(n, 200 + blocks, 2.0f);
        const size_t rb = row_size(t, n);
        // Store the row 4 bytes in: off every vector alignment, so no kernel may use
        // aligned loads, yet on the 4-byte grain GGUF's layout guarantees for the
        // blocks' own half and float fields (reading those misaligned would be UB).
        std::vector<uint8_t> wq(rb + 4);
        ASSERT_TRUE(quantize_row(t, w.data(), wq.data() + 4, n));
        std::vector<uint8_t> act(kern::act_row_bytes(t, n) + 64);
        kern::quantize_act(scalar(), t, x.data(), act.data(), n);
        const float a = scalar().vec_dot[ti](n, wq.data() + 4, act.data());
        const float b = simd_->vec_dot[ti](n, wq.data() + 4, act.data());
        const double mag = magnitude(t, wq.data() + 4, act.data(), n);
        EXPECT_NEAR(a, b, 2.5e-7 * std::sqrt(static_cast<double>(n)) * mag + 1e-6)
            << type_traits(t)->name << " n=" << n;
      }
    }
  }
}

// A tile of nr rows x nt tokens equals nr * nt scalar dot products.
TEST_P(Simd, TilesMatchScalarDots) {
  for (GgmlType t : test::weight_types()) {
    const int ti = static_cast<int>(t);
    if (simd_->tile[ti] == nullptr) continue;
    // Shapes past the micro-tiles (up to 4 x 4) and their remainders in both directions.
    const int64_t n = int64_t{3} * 256;
    const int max_rows = 13, max_tok = 10;
    const std::vector<float> w = test::random_floats(max_rows * n, 7);
    const std::vector<float> x = test::random_floats(max_tok * n, 8);
    const std::vector<uint8_t> wq = test::quantize_matrix(t, w, max_rows, n);
    const size_t rb = row_size(t, n);
    const size_t arb = kern::act_row_bytes(t, n);
    std::vector<uint8_t> act(arb * max_tok);
    for (int j = 0; j < max_tok; ++j)
      kern::quantize_act(scalar(), t, x.data() + j * n, act.data() + j * arb, n);
    for (int nr = 1; nr <= max_rows; ++nr) {
      for (int nt = 1; nt <= max_tok; ++nt) {
        const size_t stride = 15;
        std::vector<float> out(stride * max_tok, -7.0f);
        simd_->tile[ti](n, wq.data(), rb, nr, act.data(), arb, nt, out.data(), stride);
        for (int j = 0; j < max_tok; ++j) {
          for (int r = 0; r < static_cast<int>(stride); ++r) {
            if (j >= nt || r >= nr) {
              EXPECT_EQ(out[j * stride + r], -7.0f) << "tile wrote outside its shape";
              continue;
            }
            const uint8_t* wr = wq.data() + r * rb;
            const uint8_t* ar = act.data() + j * arb;
            const float expect = scalar().vec_dot[ti](n, wr, ar);
            EXPECT_NEAR(out[j * stride + r], expect,
                        2.5e-7 * std::sqrt(static_cast<double>(n)) * magnitude(t, wr, ar, n) + 1e-6)
                << type_traits(t)->name << " nr=" << nr << " nt=" << nt;
          }
        }
      }
    }
  }
}

// The decode row kernels: nr rows (pairs and an odd one out), rows at a stride that
// keeps them off vector alignment, equal to the scalar dot of each row; nothing written past nr.
TEST_P(Simd, RowKernelsMatchScalarDots) {
  for (GgmlType t : test::weight_types()) {
    const int ti = static_cast<int>(t);
    if (simd_->rows[ti] == nullptr) continue;
    const int64_t block = std::max<int64_t>(test::block_of(t), 32);
    for (int64_t blocks : {int64_t{1}, int64_t{3}, int64_t{8}, int64_t{17}}) {
      const int64_t n = blocks * block;
      const int max_rows = 7;
      const size_t rb = row_size(t, n);
      const size_t stride = rb + 6;  // rows off vector alignment, on the fields' grain
      const std::vector<float> w = test::random_floats(max_rows * n, 30 + blocks);
      const std::vector<float> x = test::random_floats(n, 40 + blocks, 2.0f);
      std::vector<uint8_t> wq(stride * max_rows + 4);
      for (int r = 0; r < max_rows; ++r)
        ASSERT_TRUE(quantize_row(t, w.data() + r * n, wq.data() + 4 + r * stride, n));
      std::vector<uint8_t> act(kern::act_row_bytes(t, n));
      kern::quantize_act(scalar(), t, x.data(), act.data(), n);
      for (int nr = 1; nr <= max_rows; ++nr) {
        std::vector<float> out(max_rows + 1, -7.0f);
        simd_->rows[ti](n, wq.data() + 4, stride, nr, act.data(), out.data());
        for (int r = 0; r <= max_rows; ++r) {
          if (r >= nr) {
            EXPECT_EQ(out[r], -7.0f) << "rows kernel wrote past nr";
            continue;
          }
          const uint8_t* wr = wq.data() + 4 + r * stride;
          const float expect = scalar().vec_dot[ti](n, wr, act.data());
          EXPECT_NEAR(
              out[r], expect,
              2.5e-7 * std::sqrt(static_cast<double>(n)) * magnitude(t, wr, act.data(), n) + 1e-6)
              << type_traits(t)->name << " n=" << n << " nr=" << nr << " r=" << r;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, Simd, ::testing::Values(SimdLevel::kAvx2, SimdLevel::kAvx512),
                         [](const auto& p) { return std::string(kern::simd_level_name(p.param)); });

}  // namespace
}  // namespace trove
