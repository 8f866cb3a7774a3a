// generate/sampler.cc — the sampling chain.
#include "generate/sampler.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace trove {

int32_t argmax(std::span<const float> logits) {
  int32_t best = 0;
  for (size_t i = 1; i < logits.size(); ++i) {
    if (logits[i] > logits[static_cast<size_t>(best)]) best = static_cast<int32_t>(i);
  }
  return best;
}

Sampler::Sampler(const SamplerParams& params) : params_(params), rng_(params.seed) {}

void Sampler::reset() {
  rng_.seed(params_.seed);
  recent_.clear();
}

void Sampler::accept(int32_t token) {
  if (params_.repeat_last_n <= 0) return;
  recent_.push_back(token);
  while (recent_.size() > static_cast<size_t>(params_.repeat_last_n)) recent_.pop_front();
}

// As llama.cpp (and CTRL): a positive logit is divided by the penalty, a negative one
// multiplied, once per distinct recent token, so the token becomes less likely either way.
void Sampler::apply_penalty(std::vector<Candidate>& c) const {
  if (params_.repeat_penalty == 1.0f || recent_.empty()) return;
  const std::unordered_set<int32_t> seen(recent_.begin(), recent_.end());
  for (Candidate& x : c) {
    if (seen.count(x.id) == 0) continue;
    x.logit = x.logit > 0 ? x.logit / params_.repeat_penalty : x.logit * params_.repeat_penalty;
  }
}

int32_t Sampler::sample(std::span<const float> logits) {
  cand_.resize(logits.size());
  for (size_t i = 0; i < logits.size(); ++i) cand_[i] = {static_cast<int32_t>(i), logits[i]};
  apply_penalty(cand_);
  // Sorted by logit, highest first; ties by id keep results independent of the sort.
  auto by_logit = [](const Candidate& a, const Candidate& b) {
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
  };
  if (params_.temperature <= 0.0f || params_.top_k == 1) {
    return std::min_element(cand_.begin(), cand_.end(), by_logit)->id;
  }
  size_t n = cand_.size();
  if (params_.top_k > 0 && static_cast<size_t>(params_.top_k) < n) {
    n = static_cast<size_t>(params_.top_k);
    std::partial_sort(cand_.begin(), cand_.begin() + static_cast<ptrdiff_t>(n), cand_.end(),
                      by_logit);
  } else {
    std::sort(cand_.begin(), cand_.end(), by_logit);
  }
  // Probabilities of the survivors at temperature 1 drive top-p and min-p, as in
  // llama.cpp, where temperature is applied after the truncations.
  probs_.resize(n);
  const float max_logit = cand_[0].logit;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    probs_[i] = std::exp(cand_[i].logit - max_logit);
    sum += probs_[i];
  }
  if (params_.top_p < 1.0f) {
    double cum = 0;
    for (size_t i = 0; i < n; ++i) {
      cum += probs_[i] / sum;
      if (cum >= params_.top_p) {
        n = i + 1;
        break;
      }
    }
  }
  if (params_.min_p > 0.0f) {
    // probs_[0] is exp(0) = 1, the most likely token.
    size_t keep = 1;
    while (keep < n && probs_[keep] >= params_.min_p) ++keep;
    n = keep;
  }
  probs_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    probs_[i] = std::exp((cand_[i].logit - max_logit) / params_.temperature);
  }
  std::discrete_distribution<size_t> dist(probs_.begin(), probs_.end());
  return cand_[dist(rng_)].id;
}

}  // namespace trove
