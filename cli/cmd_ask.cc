// cli/cmd_ask.cc — `trove ask QUESTION`: a grounded answer with verified citations.
//
// retrieval (hybrid when the library has vectors) → relevance floor (ask_sources.h)
// → pack passages into the model's context minus the answer budget, counted with the
// model's tokenizer (generate/grounded_prompt.h) → the model's own chat format →
// streamed answer through the citation filter (generate/citations.h), so a citation
// of a source that was not given never reaches the screen → the sources list.
// Nothing relevant: says the documents do not contain it (exit 1). No answer model:
// the best passages as an extractive answer and how to add a model (exit 0).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/ask_sources.h"
#include "cli/command.h"
#include "cli/json.h"
#include "cli/passage_format.h"
#include "cli/retrieval.h"
#include "cli/term.h"
#include "core/thread_pool.h"
#include "generate/chat_format.h"
#include "generate/citations.h"
#include "generate/detokenizer.h"
#include "generate/generator.h"
#include "generate/grounded_prompt.h"
#include "generate/model.h"
#include "generate/model_session.h"
#include "generate/tokenizer.h"
#include "index/library.h"
#include "index/model_registry.h"

namespace trove::cli {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct AskArgs {
  std::vector<std::string> words;
  int k = 8;
  std::string model;  // name in the registry or a .gguf path
  int max_tokens = 512;
  float temp = 0.0f;
  uint64_t seed = 0;
  int64_t ctx = 0;
  int threads = 0;
  double min_similarity = 0.45;
  std::string path_glob, type, mode;
  bool json = false;
  bool no_llm = false;
};

struct AskOutcome {
  std::string answer;
  std::vector<int> cited, invalid;
  std::string model_name;
  int64_t prompt_tokens = 0, generated_tokens = 0;
  double prompt_ms = 0, generation_ms = 0;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return 2;
}

// The answer model: --model (a registry name or a file), else the registry default.
std::string resolve_llm_path(const AskArgs& a, const index::LibraryPaths& paths) {
  if (!a.model.empty() && std::filesystem::exists(a.model)) return a.model;
  auto reg = index::ModelRegistry::open(paths.home);
  if (!reg.ok()) return {};
  const index::ModelEntry* e =
      a.model.empty() ? reg->default_for(index::ModelRole::kLlm) : reg->find(a.model);
  return e ? e->path : std::string();
}

Result<std::vector<index::SearchHit>> retrieve(const AskArgs& a, const index::LibraryPaths& paths,
                                               const std::string& question, std::string* note) {
  auto setup = open_retrieval(paths, a.mode, /*split=*/true);
  if (!setup.ok()) return setup.error();
  *note = setup->note;
  index::SearchFilters filters;
  filters.path_glob = a.path_glob;
  filters.type = a.type;
  const int depth = std::max(a.k * 3, 30);
  if (setup->mode == index::SearchMode::kLexical) {
    auto lex = setup->retriever->search(question, depth, filters);
    if (!lex.ok()) return lex.error();
    return relevant_passages(*lex, nullptr, a.min_similarity, a.k);
  }
  if (setup->mode == index::SearchMode::kSemantic) {
    auto dense = setup->retriever->search(question, depth, filters);
    if (!dense.ok()) return dense.error();
    return relevant_passages({}, &*dense, a.min_similarity, a.k);
  }
  auto lex = setup->lexical->search(question, depth, filters);
  if (!lex.ok()) return lex.error();
  auto dense = setup->dense->search(question, depth, filters);
  if (!dense.ok()) return dense.error();
  return relevant_passages(*lex, &*dense, a.min_similarity, a.k);
}

// Streams the model's answer; passages may be trimmed to what fits the context.
Result<AskOutcome> answer_with_model(const AskArgs& a, const std::string& model_path,
                                     const std::string& question,
                                     std::vector<index::SearchHit>& hits) {
  AskOutcome out;
  auto model = DecoderModel::open(model_path);
  if (!model.ok()) return model.error();
  auto tok = Tokenizer::from_gguf(model->gguf());
  if (!tok.ok()) return tok.error();
  const Tokenizer& tokenizer = **tok;
  ChatFormat chat = ChatFormat::from_gguf(model->gguf());
  out.model_name = std::filesystem::path(model_path).filename().string();

  const int64_t n_ctx =
      a.ctx > 0
          ? a.ctx
          : std::min<int64_t>(model->params().n_ctx_train > 0 ? model->params().n_ctx_train : 2048,
                              SessionOptions::kDefaultMaxCtx);
  auto count = [&](std::string_view s) {
    return static_cast<int>(tokenizer.encode(s, false, false).size());
  };
  // The chat template's own markers cost a few tokens per turn; 32 covers every family.
  const int overhead = grounded::grounded_overhead_tokens(question, count) + 32;
  const int budget = static_cast<int>(n_ctx) - a.max_tokens - overhead;
  if (budget <= 0)
    return make_error(
        "the context (" + std::to_string(n_ctx) + " tokens) leaves no room for sources after the " +
        std::to_string(a.max_tokens) + "-token answer budget: raise --ctx or lower --max-tokens");
  std::vector<grounded::Passage> ranked;
  for (const auto& h : hits) ranked.push_back({source_label(h, false), h.text});
  std::vector<grounded::Passage> kept = grounded::pack_passages(ranked, count, budget);
  hits.resize(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) hits[i].text = kept[i].text;  // what the model saw
  if (kept.empty()) return out;

  std::vector<ChatMessage> messages = {{"system", grounded::grounded_system_prompt()},
                                       {"user", grounded::grounded_user_prompt(question, kept)}};
  ChatPrompt prompt = chat.render(messages, true);
  std::vector<int32_t> ids = tokenizer.encode_with_special_spans(
      prompt.text, tokenizer.add_bos_default(), prompt.template_spans);

  ThreadPool pool(a.threads > 0 ? a.threads : default_thread_count());
  SessionOptions so;
  so.n_ctx = n_ctx;
  so.pool = &pool;
  auto session = DecoderSession::create(*model, so);
  if (!session.ok()) return session.error();

  GenerateOptions gen;
  gen.max_tokens = a.max_tokens;
  gen.sampler.temperature = a.temp;
  gen.sampler.seed = a.seed;
  Detokenizer detok(tokenizer, {});
  grounded::CitationFilter filter(static_cast<int>(kept.size()));
  auto emit = [&](const std::string& text) {
    out.answer += text;
    if (!a.json) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
    }
  };
  auto res = generate(
      *session, ids, gen, [&](int32_t id) { return tokenizer.is_eog(id); },
      [&](int32_t id) {
        emit(filter.feed(detok.push(id)));
        return true;
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
  return out;
}

void write_sources_json(JsonWriter& w, const std::vector<index::SearchHit>& hits) {
  w.key("sources").begin_array();
  for (size_t i = 0; i < hits.size(); ++i) {
    w.begin_object().key("n").value(static_cast<int64_t>(i + 1));
    write_hit_fields(w, hits[i], false);
    w.end_object();
  }
  w.end_array();
}

void print_json(const AskOutcome& o, const std::vector<index::SearchHit>& hits, double retrieval_ms,
                const std::string& mode_note, bool extractive) {
  JsonWriter w;
  w.begin_object().key("answer").value(o.answer);
  w.key("citations").begin_array();
  for (int n : o.cited) w.value(n);
  w.end_array().key("invalid_citations").begin_array();
  for (int n : o.invalid) w.value(n);
  w.end_array();
  write_sources_json(w, hits);
  w.key("model");
  if (o.model_name.empty())
    w.null();
  else
    w.value(o.model_name);
  w.key("extractive").value(extractive);
  if (!mode_note.empty()) w.key("note").value(mode_note);
  const double tps = o.generation_ms > 0 ? o.generated_tokens * 1000.0 / o.generation_ms : 0;
  w.key("timings").begin_object().key("retrieval_ms").value(retrieval_ms);
  w.key("prompt_ms").value(o.prompt_ms).key("generation_ms").value(o.generation_ms);
  w.key("prompt_tokens").value(o.prompt_tokens).key("generated_tokens").value(o.generated_tokens);
  w.key("tokens_per_s").value(tps).end_object();
  w.end_object();
  std::printf("%s\n", w.str().c_str());
}

void print_sources(const std::vector<index::SearchHit>& hits, const std::vector<int>& cited) {
  const Style st = Style::for_stream(stdout);
  std::printf("\n%sSources:%s\n", st.bold.c_str(), st.reset.c_str());
  for (size_t i = 0; i < hits.size(); ++i) {
    bool used = std::find(cited.begin(), cited.end(), static_cast<int>(i + 1)) != cited.end();
    std::printf("%s[%zu]%s %s%s\n", st.bold.c_str(), i + 1, st.reset.c_str(),
                source_label(hits[i], true).c_str(), used || cited.empty() ? "" : "  (not cited)");
  }
}

void print_extractive(const std::vector<index::SearchHit>& hits) {
  const Style st = Style::for_stream(stdout);
  std::printf("%sNo answer model is configured; the best passages:%s\n\n", st.dim.c_str(),
              st.reset.c_str());
  for (size_t i = 0; i < hits.size() && i < 3; ++i) {
    std::printf("%s[%zu]%s %s\n", st.bold.c_str(), i + 1, st.reset.c_str(), hits[i].text.c_str());
    std::printf("\n");
  }
}

int run_ask(const AskArgs& a, const GlobalOptions& g) {
  std::string question;
  for (const auto& w : a.words) question += (question.empty() ? "" : " ") + w;
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return fail(paths.error().message);
  if (!index::library_exists(*paths))
    return fail("the library is empty: run trove index PATH first");

  auto t0 = Clock::now();
  std::string note;
  auto hits = retrieve(a, *paths, question, &note);
  if (!hits.ok()) return fail(hits.error().message);
  const double retrieval_ms = ms_since(t0);
  if (!note.empty() && !g.quiet && !a.json) std::fprintf(stderr, "trove: %s\n", note.c_str());

  if (hits->empty()) {
    AskOutcome none;
    none.answer = "The documents do not contain an answer to this question.";
    if (a.json)
      print_json(none, *hits, retrieval_ms, note, false);
    else
      std::printf("%s\n", none.answer.c_str());
    return 1;
  }
  const std::string llm = a.no_llm ? std::string() : resolve_llm_path(a, *paths);
  if (llm.empty()) {
    if (!a.model.empty() && !a.no_llm)
      return fail("no model named or found at '" + a.model + "' (see trove models list)");
    AskOutcome ex;
    for (size_t i = 0; i < hits->size() && i < 3; ++i) ex.answer += (*hits)[i].text + "\n\n";
    if (a.json) {
      print_json(ex, *hits, retrieval_ms, note, true);
    } else {
      print_extractive(*hits);
      print_sources(*hits, {});
      if (!g.quiet)
        std::fprintf(
            stderr,
            "trove: for written answers add a model: trove models pull qwen2.5-0.5b-instruct "
            "(or trove models add FILE --role llm)\n");
    }
    return 0;
  }
  auto out = answer_with_model(a, llm, question, *hits);
  if (!out.ok()) return fail(out.error().message);
  if (a.json) {
    print_json(*out, *hits, retrieval_ms, note, false);
  } else {
    std::printf("\n");
    print_sources(*hits, out->cited);
  }
  if (!out->invalid.empty() && !a.json) {
    std::string list;
    for (int n : out->invalid) list += (list.empty() ? "[" : ", [") + std::to_string(n) + "]";
    std::fprintf(stderr, "trove: removed citation%s %s: only sources 1-%zu were given\n",
                 out->invalid.size() > 1 ? "s" : "", list.c_str(), hits->size());
  }
  return 0;
}

RunFn setup_ask(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<AskArgs>();
  CLI::App* cmd =
      app.add_subcommand("ask", "Answer a question from your documents, citing sources");
  cmd->add_option("question", args->words, "The question")->required();
  cmd->add_option("-k", args->k, "Passages to retrieve at most")
      ->default_val(8)
      ->check(CLI::PositiveNumber);
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
  cmd->add_option("--min-similarity", args->min_similarity,
                  "Relevance floor for semantic matches (cosine)")
      ->default_val(0.45);
  cmd->add_option("--path", args->path_glob, "Only files whose path matches this glob");
  cmd->add_option("--type", args->type, "Only this type: markdown, text, html, pdf");
  cmd->add_option("--mode", args->mode,
                  "Retrieval: lexical, semantic or hybrid (default: hybrid when possible)");
  cmd->add_flag("--no-llm", args->no_llm,
                "Extractive answer only, even when a model is configured");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  return [args, &global] { return run_ask(*args, global); };
}

TROVE_REGISTER_COMMAND("ask", 25, setup_ask);

}  // namespace
}  // namespace trove::cli
