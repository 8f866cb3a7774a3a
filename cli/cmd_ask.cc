// cli/cmd_ask.cc — `trove ask QUESTION`: a grounded answer, every sentence checked.
//
// Flags → answer::answer() (answer/answer.h: retrieval, relevance floor, prompt,
// streamed generation through the think and citation filters, each sentence checked
// against the passages in the prompt by answer/verifier.h) → the answer a sentence
// at a time as it is written (supported sentences plain, the others marked with
// why), the count of supported sentences, then the sources list; or one JSON object
// with --json (verdicts and evidence per sentence). --strict prints only supported
// sentences and abstains when there are none; --show-evidence quotes the passage
// words under each sentence; --show-thinking prints a reasoning model's <think>
// text, dimmed.
// Nothing relevant, or --strict with nothing supported: exit 1. No answer model: the
// best passages as an extractive answer and how to add a model (exit 0).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "answer/answer.h"
#include "answer/sources.h"
#include "cli/command.h"
#include "cli/cmd_ask_generator.h"
#include "cli/passage_format.h"
#include "cli/query_flags.h"
#include "cli/term.h"
#include "cli/verdict_format.h"
#include "index/library.h"
#include "serve/json_schema.h"

namespace trove::cli {
namespace {

constexpr int kDefaultK = 8;

struct AskArgs {
  QueryFlags q;
  std::string model;  // name in the registry or a .gguf path
  int max_tokens = 512;
  float temp = 0.0f;
  uint64_t seed = 0;
  int64_t ctx = 0;
  int threads = 0;
  bool json = false;
  bool no_llm = false;
  bool strict = false;
  bool show_evidence = false;
  bool show_thinking = false;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return 2;
}

// The same object the servers reply with (serve/json_schema.h).
void print_json(const answer::Answer& o) { std::printf("%s\n", serve::dump(serve::versioned(serve::answer_json(o))).c_str()); }

void print_sources(const std::vector<index::SearchHit>& hits, const std::vector<int>& cited) {
  const Style st = Style::for_stream(stdout);
  std::printf("\n%sSources:%s\n", st.bold.c_str(), st.reset.c_str());
  for (size_t i = 0; i < hits.size(); ++i) {
    bool used = std::find(cited.begin(), cited.end(), static_cast<int>(i + 1)) != cited.end();
    std::printf("%s[%zu]%s %s%s\n", st.bold.c_str(), i + 1, st.reset.c_str(),
                answer::source_label(hits[i], true).c_str(), used || cited.empty() ? "" : "  (not cited)");
  }
}

void print_passages(const std::vector<index::SearchHit>& hits, const char* heading) {
  const Style st = Style::for_stream(stdout);
  std::printf("%s%s%s\n\n", st.dim.c_str(), heading, st.reset.c_str());
  for (size_t i = 0; i < hits.size() && i < 3; ++i) {
    std::printf("%s[%zu]%s %s\n", st.bold.c_str(), i + 1, st.reset.c_str(), hits[i].text.c_str());
    std::printf("\n");
  }
}

answer::AnswerOptions answer_options(const AskArgs& a) {
  answer::AnswerOptions o;
  o.k = a.q.k.value_or(kDefaultK);
  o.model = a.model;
  o.no_llm = a.no_llm;
  o.max_tokens = a.max_tokens;
  o.temperature = a.temp;
  o.seed = a.seed;
  o.ctx = a.ctx;
  o.threads = a.threads;
  o.min_similarity = a.q.min_similarity;
  o.filters = query_filters(a.q);
  o.mode = a.q.mode;
  o.strict = a.strict;
  o.generator = ask_text_generator();
  o.rerank = a.q.rerank_choice();
  return o;
}

// Prints each sentence once it is checked: the answer appears as it is written.
class SentencePrinter {
 public:
  SentencePrinter(bool show_evidence) : st_(Style::for_stream(stdout)), evidence_(show_evidence) {}

  void sentence(const answer::SentenceCheck& s, bool kept, bool new_line) {
    if (!kept) return;  // --strict
    end_thinking();
    std::string out;
    if (printed_) out = (new_line || evidence_) ? "\n" : " ";
    out += format_marked_sentence(s, st_);
    if (evidence_) out += "\n" + format_evidence(s, st_);
    if (evidence_ && !out.empty() && out.back() == '\n') out.pop_back();
    std::fputs(out.c_str(), stdout);
    std::fflush(stdout);
    printed_ = true;
  }

  void thinking(std::string_view t) {
    if (!in_thinking_) std::fputs(st_.dim.c_str(), stdout);
    in_thinking_ = true;
    std::fwrite(t.data(), 1, t.size(), stdout);
    std::fflush(stdout);
  }

  void end_thinking() {
    if (!in_thinking_) return;
    std::printf("%s\n\n", st_.reset.c_str());
    in_thinking_ = false;
  }

  bool printed() const { return printed_; }

 private:
  Style st_;
  bool evidence_;
  bool printed_ = false;
  bool in_thinking_ = false;
};

void print_human(const answer::Answer& out, const GlobalOptions& g, SentencePrinter& printer) {
  switch (out.kind) {
    case answer::AnswerKind::kNotFound:
      std::printf("%s\n", out.text.c_str());
      return;
    case answer::AnswerKind::kExtractive:
      print_passages(out.sources, "No answer model is configured; the best passages:");
      print_sources(out.sources, {});
      if (!g.quiet) {
        std::fprintf(
            stderr,
            "trove: for written answers add a model: trove models pull qwen2.5-0.5b-instruct "
            "(or trove models add FILE --role llm)\n");
      }
      return;
    case answer::AnswerKind::kGenerated:
      break;
  }
  printer.end_thinking();
  const Style st = Style::for_stream(stdout);
  const answer::VerifyReport& v = out.verification;
  if (out.abstained) {
    std::printf("%s%s\n", printer.printed() ? "\n" : "", out.text.c_str());
    print_passages(out.sources, "\nThe closest passages:");
  } else if (printer.printed()) {
    std::printf("\n");
  }
  std::printf("\n%s%d of %d sentence%s supported%s%s\n", st.dim.c_str(), v.supported, v.total,
              v.total == 1 ? "" : "s",
              out.strict && v.supported < v.total ? " (--strict left the others out)" : "",
              st.reset.c_str());
  print_sources(out.sources, out.cited);
  if (!out.invalid.empty()) {
    std::string list;
    for (int n : out.invalid) list += (list.empty() ? "[" : ", [") + std::to_string(n) + "]";
    std::fprintf(stderr, "trove: removed citation%s %s: only sources 1-%zu were given\n",
                 out.invalid.size() > 1 ? "s" : "", list.c_str(), out.sources.size());
  }
}

int run_ask(const AskArgs& a, const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return fail(paths.error().message);
  auto question_or = query_text(a.q, "ask");
  if (!question_or.ok()) return fail(question_or.error().message);
  const std::string& question = *question_or;
  auto on_retrieved = [&](const answer::Answer& so_far) {
    if (!so_far.note.empty() && !g.quiet && !a.json)
      std::fprintf(stderr, "trove: %s\n", so_far.note.c_str());
    if (g.verbose && so_far.search_stats.reranked > 0) {
      std::fprintf(stderr, "trove: reranked %d passages in %.0f ms\n", so_far.search_stats.reranked,
                   so_far.search_stats.rerank_ms);
    }
  };
  answer::AnswerOptions o = answer_options(a);
  SentencePrinter printer(a.show_evidence);
  if (!a.json) {
    o.on_sentence = [&](const answer::SentenceCheck& s, bool kept, bool new_line) {
      printer.sentence(s, kept, new_line);
    };
    if (a.show_thinking) o.on_thinking = [&](std::string_view t) { printer.thinking(t); };
  }
  auto out = answer::answer(*paths, question, o, {}, on_retrieved);
  if (!out.ok()) return fail(out.error().message);
  if (!out->log_error.empty()) std::fprintf(stderr, "trove: %s\n", out->log_error.c_str());
  if (g.verbose) {
    std::fprintf(stderr, "trove: retrieval %.1f ms (%zu passages, %s)", out->retrieval_ms,
                 out->sources.size(), index::search_mode_name(out->mode));
    if (out->generated_tokens > 0 || out->prompt_tokens > 0) {
      std::fprintf(
          stderr, ", prompt %.0f ms (%lld tokens), generation %.0f ms (%lld tokens, %.1f tokens/s)",
          out->prompt_ms, static_cast<long long>(out->prompt_tokens), out->generation_ms,
          static_cast<long long>(out->generated_tokens), out->tokens_per_second());
    }
    std::fprintf(stderr, "\n");
  }
  if (a.json) {
    print_json(*out);
  } else {
    print_human(*out, g, printer);
  }
  return out->kind == answer::AnswerKind::kNotFound || out->abstained ? 1 : 0;
}

RunFn setup_ask(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<AskArgs>();
  CLI::App* cmd =
      app.add_subcommand("ask", "Answer a question from your documents, citing sources");
  // The same floor as search: unset, per query (answer::AnswerOptions::min_similarity).
  add_query_flags(cmd, args->q,
                  {"question", "The question", kDefaultK,
                   "a per-query floor from the library's own vectors"});
  cmd->add_option("-m,--model", args->model,
                  "Answer model: a name from `trove models list` or a .gguf file");
  cmd->add_option("--max-tokens", args->max_tokens, "Answer budget in tokens")
      ->default_val(512)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--temp", args->temp, "Sampling temperature; 0 is greedy (reproducible)")
      ->default_val(0.0f);
  cmd->add_option("--seed", args->seed, "Random seed when --temp > 0")->default_val(0);
  cmd->add_option("--ctx", args->ctx, "Context size in tokens (default: the model's, at most 4096)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("-t,--threads", args->threads, "Threads (default: physical cores, at most 8)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--no-llm", args->no_llm,
                "Extractive answer only, even when a model is configured");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->add_flag("--strict", args->strict,
                "Print only sentences the sources support; if none, say the documents do not say");
  cmd->add_flag("--show-evidence", args->show_evidence,
                "Quote the words of the passage that support each sentence");
  cmd->add_flag("--show-thinking", args->show_thinking,
                "Print a reasoning model's thinking (dimmed); it is never verified or cited");
  return [args, &global] { return run_ask(*args, global); };
}

TROVE_REGISTER_COMMAND("ask", 25, setup_ask);

}  // namespace
}  // namespace trove::cli
