// generate/model_session.cc — the decoder forward pass: RMSNorm → attention (GQA,
// RoPE, causal softmax over the KV cache) → residual → RMSNorm → SwiGLU FFN →
// residual, for every layer; then the final norm and the output projection of the
// last token only.
#include "generate/model_session.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/kernels.h"
#include "core/ops.h"

namespace trove {
namespace {

// Queries per score block in batched attention: the block of scores is
// kQueryBlock x context floats per thread.
constexpr int64_t kQueryBlock = 32;

// Per-thread attention scratch: keys and values of one head as floats, and scores
// (kQueryBlock rows of the context).
struct AttnScratch {
  std::vector<float> keys, values, scores;
};

// Batch-sized activation buffers (rows are tokens).
struct Buffers {
  std::vector<float> x, cur, q, k, v, attn, gate, up, logits;
};

}  // namespace

struct DecoderSession::State {
  const DecoderModel* model = nullptr;
  SessionOptions opts;
  KvCache cache;
  int64_t n_past = 0;
  Buffers buf;
  std::vector<AttnScratch> scratch;  // one per pool thread

  State(const DecoderModel& m, const SessionOptions& o, KvCache c)
      : model(&m), opts(o), cache(std::move(c)) {}

  const DecoderParams& p() const { return model->params(); }

  void emit(std::string_view name, int64_t layer, const float* data, int64_t n_tok,
            int64_t width) const {
    if (opts.on_activation) opts.on_activation(Activation{name, layer, data, n_tok, width});
  }

  void parallel(int64_t n, const std::function<void(int64_t, int64_t, int)>& fn) const {
    if (opts.pool != nullptr) {
      opts.pool->parallel_for(n, fn);
    } else {
      fn(0, n, 0);
    }
  }

  // Y = X · Wᵀ for n rows: matvec for one token keeps decoding memory-bound.
  void linear(const TensorView& w, const float* x, int64_t n, float* y) const {
    if (n == 1) {
      matvec(w, x, y, opts.pool);
    } else {
      matmul(w, x, n, y, opts.pool);
    }
  }

  // Several products of the same input (Q, K, V; gate, up): one token's go through
  // matvec_multi, one dispatch for all; a batch's are one matmul each.
  void linear_shared_input(std::span<const MatvecJob> jobs, const float* x, int64_t n) const {
    if (n == 1) return matvec_multi(jobs, x, opts.pool);
    for (const MatvecJob& j : jobs) matmul(*j.w, x, n, j.y, opts.pool);
  }

  void forward(std::span<const int32_t> tokens);
  void embed(std::span<const int32_t> tokens);
  void attention_block(int64_t il, int64_t n);
  void attend(int64_t il, int64_t n);
  void attend_one(int64_t h, const float* keys, const float* values, AttnScratch& s);
  void attend_batch(int64_t h, int64_t n, const float* keys, const float* values, AttnScratch& s);
  void ffn_block(int64_t il, int64_t n);
  void output();
};

void DecoderSession::State::embed(std::span<const int32_t> tokens) {
  const TensorView& e = model->weights().token_embd;
  const int64_t d = p().n_embd;
  for (size_t t = 0; t < tokens.size(); ++t) {
    dequantize_row(e.type, e.row(tokens[t]), buf.x.data() + t * d, d);
  }
  emit("inp_embd", -1, buf.x.data(), static_cast<int64_t>(tokens.size()), d);
}

void DecoderSession::State::attention_block(int64_t il, int64_t n) {
  const DecoderParams& P = p();
  const DecoderLayer& L = model->weights().layers[il];
  const int64_t d = P.n_embd;
  std::copy_n(buf.x.data(), n * d, buf.cur.data());
  for (int64_t t = 0; t < n; ++t)
    rms_norm(buf.cur.data() + t * d, d, L.attn_norm.data(), P.rms_eps);
  emit("attn_norm", il, buf.cur.data(), n, d);

  const MatvecJob qkv[] = {{&L.wq, buf.q.data()}, {&L.wk, buf.k.data()}, {&L.wv, buf.v.data()}};
  linear_shared_input(qkv, buf.cur.data(), n);
  const bool neox = P.arch->rope == RopeStyle::kNeox;
  const float* freq =
      model->weights().rope_freqs.empty() ? nullptr : model->weights().rope_freqs.data();
  for (int64_t t = 0; t < n; ++t) {
    float* q = buf.q.data() + t * P.q_width();
    float* k = buf.k.data() + t * P.k_width();
    float* v = buf.v.data() + t * P.v_width();
    if (!L.bq.empty()) {
      add(q, L.bq.data(), P.q_width());
      add(k, L.bk.data(), P.k_width());
      add(v, L.bv.data(), P.v_width());
    }
    const int64_t pos = n_past + t;
    for (int64_t h = 0; h < P.n_head; ++h) {
      float* qh = q + h * P.head_dim;
      if (!L.q_norm.empty()) rms_norm(qh, P.head_dim, L.q_norm.data(), P.rms_eps);
      rope(qh, P.head_dim, P.n_rot, pos, P.rope_freq_base, neox, freq);
    }
    for (int64_t h = 0; h < P.n_head_kv; ++h) {
      float* kh = k + h * P.head_dim;
      if (!L.k_norm.empty()) rms_norm(kh, P.head_dim, L.k_norm.data(), P.rms_eps);
      rope(kh, P.head_dim, P.n_rot, pos, P.rope_freq_base, neox, freq);
    }
    cache.store(il, pos, k, v);
  }
  emit("Qcur", il, buf.q.data(), n, P.q_width());
  emit("Kcur", il, buf.k.data(), n, P.k_width());
  emit("Vcur", il, buf.v.data(), n, P.v_width());

  attend(il, n);
  emit("kqv_out", il, buf.attn.data(), n, P.n_head * P.head_dim_v);

  // Reuse cur for the projection, then add the residual.
  linear(L.wo, buf.attn.data(), n, buf.cur.data());
  add(buf.x.data(), buf.cur.data(), n * d);
  emit("ffn_inp", il, buf.x.data(), n, d);
}

// Causal attention of the n new queries against positions [0, n_past + t], one head
// per work item; heads of a GQA group read the same KV head. One query (decoding) is a
// pair of dot loops; a batch goes through two GEMMs per block of queries (scores, then
// weighted values), which is what keeps prompt processing from being attention-bound.
void DecoderSession::State::attend(int64_t il, int64_t n) {
  const DecoderParams& P = p();
  const int64_t group = P.n_head / P.n_head_kv;
  const int64_t n_kv = n_past + n;
  parallel(P.n_head, [&](int64_t h0, int64_t h1, int thread) {
    AttnScratch& s = scratch[static_cast<size_t>(thread)];
    for (int64_t h = h0; h < h1; ++h) {
      const int64_t kvh = h / group;
      const float* keys = cache.keys(il, kvh, n_kv, s.keys.data());
      const float* values = cache.values(il, kvh, n_kv, s.values.data());
      if (n == 1) {
        attend_one(h, keys, values, s);
      } else {
        attend_batch(h, n, keys, values, s);
      }
    }
  });
}

void DecoderSession::State::attend_one(int64_t h, const float* keys, const float* values,
                                       AttnScratch& s) {
  const DecoderParams& P = p();
  const int64_t hd = P.head_dim;
  const int64_t hdv = P.head_dim_v;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const float* q = buf.q.data() + h * hd;
  const int64_t n_see = n_past + 1;
  for (int64_t j = 0; j < n_see; ++j) s.scores[j] = dot_f32(q, keys + j * hd, hd) * scale;
  softmax(s.scores.data(), n_see);
  float* out = buf.attn.data() + h * hdv;
  std::fill_n(out, hdv, 0.0f);
  for (int64_t j = 0; j < n_see; ++j) {
    const float w = s.scores[j];
    const float* vj = values + j * hdv;
    for (int64_t i = 0; i < hdv; ++i) out[i] += w * vj[i];
  }
}

// Queries go kQueryBlock at a time so the score block stays small; query t of the
// batch sees n_past + t + 1 keys, so the tail of its score row is cut off before the
// softmax and zeroed for the value product.
void DecoderSession::State::attend_batch(int64_t h, int64_t n, const float* keys,
                                         const float* values, AttnScratch& s) {
  const DecoderParams& P = p();
  const int64_t hd = P.head_dim;
  const int64_t hdv = P.head_dim_v;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const int64_t q_width = P.q_width();
  const int64_t attn_width = P.n_head * hdv;
  for (int64_t t0 = 0; t0 < n; t0 += kQueryBlock) {
    const int64_t m = std::min(kQueryBlock, n - t0);
    const int64_t n_vis = n_past + t0 + m;  // keys the block's last query sees
    float* S = s.scores.data();
    gemm_f32_nt(m, n_vis, hd, scale, buf.q.data() + t0 * q_width + h * hd, q_width, keys, hd, S,
                n_vis);
    for (int64_t i = 0; i < m; ++i) {
      float* row = S + i * n_vis;
      const int64_t n_see = n_past + t0 + i + 1;
      softmax(row, n_see);
      std::fill(row + n_see, row + n_vis, 0.0f);
    }
    gemm_f32_nn(m, hdv, n_vis, S, n_vis, values, hdv, buf.attn.data() + t0 * attn_width + h * hdv,
                attn_width);
  }
}

void DecoderSession::State::ffn_block(int64_t il, int64_t n) {
  const DecoderParams& P = p();
  const DecoderLayer& L = model->weights().layers[il];
  const int64_t d = P.n_embd;
  std::copy_n(buf.x.data(), n * d, buf.cur.data());
  for (int64_t t = 0; t < n; ++t) rms_norm(buf.cur.data() + t * d, d, L.ffn_norm.data(), P.rms_eps);
  emit("ffn_norm", il, buf.cur.data(), n, d);
  const MatvecJob gate_up[] = {{&L.w_gate, buf.gate.data()}, {&L.w_up, buf.up.data()}};
  linear_shared_input(gate_up, buf.cur.data(), n);
  swiglu(buf.gate.data(), buf.up.data(), buf.gate.data(), n * P.n_ff);
  linear(L.w_down, buf.gate.data(), n, buf.cur.data());
  emit("ffn_out", il, buf.cur.data(), n, d);
  add(buf.x.data(), buf.cur.data(), n * d);
  emit("l_out", il, buf.x.data(), n, d);
}

void DecoderSession::State::output() {
  const int64_t d = p().n_embd;
  const DecoderWeights& W = model->weights();
  std::copy_n(buf.x.data(), d, buf.cur.data());
  rms_norm(buf.cur.data(), d, W.output_norm.data(), p().rms_eps);
  emit("result_norm", -1, buf.cur.data(), 1, d);
  matvec(W.output, buf.cur.data(), buf.logits.data(), opts.pool);
  emit("result_output", -1, buf.logits.data(), 1, p().n_vocab);
}

// One batch (at most n_batch tokens); leaves the last token's logits in buf.logits.
void DecoderSession::State::forward(std::span<const int32_t> tokens) {
  const int64_t n = static_cast<int64_t>(tokens.size());
  embed(tokens);
  for (int64_t il = 0; il < p().n_layer; ++il) {
    attention_block(il, n);
    ffn_block(il, n);
  }
  n_past += n;
  // Only the last token's logits are needed: move its hidden state to row 0.
  if (n > 1) std::copy_n(buf.x.data() + (n - 1) * p().n_embd, p().n_embd, buf.x.data());
  output();
}

Result<DecoderSession> DecoderSession::create(const DecoderModel& model,
                                              const SessionOptions& opts) {
  const DecoderParams& P = model.params();
  SessionOptions o = opts;
  if (o.n_ctx <= 0) o.n_ctx = std::min(P.n_ctx_train, SessionOptions::kDefaultMaxCtx);
  if (o.n_ctx > P.n_ctx_train) {
    // Positions past the training context give garbage, and the cache could be huge.
    return make_error("a context of " + std::to_string(o.n_ctx) +
                      " tokens exceeds the model's training context of " +
                      std::to_string(P.n_ctx_train));
  }
  if (o.n_batch <= 0) o.n_batch = 512;
  o.n_batch = std::min(o.n_batch, o.n_ctx);
  auto cache = KvCache::create(KvShape{o.n_ctx, P.n_layer, P.n_head_kv, P.head_dim, P.head_dim_v},
                               o.kv_type);
  if (!cache.ok()) return cache.error();
  auto s = std::make_unique<State>(model, o, std::move(cache).value());
  const auto B = static_cast<size_t>(o.n_batch);
  const int n_threads = o.pool != nullptr ? o.pool->size() : 1;
  try {
    s->buf.x.resize(B * P.n_embd);
    s->buf.cur.resize(B * P.n_embd);
    s->buf.q.resize(B * P.q_width());
    s->buf.k.resize(B * P.k_width());
    s->buf.v.resize(B * P.v_width());
    s->buf.attn.resize(B * P.n_head * P.head_dim_v);
    s->buf.gate.resize(B * P.n_ff);
    s->buf.up.resize(B * P.n_ff);
    s->buf.logits.resize(P.n_vocab);
    s->scratch.resize(static_cast<size_t>(n_threads));
    for (AttnScratch& a : s->scratch) {
      a.keys.resize(o.n_ctx * P.head_dim);
      a.values.resize(o.n_ctx * P.head_dim_v);
      a.scores.resize(static_cast<size_t>(kQueryBlock * o.n_ctx));
    }
  } catch (const std::exception&) {  // bad_alloc or length_error
    return make_error("cannot allocate the decoder's buffers for a batch of " +
                      std::to_string(o.n_batch) + " and a context of " + std::to_string(o.n_ctx) +
                      " tokens");
  }
  return DecoderSession(std::move(s));
}

Result<std::span<const float>> DecoderSession::eval(std::span<const int32_t> tokens) {
  State& s = *s_;
  const int64_t n = static_cast<int64_t>(tokens.size());
  if (n == 0) return make_error("eval: no tokens given");
  if (s.n_past + n > s.opts.n_ctx) {
    if (s.n_past == 0) {
      return make_error("prompt is " + std::to_string(n) + " tokens; the context is " +
                        std::to_string(s.opts.n_ctx));
    }
    return make_error(std::to_string(n) + " more tokens after " + std::to_string(s.n_past) +
                      " would overflow the context of " + std::to_string(s.opts.n_ctx) + " tokens");
  }
  const int64_t n_vocab = s.p().n_vocab;
  for (int32_t id : tokens) {
    if (id < 0 || id >= n_vocab) {
      return make_error("token id " + std::to_string(id) + " is outside the vocabulary of " +
                        std::to_string(n_vocab));
    }
  }
  for (int64_t i = 0; i < n; i += s.opts.n_batch) {
    const int64_t m = std::min(s.opts.n_batch, n - i);
    s.forward(tokens.subspan(static_cast<size_t>(i), static_cast<size_t>(m)));
  }
  return std::span<const float>(s.buf.logits);
}

DecoderSession::DecoderSession(std::unique_ptr<State> state) : s_(std::move(state)) {}
DecoderSession::DecoderSession(DecoderSession&&) noexcept = default;
DecoderSession& DecoderSession::operator=(DecoderSession&&) noexcept = default;
DecoderSession::~DecoderSession() = default;

int64_t DecoderSession::n_past() const {
  return s_->n_past;
}
int64_t DecoderSession::n_ctx() const {
  return s_->opts.n_ctx;
}
void DecoderSession::reset() {
  s_->n_past = 0;
}
const DecoderModel& DecoderSession::model() const {
  return *s_->model;
}
uint64_t DecoderSession::kv_bytes() const {
  return s_->cache.bytes();
}

}  // namespace trove
