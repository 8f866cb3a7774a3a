// answer/answer.h — answer(): a grounded answer with checked citations, in one call.
//
//   answer::AnswerOptions o;  o.k = 8;
//   auto a = answer::answer(paths, "how do I rotate the VPN keys?", o,
//                           [](std::string_view text) { fputs(...); });
//   // a->kind, a->text, a->cited, a->invalid, a->sources (numbered 1..n)
//
// retrieval (hybrid when the library has vectors; the lexical and dense lists kept
// apart) → relevance floor (sources.h) → the reranker when the searcher has one (the
// fused top rerank_top_n reordered, then cut to k) → passages packed into the model's context
// minus the answer budget, counted with the model's tokenizer
// (generate/grounded_prompt.h) → the model's own chat format → generation streamed
// through the citation filter (generate/citations.h), so a citation of a source that
// was not given never reaches on_text → the sources, trimmed to what the model saw.
// Nothing above the floor: kind kNotFound. No answer model (or no_llm): kind
// kExtractive, the best passages as the text.
//
// A generated answer is checked sentence by sentence against the passages that were
// in the prompt (answer/verifier.h), as soon as each sentence is complete:
// `verification` holds every sentence with its verdict, reason and evidence. With
// `strict`, only supported sentences are kept (in `text` and on on_text); when none
// is, the answer abstains ("The documents do not say.", `abstained`), and the sources
// are the closest passages. A reasoning model's <think> block (generate/
// think_filter.h) goes to `thinking`: it is never shown, verified or cited. The
// verdicts are the verifier's; nothing here adds support. Errors: the library is missing, the
// named model does not exist or fails to load, the context is too small, the model
// is busy (see answer_model.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "answer/answer_model.h"
#include "answer/search.h"
#include "answer/text_generator.h"
#include "answer/verifier.h"
#include "core/result.h"
#include "index/library.h"
#include "index/retriever.h"

namespace trove::answer {

struct AnswerOptions {
  int k = 8;               // passages at most
  std::string model;       // a registry name or a .gguf path; "" = the registry default
  bool no_llm = false;     // extractive answer even when a model is configured
  int max_tokens = 512;    // answer budget
  float temperature = 0.0f;
  uint64_t seed = 0;
  int64_t ctx = 0;         // 0: the model's training context, capped (SessionOptions)
  int threads = 0;         // 0: default_thread_count()
  // The relevance floor for vector hits, as `trove search` has it: unset, the per-query
  // floor from the library's own vectors (index/relevance_floor.h); set, a fixed cosine
  // (0 keeps every hit). Once a fixed 0.45 on top of the per-query floor: a cosine means
  // something different for every model, and --min-similarity could not lower it.
  std::optional<double> min_similarity;
  index::SearchFilters filters;
  std::string mode;        // "", "lexical", "semantic", "hybrid" (when searcher is null)
  std::optional<bool> rerank;  // RerankOptions::enabled (when searcher is null)
  // Opened once by a long-lived caller (a server); null: opened for this call.
  const Searcher* searcher = nullptr;
  std::shared_ptr<AnswerModel> model_handle;  // null: resolved from `model` and loaded
  int max_waiting = 4;     // refuse when this many answers already wait for the model
  bool strict = false;     // keep only supported sentences; abstain when none is
  // Each sentence once checked, with whether it is kept (always, unless strict and
  // not supported): for printing as the answer is written.
  std::function<void(const SentenceCheck& sentence, bool kept, bool new_line)> on_sentence;
  std::function<void(std::string_view text)> on_thinking;  // <think> text as it streams
  // Replaces generation (text_generator.h); null: the answer model decodes.
  std::shared_ptr<const TextGenerator> generator;
  // Append a record to the library's provenance log (answer/provenance.h).
  bool log = true;
};

struct Answer;
// Called once retrieval is done, before generation starts (sources, note and mode set):
// a CLI prints its note, a server sends the sources or a progress notification.
using RetrievedSink = std::function<void(const Answer& so_far)>;

enum class AnswerKind { kGenerated, kExtractive, kNotFound };

inline constexpr std::string_view kAbstainText = "The documents do not say.";

struct Answer {
  AnswerKind kind = AnswerKind::kNotFound;
  std::string text;                       // what is shown (strict: supported sentences only)
  std::string generated;                  // the answer as generated, <think> removed: what
                                          // `verification` offsets point into
  std::string thinking;                   // the <think> text, never shown unless asked
  VerifyReport verification;              // every sentence of `generated`, in order
  bool strict = false;                    // sentences not supported were left out of text
  bool abstained = false;                 // strict and nothing supported: text is kAbstainText
  std::string prompt_sha256;              // of the rendered prompt text (provenance)
  std::string model_path;                 // the answer model's file, "" unless generated
  std::vector<std::string> source_sha256;  // of each source's stored text (before any cut)
  std::string log_id;                      // its record in the provenance log, "" if none
  std::string log_error;                   // why it could not be logged, "" if it was
  std::vector<int> cited, invalid;       // citation numbers (1-based into sources)
  std::vector<index::SearchHit> sources;  // numbered 1..n; text = what the model saw
  std::string model_name;                 // "" unless generated
  std::string note;                       // e.g. why retrieval was lexical only
  index::SearchMode mode = index::SearchMode::kLexical;
  double retrieval_ms = 0, prompt_ms = 0, generation_ms = 0;
  SearchStats search_stats;  // reranking, when the searcher has a reranker
  int64_t prompt_tokens = 0, generated_tokens = 0;

  // Generation speed, 0 when nothing was generated (the CLI's -v and the JSON timings).
  double tokens_per_second() const {
    return generation_ms > 0 ? static_cast<double>(generated_tokens) * 1000.0 / generation_ms : 0;
  }
};

// Receives the answer text as it is generated; return false to stop generating.
using TextSink = std::function<bool(std::string_view text)>;

// The answer model the options name (a .gguf path, a registry name, or the
// registry's default llm); "" when none is configured.
std::string resolve_answer_model(const index::LibraryPaths& paths, const std::string& model);

Result<Answer> answer(const index::LibraryPaths& paths, const std::string& question,
                      const AnswerOptions& options, const TextSink& on_text = {},
                      const RetrievedSink& on_retrieved = {});

// The generation half of answer(), on sources already chosen (numbered 1..n in the
// order given; their text as stored): what `trove log --replay` re-runs. Sources are
// trimmed to what fits the context, as answer() does.
Result<Answer> answer_from_sources(const index::LibraryPaths& paths, const std::string& question,
                                   std::vector<index::SearchHit> sources,
                                   const AnswerOptions& options, const TextSink& on_text = {});

// Whether `s` is in the shown text of `a` (false only for strict answers' unsupported
// and uncited sentences).
bool sentence_shown(const Answer& a, const SentenceCheck& s);

}  // namespace trove::answer
