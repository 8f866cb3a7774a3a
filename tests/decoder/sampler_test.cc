// tests/decoder/sampler_test.cc — the sampling chain on hand-made logits.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "generate/generator.h"
#include "generate/sampler.h"

namespace trove {
namespace {

// How often each id is drawn in n samples.
std::map<int32_t, int> histogram(const SamplerParams& p, const std::vector<float>& logits, int n) {
  Sampler s(p);
  std::map<int32_t, int> h;
  for (int i = 0; i < n; ++i) h[s.sample(logits)]++;
  return h;
}

SamplerParams random_params(float temp) {
  SamplerParams p;
  p.temperature = temp;
  p.top_k = 0;
  p.top_p = 1.0f;
  p.min_p = 0.0f;
  p.seed = 42;
  return p;
}

TEST(Sampler, ArgmaxTakesTheLowestIdOnTies) {
  const std::vector<float> l = {1, 5, 5, -2};
  EXPECT_EQ(argmax(l), 1);
}

TEST(Sampler, ZeroTemperatureIsGreedy) {
  const std::vector<float> l = {0.1f, 3.0f, 2.9f, -1.0f};
  SamplerParams p = random_params(0.0f);
  Sampler s(p);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(s.sample(l), 1);
}

TEST(Sampler, TopKOfOneIsGreedyAtAnyTemperature) {
  const std::vector<float> l = {0.1f, 2.0f, 2.5f, 2.4f};
  SamplerParams p = random_params(5.0f);
  p.top_k = 1;
  EXPECT_EQ(histogram(p, l, 200), (std::map<int32_t, int>{{2, 200}}));
}

TEST(Sampler, TopKKeepsOnlyTheKLargest) {
  const std::vector<float> l = {3.0f, 0.0f, 2.9f, 2.8f, -5.0f};
  SamplerParams p = random_params(1.0f);
  p.top_k = 2;
  const auto h = histogram(p, l, 2000);
  EXPECT_EQ(h.size(), 2u);
  EXPECT_GT(h.at(0), 0);
  EXPECT_GT(h.at(2), 0);
}

TEST(Sampler, MinPRemovesTokensBelowPTimesTheMax) {
  // p relative to the max: 1, e^-1 = 0.37, e^-2 = 0.14, e^-3 = 0.05
  const std::vector<float> l = {0.0f, -1.0f, -2.0f, -3.0f};
  SamplerParams p = random_params(1.0f);
  p.min_p = 0.2f;
  const auto h = histogram(p, l, 3000);
  EXPECT_EQ(h.count(2), 0u);
  EXPECT_EQ(h.count(3), 0u);
  EXPECT_GT(h.at(0), h.at(1));
  EXPECT_GT(h.at(1), 0);
}

TEST(Sampler, TopPKeepsTheSmallestSetReachingP) {
  // Probabilities ~ 0.665, 0.245, 0.090 (softmax of 2, 1, 0).
  const std::vector<float> l = {1.0f, 2.0f, 0.0f};
  SamplerParams p = random_params(1.0f);
  p.top_p = 0.8f;
  const auto h = histogram(p, l, 3000);
  EXPECT_EQ(h.count(2), 0u);
  EXPECT_GT(h.at(1), h.at(0));
}

TEST(Sampler, FrequenciesFollowTheSoftmax) {
  const std::vector<float> l = {std::log(0.5f), std::log(0.3f), std::log(0.2f)};
  SamplerParams p = random_params(1.0f);
  const int n = 20000;
  const auto h = histogram(p, l, n);
  // Binomial std at p = 0.5 and n = 20000 is 0.0035; allow 4 sigma.
  EXPECT_NEAR(h.at(0) / double(n), 0.5, 0.015);
  EXPECT_NEAR(h.at(1) / double(n), 0.3, 0.015);
  EXPECT_NEAR(h.at(2) / double(n), 0.2, 0.015);
}

TEST(Sampler, LowTemperatureSharpensHighFlattens) {
  const std::vector<float> l = {1.0f, 0.0f};
  const int n = 5000;
  const double p_cold = histogram(random_params(0.25f), l, n)[0] / double(n);
  const double p_one = histogram(random_params(1.0f), l, n)[0] / double(n);
  const double p_hot = histogram(random_params(4.0f), l, n)[0] / double(n);
  // Exact: 1/(1+e^-4) = 0.982, 1/(1+e^-1) = 0.731, 1/(1+e^-0.25) = 0.562.
  EXPECT_NEAR(p_cold, 0.982, 0.02);
  EXPECT_NEAR(p_one, 0.731, 0.03);
  EXPECT_NEAR(p_hot, 0.562, 0.03);
}

TEST(Sampler, SameSeedSameTokens) {
  std::vector<float> l(100);
  for (size_t i = 0; i < l.size(); ++i) l[i] = std::sin(static_cast<float>(i));
  SamplerParams p = random_params(1.0f);
  p.seed = 7;
  Sampler a(p), b(p);
  std::vector<int32_t> ta, tb;
  for (int i = 0; i < 50; ++i) {
    ta.push_back(a.sample(l));
    tb.push_back(b.sample(l));
  }
  EXPECT_EQ(ta, tb);
  p.seed = 8;
  Sampler c(p);
  std::vector<int32_t> tc;
  tc.reserve(50);
  for (int i = 0; i < 50; ++i) tc.push_back(c.sample(l));
  EXPECT_NE(ta, tc);
}

TEST(Sampler, RepetitionPenaltyDividesPositiveAndMultipliesNegative) {
  SamplerParams p = random_params(0.0f);
  p.repeat_penalty = 2.0f;
  // Token 0 (4.0 → 2.0) falls below token 1 (3.0): greedy switches to 1.
  {
    Sampler s(p);
    s.accept(0);
    EXPECT_EQ(s.sample(std::vector<float>{4.0f, 3.0f}), 1);
  }
  // Token 0 (-1.0 → -2.0) falls below token 1 (-1.5).
  {
    Sampler s(p);
    s.accept(0);
    EXPECT_EQ(s.sample(std::vector<float>{-1.0f, -1.5f}), 1);
  }
  // Without the penalty token 0 wins in both cases.
  Sampler s(random_params(0.0f));
  s.accept(0);
  EXPECT_EQ(s.sample(std::vector<float>{4.0f, 3.0f}), 0);
  EXPECT_EQ(s.sample(std::vector<float>{-1.0f, -1.5f}), 0);
}

TEST(Sampler, RepetitionPenaltyOnlySeesTheLastN) {
  SamplerParams p = random_params(0.0f);
  p.repeat_penalty = 2.0f;
  p.repeat_last_n = 2;
  Sampler s(p);
  s.accept(0);
  s.accept(5);
  s.accept(6);  // token 0 has left the window
  EXPECT_EQ(s.sample(std::vector<float>{4.0f, 3.0f}), 0);
}

TEST(Sampler, RepeatedTokenIsPenalisedOnce) {
  SamplerParams p = random_params(0.0f);
  p.repeat_penalty = 1.5f;
  Sampler s(p);
  for (int i = 0; i < 5; ++i) s.accept(0);
  // 4.0 / 1.5 = 2.67 > 2.5; penalised five times it would be 0.53.
  EXPECT_EQ(s.sample(std::vector<float>{4.0f, 2.5f}), 0);
}

TEST(TopLogits, HighestFirstLowestIdOnTies) {
  const std::vector<float> l = {1.0f, 3.0f, 2.0f, 3.0f, -1.0f};
  const auto top = top_logits(l, 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0], (std::pair<int32_t, float>{1, 3.0f}));
  EXPECT_EQ(top[1], (std::pair<int32_t, float>{3, 3.0f}));
  EXPECT_EQ(top[2], (std::pair<int32_t, float>{2, 2.0f}));
  EXPECT_EQ(top_logits(l, 10).size(), 5u);
}

}  // namespace
}  // namespace trove
