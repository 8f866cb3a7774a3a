// tests/vectors/relevance_floor_test.cc — the per-query floor for dense hits (issue
// 11, defect 1): an outlier passes, the bulk of a sample does not, and the rule does
// not depend on the model's cosine scale.
#include <gtest/gtest.h>

#include <random>

#include "index/relevance_floor.h"

namespace trove::index {
namespace {

std::vector<float> sample(double mean, double sd, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(mean, sd);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = static_cast<float>(g(rng));
  return v;
}

TEST(RelevanceFloor, SameRuleForAnyCosineScale) {
  // One model puts unrelated text around 0.1, an anisotropic one around 0.8.
  for (double mean : {0.1, 0.45, 0.8}) {
    auto s = sample(mean, 0.03, 256, 3);
    RelevanceFloor f = floor_from_sample(s);
    EXPECT_NEAR(f.median, mean, 0.01);
    EXPECT_NEAR(f.spread, 0.03, 0.006);
    // No member of the sample itself passes the gate (nothing stands out)...
    int above = 0;
    for (float x : s) above += x >= f.gate;
    EXPECT_LE(above, 1) << mean;
    // ...a passage 6 spreads above the bulk does, and the floor below the gate keeps
    // a moderately relevant one (3 spreads up) beside it.
    EXPECT_GT(mean + 6 * 0.03, f.gate);
    EXPECT_GT(mean + 3 * 0.03, f.floor);
    EXPECT_LT(mean + 3 * 0.03, f.gate);
  }
}

TEST(RelevanceFloor, RelevantPassagesInTheSampleDoNotRaiseIt) {
  auto s = sample(0.3, 0.05, 240, 9);
  RelevanceFloor clean = floor_from_sample(s);
  for (int i = 0; i < 16; ++i) s.push_back(0.9f);  // a few relevant chunks sampled too
  RelevanceFloor with = floor_from_sample(s);
  EXPECT_NEAR(with.gate, clean.gate, 0.03);
  EXPECT_LT(with.gate, 0.9);
}

TEST(RelevanceFloor, EmptySampleKeepsEverything) {
  EXPECT_LT(floor_from_sample({}).floor, -0.5);
  EXPECT_LT(floor_from_sample({}).gate, -0.5);
}

}  // namespace
}  // namespace trove::index
