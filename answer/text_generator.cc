// answer/text_generator.cc — see text_generator.h.
#include "answer/text_generator.h"

#include "answer/answer_model.h"
#include "core/thread_pool.h"
#include "generate/detokenizer.h"
#include "generate/generator.h"
#include "generate/model_session.h"

namespace trove::answer {
namespace {

class ModelGenerator final : public TextGenerator {
 public:
  Result<GenerationStats> generate(const GenerationRequest& r, const PieceSink& on_piece) const override {
    const AnswerModel& m = *r.model;
    const Tokenizer& tokenizer = m.tokenizer();
    ThreadPool pool(r.threads > 0 ? r.threads : default_thread_count());
    SessionOptions so;
    so.n_ctx = r.n_ctx;
    so.pool = &pool;
    auto session = DecoderSession::create(m.model(), so);
    if (!session.ok()) return session.error();
    GenerateOptions gen;
    gen.max_tokens = r.max_tokens;
    gen.sampler = r.sampler;
    Detokenizer detok(tokenizer, {});
    bool go_on = true;
    auto res = trove::generate(
        *session, *r.ids, gen, [&](int32_t id) { return tokenizer.is_eog(id); },
        [&](int32_t id) {
          std::string piece = detok.push(id);
          if (!piece.empty()) go_on = on_piece(piece);
          return go_on;
        });
    if (!res.ok()) return res.error();
    if (std::string rest = detok.flush(); !rest.empty() && go_on) on_piece(rest);
    GenerationStats st;
    st.prompt_tokens = res->n_prompt;
    st.generated_tokens = static_cast<int64_t>(res->steps.size());
    st.prompt_ms = res->prompt_seconds * 1000;
    st.generation_ms = res->decode_seconds * 1000;
    return st;
  }
};

}  // namespace

std::shared_ptr<const TextGenerator> model_generator() {
  static const auto g = std::make_shared<const ModelGenerator>();
  return g;
}

}  // namespace trove::answer
