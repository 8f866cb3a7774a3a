// tests/core_kernels/matvec_multi_test.cc — several matvecs in one dispatch give what
// each gives alone: mixed weight types (so each job has its own activation format),
// row counts that split unevenly across threads and chunks, with and without a pool.
#include <gtest/gtest.h>

#include <vector>

#include "core/kernels.h"
#include "core/thread_pool.h"
#include "tests/core_kernels/test_util.h"

namespace trove {
namespace {

struct Matrix {
  GgmlType type;
  int64_t rows;
  std::vector<uint8_t> data;
  TensorView view(int64_t cols) const {
    return TensorView{type, rows, cols, data.data(), row_size(type, cols)};
  }
};

TEST(MatvecMulti, EqualsOneMatvecPerMatrix) {
  const int64_t cols = 512;
  const std::vector<std::pair<GgmlType, int64_t>> shapes = {
      {GgmlType::kQ4_K, 301}, {GgmlType::kQ6_K, 67}, {GgmlType::kF16, 5}, {GgmlType::kQ5_0, 1000}};
  std::vector<Matrix> m;
  uint32_t seed = 1;
  for (auto [type, rows] : shapes) {
    const std::vector<float> w = test::random_floats(rows * cols, seed++);
    m.push_back({type, rows, test::quantize_matrix(type, w, rows, cols)});
  }
  const std::vector<float> x = test::random_floats(cols, 99);
  ThreadPool pool(2);
  for (ThreadPool* p : {static_cast<ThreadPool*>(nullptr), &pool}) {
    std::vector<TensorView> views;
    views.reserve(m.size());
    for (const Matrix& mx : m) views.push_back(mx.view(cols));
    std::vector<std::vector<float>> alone(m.size()), together(m.size());
    std::vector<MatvecJob> jobs;
    for (size_t j = 0; j < m.size(); ++j) {
      alone[j].assign(static_cast<size_t>(m[j].rows), 0.0f);
      together[j].assign(static_cast<size_t>(m[j].rows) + 1, -7.0f);  // one guard element
      matvec(views[j], x.data(), alone[j].data(), p);
      jobs.push_back({&views[j], together[j].data()});
    }
    matvec_multi(jobs, x.data(), p);
    for (size_t j = 0; j < m.size(); ++j) {
      for (int64_t r = 0; r < m[j].rows; ++r) {
        EXPECT_EQ(together[j][r], alone[j][r]) << "job " << j << " row " << r;
      }
      EXPECT_EQ(together[j].back(), -7.0f) << "job " << j << " wrote past its rows";
    }
  }
}

}  // namespace
}  // namespace trove
