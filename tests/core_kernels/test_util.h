// tests/core_kernels/test_util.h — random data and float references shared by the
// kernel tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/ggml_type.h"
#include "core/kernels.h"

namespace trove::test {

inline std::vector<float> random_floats(int64_t n, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

inline double dot_double(const float* a, const float* b, int64_t n) {
  double s = 0.0;
  for (int64_t i = 0; i < n; ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

inline double rms(const float* a, int64_t n) {
  return std::sqrt(dot_double(a, a, n) / n);
}

// Every weight type trove multiplies.
inline const std::vector<GgmlType>& weight_types() {
  static const std::vector<GgmlType> types = {
      GgmlType::kF32,  GgmlType::kF16,  GgmlType::kBF16, GgmlType::kQ4_0, GgmlType::kQ4_1,
      GgmlType::kQ5_0, GgmlType::kQ5_1, GgmlType::kQ8_0, GgmlType::kQ2_K, GgmlType::kQ3_K,
      GgmlType::kQ4_K, GgmlType::kQ5_K, GgmlType::kQ6_K};
  return types;
}

inline int64_t block_of(GgmlType t) {
  switch (t) {
    case GgmlType::kF32:
    case GgmlType::kF16:
    case GgmlType::kBF16:
      return 1;
    case GgmlType::kQ2_K:
    case GgmlType::kQ3_K:
    case GgmlType::kQ4_K:
    case GgmlType::kQ5_K:
    case GgmlType::kQ6_K:
    case GgmlType::kQ8_K:
      return 256;
    default:
      return 32;
  }
}

// Quantizes rows x cols floats into rows of row_size(t, cols) bytes each.
inline std::vector<uint8_t> quantize_matrix(GgmlType t, const std::vector<float>& w, int64_t rows,
                                            int64_t cols) {
  const size_t rb = row_size(t, cols);
  std::vector<uint8_t> out(rb * static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r)
    quantize_row(t, w.data() + r * cols, out.data() + r * rb, cols);
  return out;
}

inline std::vector<float> dequantize_matrix(GgmlType t, const std::vector<uint8_t>& q, int64_t rows,
                                            int64_t cols) {
  const size_t rb = row_size(t, cols);
  std::vector<float> out(static_cast<size_t>(rows * cols));
  for (int64_t r = 0; r < rows; ++r)
    dequantize_row(t, q.data() + r * rb, out.data() + r * cols, cols);
  return out;
}

}  // namespace trove::test
