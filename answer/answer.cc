// answer/answer.cc — see answer.h.
#include "answer/answer.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "answer/sources.h"
#include "core/thread_pool.h"
#include "generate/citations.h"
#include "generate/detokenizer.h"
#include "generate/generator.h"
#include "generate/grounded_prompt.h"
#include "generate/model_session.h"
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
    return relevant_passages(lex, nullptr, o.min_similarity, k);
  return relevant_passages(lex, &dense, o.min_similarity, k);
}

// Streams the model's answer; passages are trimmed to what fits the context.
Status generate_answer(const AnswerModel& m, const AnswerOptions& o, const std::string& question,
                       const TextSink& on_text, Answer& out) {
  const Tokenizer& tokenizer = m.tokenizer();
  out.model_name = m.name();
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
  if (budget <= 0)
    return make_error(
        "the context (" + std::to_string(n_ctx) + " tokens) leaves no room for sources after the " +
        std::to_string(o.max_tokens) + "-token answer budget: raise --ctx or lower --max-tokens");
  std::vector<index::SearchHit>& hits = out.sources;
  std::vector<grounded::Passage> ranked;
  for (const auto& h : hits) ranked.push_back({source_label(h, false), h.text});
  std::vector<grounded::Passage> kept = grounded::pack_passages(ranked, count, budget);
  hits.resize(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) hits[i].text = kept[i].text;  // what the model saw
  if (kept.empty()) return {};

  std::vector<ChatMessage> messages = {{"system", grounded::grounded_system_prompt()},
                                       {"user", grounded::grounded_user_prompt(question, kept)}};
  ChatPrompt prompt = m.chat().render(messages, true);
  std::vector<int32_t> ids = tokenizer.encode_with_special_spans(
      prompt.text, tokenizer.add_bos_default(), prompt.template_spans);

  ThreadPool pool(o.threads > 0 ? o.threads : default_thread_count());
  SessionOptions so;
  so.n_ctx = n_ctx;
  so.pool = &pool;
  auto session = DecoderSession::create(m.model(), so);
  if (!session.ok()) return session.error();

  GenerateOptions gen;
  gen.max_tokens = o.max_tokens;
  gen.sampler.temperature = o.temperature;
  gen.sampler.seed = o.seed;
  Detokenizer detok(tokenizer, {});
  grounded::CitationFilter filter(static_cast<int>(kept.size()));
  bool go_on = true;
  auto emit = [&](const std::string& text) {
    out.text += text;
    if (on_text && !text.empty() && go_on) go_on = on_text(text);
  };
  auto res = generate(
      *session, ids, gen, [&](int32_t id) { return tokenizer.is_eog(id); },
      [&](int32_t id) {
        emit(filter.feed(detok.push(id)));
        return go_on;
      });
  if (!res.ok()) return res.error();
  emit(filter.feed(detok.flush()));
  emit(filter.finish());
  out.cited = filter.cited();
  out.invalid = filter.invalid();
  out.prompt_tokens = res->n_prompt;
  out.generated_tokens = static_cast<int64_t>(res->steps.size());
  out.prompt_ms = res->prompt_seconds * 1000;
  out.generation_ms = res->decode_seconds * 1000;
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
    auto s = open_search(paths, {o.mode, std::nullopt}, ro);
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
    return out;
  }
  std::shared_ptr<AnswerModel> model;
  if (!o.no_llm) {
    auto m = model_for(paths, o);
    if (!m.ok()) return m.error();
    model = std::move(*m);
  }
  if (!model) {
    out.kind = AnswerKind::kExtractive;
    for (size_t i = 0; i < out.sources.size() && i < 3; ++i)
      out.text += out.sources[i].text + "\n\n";
    return out;
  }
  auto turn = model->take_turn(o.max_waiting);
  if (!turn.ok()) return turn.error();
  out.kind = AnswerKind::kGenerated;
  Status st = generate_answer(*model, o, question, on_text, out);
  if (!st.ok()) return st.error();
  return out;
}

}  // namespace trove::answer
