// generate/generator.cc — the generation loop.
#include "generate/generator.h"

#include <algorithm>
#include <chrono>

namespace trove {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::vector<std::pair<int32_t, float>> top_logits(std::span<const float> logits, int32_t k) {
  std::vector<std::pair<int32_t, float>> all(logits.size());
  for (size_t i = 0; i < logits.size(); ++i) all[i] = {static_cast<int32_t>(i), logits[i]};
  const size_t n = std::min(all.size(), static_cast<size_t>(std::max(k, 0)));
  std::partial_sort(all.begin(), all.begin() + static_cast<ptrdiff_t>(n), all.end(),
                    [](const auto& a, const auto& b) {
                      return a.second > b.second || (a.second == b.second && a.first < b.first);
                    });
  all.resize(n);
  return all;
}

Result<GenerateResult> generate(DecoderSession& session, std::span<const int32_t> prompt,
                                const GenerateOptions& opts, const EogTest& is_eog,
                                const TokenSink& on_token) {
  if (prompt.empty()) return make_error("generate: the prompt has no tokens");
  GenerateResult res;
  res.n_prompt = static_cast<int64_t>(prompt.size());
  Sampler sampler(opts.sampler);
  for (int32_t t : prompt) sampler.accept(t);

  auto t0 = std::chrono::steady_clock::now();
  auto logits = session.eval(prompt);
  if (!logits.ok()) return logits.error();
  res.prompt_seconds = seconds_since(t0);

  t0 = std::chrono::steady_clock::now();
  for (int32_t i = 0; i < opts.max_tokens; ++i) {
    GenerateStep step;
    step.token = sampler.sample(*logits);
    if (opts.top_logits > 0) step.top = top_logits(*logits, opts.top_logits);
    step.eog = is_eog && is_eog(step.token);
    res.steps.push_back(std::move(step));
    const int32_t tok = res.steps.back().token;
    if (res.steps.back().eog) break;
    if (on_token && !on_token(tok)) break;
    // The last token needs no evaluation, and a full context ends the run quietly.
    if (i + 1 == opts.max_tokens || session.n_past() >= session.n_ctx()) break;
    sampler.accept(tok);
    const int32_t one[1] = {tok};
    logits = session.eval(one);
    if (!logits.ok()) return logits.error();
    ++res.n_decoded;
  }
  res.decode_seconds = seconds_since(t0);
  return res;
}

}  // namespace trove
