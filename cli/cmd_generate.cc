// cli/cmd_generate.cc — `trove generate`: run a decoder model on a prompt and stream
// the continuation (or print it with per-step top logits as JSON). A tool for
// checking a model file against a reference, and for timing one.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/thread_pool.h"
#include "generate/detokenizer.h"
#include "generate/generator.h"
#include "generate/model.h"
#include "generate/model_session.h"
#include "generate/tokenizer.h"
#include "serve/json_schema.h"

namespace trove::cli {
namespace {

struct GenerateArgs {
  std::string model;
  std::string prompt;
  int32_t n_predict = 32;
  float temp = 0.0f;
  int32_t top_k = 40;
  float top_p = 0.95f;
  float min_p = 0.05f;
  float repeat_penalty = 1.0f;
  uint64_t seed = 0;
  bool special = false;
  int32_t top_logits = 0;
  bool json = false;
  int64_t ctx = 0;
  int threads = 0;
  bool verbose = false;
};

void print_json(const std::vector<int32_t>& prompt, const GenerateResult& res,
                const std::string& text) {
  serve::json steps = serve::json::array();
  for (const GenerateStep& s : res.steps) {
    serve::json top = serve::json::array();
    for (const auto& [id, logit] : s.top)
      top.push_back({static_cast<int64_t>(id), serve::number(static_cast<double>(logit))});
    steps.push_back({{"token", static_cast<int64_t>(s.token)}, {"top", std::move(top)}});
  }
  const serve::json j = {{"prompt_tokens", prompt}, {"steps", std::move(steps)}, {"text", text}};
  std::printf("%s\n", serve::dump(j).c_str());
}

void print_timings(const GenerateResult& r) {
  const double pps = r.prompt_seconds > 0 ? static_cast<double>(r.n_prompt) / r.prompt_seconds : 0;
  const double dps = r.decode_seconds > 0 ? static_cast<double>(r.n_decoded) / r.decode_seconds : 0;
  std::fprintf(stderr, "trove: prompt %lld tokens in %.3f s (%.1f tokens/s)\n",
               static_cast<long long>(r.n_prompt), r.prompt_seconds, pps);
  std::fprintf(stderr, "trove: decode %lld tokens in %.3f s (%.1f tokens/s)\n",
               static_cast<long long>(r.n_decoded), r.decode_seconds, dps);
}

int run_generate(const GenerateArgs& a, const GlobalOptions& global) {
  auto model = DecoderModel::open(a.model);
  if (!model.ok()) {
    std::fprintf(stderr, "trove: %s\n", model.error().message.c_str());
    return 2;
  }
  auto tok = Tokenizer::from_gguf(model->gguf());
  if (!tok.ok()) {
    std::fprintf(stderr, "trove: %s\n", tok.error().message.c_str());
    return 2;
  }
  const Tokenizer& tokenizer = **tok;
  const std::vector<int32_t> prompt =
      tokenizer.encode(a.prompt, tokenizer.add_bos_default(), a.special);
  if (prompt.empty()) {
    std::fprintf(stderr, "trove: the prompt has no tokens\n");
    return 2;
  }

  ThreadPool pool(a.threads > 0 ? a.threads : default_thread_count());
  SessionOptions so;
  so.n_ctx = a.ctx;
  so.pool = &pool;
  auto session = DecoderSession::create(*model, so);
  if (!session.ok()) {
    std::fprintf(stderr, "trove: %s\n", session.error().message.c_str());
    return 2;
  }

  GenerateOptions opts;
  opts.max_tokens = a.n_predict;
  opts.top_logits = a.json ? std::max(a.top_logits, 0) : 0;
  opts.sampler.temperature = a.temp;
  opts.sampler.top_k = a.top_k;
  opts.sampler.top_p = a.top_p;
  opts.sampler.min_p = a.min_p;
  opts.sampler.repeat_penalty = a.repeat_penalty;
  opts.sampler.seed = a.seed;
  std::string text;  // the whole continuation
  DetokenizerOptions dopts;
  dopts.special = a.special;
  Detokenizer detok(tokenizer, dopts);
  auto on_token = [&](int32_t id) {
    // Whole UTF-8 characters only: a character split over tokens prints once complete.
    const std::string piece = detok.push(id);
    text += piece;
    if (!a.json) {
      std::fwrite(piece.data(), 1, piece.size(), stdout);
      std::fflush(stdout);
    }
    return true;
  };
  auto res = generate(
      *session, prompt, opts, [&](int32_t id) { return tokenizer.is_eog(id); }, on_token);
  if (!res.ok()) {
    std::fprintf(stderr, "trove: %s\n", res.error().message.c_str());
    return 2;
  }
  const std::string rest = detok.flush();
  text += rest;
  if (a.json) {
    print_json(prompt, *res, text);
  } else {
    std::fwrite(rest.data(), 1, rest.size(), stdout);
    std::fputc('\n', stdout);
  }
  if (a.verbose || global.verbose) print_timings(*res);
  return 0;
}

RunFn setup_generate(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand("generate", "Continue a prompt with a decoder model (GGUF)");
  cmd->add_option("-m,--model", args->model, "Decoder model file (.gguf)")->required();
  cmd->add_option("-p,--prompt", args->prompt, "Prompt text")->required();
  cmd->add_option("-n,--n-predict", args->n_predict, "Tokens to generate")
      ->default_val(32)
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--temp", args->temp, "Temperature; 0 is greedy")->default_val(0.0f);
  cmd->add_option("--top-k", args->top_k, "Keep the K most likely tokens (0: off)")
      ->default_val(40);
  cmd->add_option("--top-p", args->top_p, "Nucleus sampling threshold (1: off)")
      ->default_val(0.95f);
  cmd->add_option("--min-p", args->min_p, "Drop tokens below P x the most likely (0: off)")
      ->default_val(0.05f);
  cmd->add_option("--repeat-penalty", args->repeat_penalty, "Penalty for recent tokens (1: off)")
      ->default_val(1.0f);
  cmd->add_option("--seed", args->seed, "Random seed for sampling")->default_val(0);
  cmd->add_flag("--special", args->special,
                "Parse special tokens (<|im_start|>) in the prompt and print them in the output");
  cmd->add_option("--top-logits", args->top_logits, "With --json: the K largest logits per step")
      ->default_val(0)
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--json", args->json, "Print one JSON object with tokens and logits");
  cmd->add_option("--ctx", args->ctx, "Context size in tokens (default: the model's, at most 4096)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("-t,--threads", args->threads, "Threads (default: physical cores, at most 8)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("-v,--verbose", args->verbose, "Print prompt and decode speed to stderr");
  return [args, &global] { return run_generate(*args, global); };
}

TROVE_REGISTER_COMMAND("generate", 70, setup_generate);

}  // namespace
}  // namespace trove::cli
