// answer/answer.cc — see answer.h.
#include "answer/answer.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "answer/provenance.h"
#include "answer/sources.h"
#include "answer/verified_stream.h"
#include "core/sha256.h"
#include "generate/citations.h"
#include "generate/grounded_prompt.h"
#include "generate/model_session.h"
#include "generate/think_filter.h"
#include "index/model_registry.h"

namespace trove::answer {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

Result<std::vector<index::SearchHit>> floored_passages(const Searcher& s,
                                                       const std::string& question,
                                                       const AnswerOptions& o, int k);

// Hybrid keeps the two lists apart so each gets its own floor before fusion.
Result<std::vector<index::SearchHit>> retrieve(const Searcher& s, const std::string& question,
                                               const AnswerOptions& o, SearchStats* stats) {
  const int keep = s.reranks() ? std::max(o.k, s.rerank_top_n()) : o.k;
  auto hits = floored_passages(s, question, o, keep);
  if (!hits.ok() || !s.reranks()) return hits;
  s.rerank(question, *hits, stats);
  if (static_cast<int>(hits->size()) > o.k) hits->resize(static_cast<size_t>(o.k));
  return hits;
}

Result<std::vector<index::SearchHit>> floored_passages(const Searcher& s,
                                                       const std::string& question,
                                                       const AnswerOptions& o, int k) {
  const int depth = std::max(k * 3, 30);
  std::vector<index::SearchHit> lex, dense;
  if (s.lexical()) {
    auto r = s.lexical()->search(question, depth, o.filters);
    if (!r.ok()) return r.error();
    lex = std::move(*r);
  }
  if (s.dense()) {
    auto r = s.dense()->search(question, depth, o.filters);
    if (!r.ok()) return r.error();
    dense = std::move(*r);
  }
  if (s.mode() == index::SearchMode::kLexical)
    return relevant_passages(lex, nullptr, k);
  return relevant_passages(lex, &dense, k);
}

// The passages as the verifier sees them: numbered as in the prompt, text as sent.
std::vector<SourcePassage> verifier_sources(const std::vector<index::SearchHit>& hits) {
  std::vector<SourcePassage> out;
  for (size_t i = 0; i < hits.size(); ++i)
    out.push_back({static_cast<int64_t>(i + 1), source_label(hits[i], false), hits[i].text});
  return out;
}

// Generated text → think filter → citation filter → the shown text and, sentence by
// sentence, the verifier. With strict, only supported sentences reach on_text.
class AnswerAssembler {
 public:
  AnswerAssembler(const AnswerOptions& o, const std::string& question, bool opens_thinking,
                  const TextSink& on_text, Answer& out)
      : o_(o),
        on_text_(on_text),
        out_(out),
        sources_(verifier_sources(out.sources)),
        think_(opens_thinking),
        citations_(static_cast<int>(out.sources.size())),
        stream_(question, sources_) {}

  bool feed(std::string_view piece) {
    ThinkSplit t = think_.feed(piece);
    thinking(t.thinking);
    answer_text(citations_.feed(t.answer));
    return go_on_;
  }

  void finish() {
    ThinkSplit t = think_.finish();
    thinking(t.thinking);
    answer_text(citations_.feed(t.answer));
    answer_text(citations_.finish());
    for (auto& s : stream_.finish()) sentence(s);
    out_.cited = citations_.cited();
    out_.invalid = citations_.invalid();
    out_.verification = stream_.report();
    if (o_.strict) {
      out_.text = std::move(kept_);
      if (out_.verification.supported == 0) {
        out_.abstained = true;
        out_.text = std::string(kAbstainText);
        if (on_text_ && go_on_) on_text_(out_.text);
      }
    } else {
      out_.text = out_.generated;
    }
  }

 private:
  void thinking(const std::string& t) {
    if (t.empty()) return;
    out_.thinking += t;
    if (o_.on_thinking) o_.on_thinking(t);
  }

  void answer_text(const std::string& t) {
    if (t.empty()) return;
    out_.generated += t;
    if (!o_.strict && on_text_ && go_on_) go_on_ = on_text_(t);
    for (auto& s : stream_.feed(t)) sentence(s);
  }

  void sentence(const StreamedSentence& s) {
    const bool kept = !o_.strict || s.check.verdict == Verdict::kSupported;
    if (o_.on_sentence) o_.on_sentence(s.check, kept, s.new_line);
    if (!o_.strict || !kept) return;
    std::string piece = kept_.empty() ? "" : (s.new_line ? "\n" : " ");
    piece += s.check.text;
    kept_ += piece;
    if (on_text_ && go_on_) go_on_ = on_text_(piece);
  }

  const AnswerOptions& o_;
  const TextSink& on_text_;
  Answer& out_;
  std::vector<SourcePassage> sources_;
  ThinkFilter think_;
  grounded::CitationFilter citations_;
  VerifiedStream stream_;
  std::string kept_;
  bool go_on_ = true;
};

// Streams the model's answer; passages are trimmed to what fits the context.
Status generate_answer(const AnswerModel& m, const AnswerOptions& o, const std::string& question,
                       const TextSink& on_text, Answer& out) {
  const Tokenizer& tokenizer = m.tokenizer();
  out.model_name = m.name();
  out.model_path = m.path();
  const auto& params = m.model().params();
  const int64_t n_ctx =
      o.ctx > 0 ? o.ctx
                : std::min<int64_t>(params.n_ctx_train > 0 ? params.n_ctx_train : 2048,
                                    SessionOptions::kDefaultMaxCtx);
  auto count = [&](std::string_view s) {
    return static_cast<int>(tokenizer.encode(s, false, false).size());
  };
  // The chat template's own markers cost a few tokens per turn; 32 covers every family.
  const int overhead = grounded::grounded_overhead_tokens(question, count) + 32;
  const int budget = static_cast<int>(n_ctx) - o.max_tokens - overhead;
  if (budget <= 0) {
    return make_error(
        "the context (" + std::to_string(n_ctx) + " tokens) leaves no room for sources after the " +
        std::to_string(o.max_tokens) + "-token answer budget: raise --ctx or lower --max-tokens");
  }
  std::vector<index::SearchHit>& hits = out.sources;
  std::vector<grounded::Passage> ranked;
  ranked.reserve(hits.size());
  for (const auto& h : hits) ranked.push_back({source_label(h, false), h.text});
  std::vector<grounded::Passage> kept = grounded::pack_passages(ranked, count, budget);
  hits.resize(kept.size());
  out.source_sha256.resize(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) hits[i].text = kept[i].text;  // what the model saw
  if (kept.empty()) return {};

  std::vector<ChatMessage> messages = {{"system", grounded::grounded_system_prompt()},
                                       {"user", grounded::grounded_user_prompt(question, kept)}};
  ChatPrompt prompt = m.chat().render(messages, true);
  out.prompt_sha256 = sha256_hex(prompt.text);
  std::vector<int32_t> ids = tokenizer.encode_with_special_spans(
      prompt.text, tokenizer.add_bos_default(), prompt.template_spans);

  GenerationRequest req;
  req.model = &m;
  req.prompt = &prompt;
  req.ids = &ids;
  req.n_ctx = n_ctx;
  req.max_tokens = o.max_tokens;
  req.sampler.temperature = o.temperature;
  req.sampler.seed = o.seed;
  req.threads = o.threads;
  AnswerAssembler assemble(o, question, prompt.opens_thinking, on_text, out);
  const auto& generator = o.generator ? o.generator : model_generator();
  auto res = generator->generate(req, [&](std::string_view piece) { return assemble.feed(piece); });
  if (!res.ok()) return res.error();
  assemble.finish();
  out.prompt_tokens = res->prompt_tokens;
  out.generated_tokens = res->generated_tokens;
  out.prompt_ms = res->prompt_ms;
  out.generation_ms = res->generation_ms;
  return {};
}

Result<std::shared_ptr<AnswerModel>> model_for(const index::LibraryPaths& paths,
                                               const AnswerOptions& o) {
  if (o.model_handle) return o.model_handle;
  const std::string path = resolve_answer_model(paths, o.model);
  if (path.empty()) {
    if (!o.model.empty())
      return make_error("no model named or found at '" + o.model + "' (see trove models list)");
    return std::shared_ptr<AnswerModel>();
  }
  return AnswerModel::open(path);
}

void log_answer(const index::LibraryPaths& paths, const std::string& question, const AnswerOptions& o,
                Answer& out) {
  if (!o.log) return;
  auto id = append_ask_record(paths, question, o, out);
  if (id.ok()) {
    out.log_id = std::move(*id);
  } else {
    out.log_error = id.error().message;
  }
}

// Extractive or generated, on out.sources (not empty).
Status answer_on(const index::LibraryPaths& paths, const std::string& question, const AnswerOptions& o,
                 const TextSink& on_text, Answer& out) {
  out.source_sha256.clear();
  for (const auto& h : out.sources) out.source_sha256.push_back(sha256_hex(h.text));
  std::shared_ptr<AnswerModel> model;
  if (!o.no_llm) {
    auto m = model_for(paths, o);
    if (!m.ok()) return m.error();
    model = std::move(*m);
  }
  if (!model) {
    out.kind = AnswerKind::kExtractive;
    for (size_t i = 0; i < out.sources.size() && i < 3; ++i) out.text += out.sources[i].text + "\n\n";
    return {};
  }
  auto turn = model->take_turn(o.max_waiting);
  if (!turn.ok()) return turn.error();
  out.kind = AnswerKind::kGenerated;
  out.strict = o.strict;
  return generate_answer(*model, o, question, on_text, out);
}

}  // namespace

std::string resolve_answer_model(const index::LibraryPaths& paths, const std::string& model) {
  if (!model.empty() && std::filesystem::exists(model)) return model;
  auto reg = index::ModelRegistry::open(paths.home);
  if (!reg.ok()) return {};
  const index::ModelEntry* e =
      model.empty() ? reg->default_for(index::ModelRole::kLlm) : reg->find(model);
  return e ? e->path : std::string();
}

Result<Answer> answer(const index::LibraryPaths& paths, const std::string& question,
                      const AnswerOptions& o, const TextSink& on_text,
                      const RetrievedSink& on_retrieved) {
  if (!index::library_exists(paths))
    return make_error("the library is empty: run trove index PATH first");
  Answer out;
  auto t0 = Clock::now();
  std::unique_ptr<Searcher> own;
  const Searcher* searcher = o.searcher;
  if (!searcher) {
    RerankOptions ro;
    ro.enabled = o.rerank;
    auto s = open_search(paths, {o.mode, o.min_similarity}, ro);
    if (!s.ok()) return s.error();
    own = std::move(*s);
    searcher = own.get();
  }
  out.note = searcher->note();
  out.mode = searcher->mode();
  auto hits = retrieve(*searcher, question, o, &out.search_stats);
  if (!hits.ok()) return hits.error();
  out.retrieval_ms = ms_since(t0);
  out.sources = std::move(*hits);
  if (on_retrieved) on_retrieved(out);
  if (out.sources.empty()) {
    out.kind = AnswerKind::kNotFound;
    out.text = "The documents do not contain an answer to this question.";
    log_answer(paths, question, o, out);
    return out;
  }
  Status st = answer_on(paths, question, o, on_text, out);
  if (!st.ok()) return st.error();
  log_answer(paths, question, o, out);
  return out;
}

Result<Answer> answer_from_sources(const index::LibraryPaths& paths, const std::string& question,
                                   std::vector<index::SearchHit> sources, const AnswerOptions& o,
                                   const TextSink& on_text) {
  Answer out;
  out.sources = std::move(sources);
  if (out.sources.empty()) {
    out.kind = AnswerKind::kNotFound;
    out.text = "The documents do not contain an answer to this question.";
    return out;
  }
  Status st = answer_on(paths, question, o, on_text, out);
  if (!st.ok()) return st.error();
  return out;
}

bool sentence_shown(const Answer& a, const SentenceCheck& s) {
  return !a.strict || s.verdict == Verdict::kSupported;
}

}  // namespace trove::answer
