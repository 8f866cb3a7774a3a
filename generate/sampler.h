// generate/sampler.h — picking the next token from logits.
//
// The chain runs in llama.cpp's default order: repetition penalty → top-k → top-p →
// min-p → temperature → a draw from the softmax. temperature <= 0 (or top_k == 1)
// is greedy: the arg-max of the penalised logits, lowest id on ties. Draws use
// std::mt19937_64 seeded from `seed`, so a seed gives the same tokens on every run.
#pragma once

#include <cstdint>
#include <deque>
#include <random>
#include <span>
#include <vector>

namespace trove {

struct SamplerParams {
  float temperature = 0.0f;     // <= 0: greedy
  int32_t top_k = 40;           // <= 0: off
  float top_p = 0.95f;          // >= 1: off
  float min_p = 0.05f;          // <= 0: off; drops tokens with p < min_p x p(max)
  float repeat_penalty = 1.0f;  // 1: off
  int32_t repeat_last_n = 64;   // how many recent tokens the penalty looks at
  uint64_t seed = 0;
};

class Sampler {
 public:
  explicit Sampler(const SamplerParams& params);

  // The next token. logits are not modified.
  int32_t sample(std::span<const float> logits);
  // Record a token that entered the context (prompt or generated) for the penalty.
  void accept(int32_t token);
  void reset();

  const SamplerParams& params() const { return params_; }

 private:
  struct Candidate {
    int32_t id;
    float logit;
  };
  void apply_penalty(std::vector<Candidate>& c) const;

  SamplerParams params_;
  std::mt19937_64 rng_;
  std::deque<int32_t> recent_;
  std::vector<Candidate> cand_;
  std::vector<float> probs_;
};

// The index of the largest value (lowest index on ties).
int32_t argmax(std::span<const float> logits);

}  // namespace trove
