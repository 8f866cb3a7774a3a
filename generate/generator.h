// generate/generator.h — the prompt → tokens loop: evaluate the prompt, then sample,
// stream and feed back one token at a time until an end-of-generation token, the
// token limit, the context's end, or the caller says stop.
//
// It knows nothing of text: the caller passes the end-of-generation test (usually
// Tokenizer::is_eog) and turns streamed ids into text (generate/detokenizer.h).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "core/result.h"
#include "generate/model_session.h"
#include "generate/sampler.h"

namespace trove {

struct GenerateOptions {
  int32_t max_tokens = 32;
  SamplerParams sampler;
  int32_t top_logits = 0;  // record the K largest logits of every step (0: none)
};

struct GenerateStep {
  int32_t token = 0;
  bool eog = false;                            // the end token that stopped the run
  std::vector<std::pair<int32_t, float>> top;  // the K largest logits that produced token
};

struct GenerateResult {
  std::vector<GenerateStep> steps;
  int64_t n_prompt = 0;
  double prompt_seconds = 0;  // evaluating the prompt (its logits included)
  double decode_seconds = 0;  // evaluating every generated token after the first
  int64_t n_decoded = 0;      // tokens evaluated in decode_seconds
};

// Called with each generated token that is not an end token; return false to stop.
using TokenSink = std::function<bool(int32_t token)>;
using EogTest = std::function<bool(int32_t token)>;

// Generates from the session's current position (usually 0). The prompt must not be
// empty. Fails when the prompt does not fit in the context.
Result<GenerateResult> generate(DecoderSession& session, std::span<const int32_t> prompt,
                                const GenerateOptions& opts, const EogTest& is_eog,
                                const TokenSink& on_token);

// The k largest logits, highest first (ties: lowest id first).
std::vector<std::pair<int32_t, float>> top_logits(std::span<const float> logits, int32_t k);

}  // namespace trove
