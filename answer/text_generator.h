// answer/text_generator.h — the one step of answer() that runs the model: a rendered
// prompt in, the generated text out, piece by piece.
//
// answer() uses model_generator() (decoding with the answer model) unless
// AnswerOptions::generator names another. That is the seam for tests: the fixture
// models have random weights and never write "[1]" or "<think>", so tests replace
// generation with a scripted answer and check everything around it — the prompt
// that was rendered, the think filter, citations, verification, --strict, the log.
// It is not reachable from the command line.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "generate/chat_format.h"
#include "generate/sampler.h"

namespace trove::answer {

class AnswerModel;

struct GenerationRequest {
  const AnswerModel* model = nullptr;
  const ChatPrompt* prompt = nullptr;       // the rendered chat prompt
  const std::vector<int32_t>* ids = nullptr;  // its tokens
  int64_t n_ctx = 0;
  int max_tokens = 0;
  SamplerParams sampler;
  int threads = 0;
};

struct GenerationStats {
  int64_t prompt_tokens = 0, generated_tokens = 0;
  double prompt_ms = 0, generation_ms = 0;
};

// Receives generated text; return false to stop.
using PieceSink = std::function<bool(std::string_view piece)>;

class TextGenerator {
 public:
  virtual ~TextGenerator() = default;
  virtual Result<GenerationStats> generate(const GenerationRequest& request,
                                           const PieceSink& on_piece) const = 0;
};

// Decodes with request.model (KV cache session, sampler, detokenizer; stops at the
// model's end-of-generation tokens).
std::shared_ptr<const TextGenerator> model_generator();

}  // namespace trove::answer
