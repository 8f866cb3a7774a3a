// embed/encoder.cc — the encoder forward pass shared by every BERT-family architecture
// (see encoder.h); architecture-specific steps are virtual.
#include "embed/encoder.h"

#include "core/gguf_checks.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/kernels.h"
#include "core/log.h"
#include "core/ops.h"
#include "embed/pooling.h"
#include "embed/reference_matmul.h"

namespace trove {
namespace {

// Start row of each sequence in the packed batch, plus the total at the end.
std::vector<int64_t> sequence_offsets(const std::vector<std::vector<int32_t>>& seqs) {
  std::vector<int64_t> off(seqs.size() + 1, 0);
  for (size_t s = 0; s < seqs.size(); ++s) {
    off[s + 1] = off[s] + static_cast<int64_t>(seqs[s].size());
  }
  return off;
}

std::string shape_text(int64_t cols, int64_t rows) {
  return "[" + std::to_string(cols) + ", " + std::to_string(rows) + "]";
}

// softmax(scale * x) in the reference's order: the dot products are scaled after
// they are summed, the exponentials summed in double and multiplied by float(1 / sum).
// Pre-scaling q or summing in float moves the result in its last bits, which later
// fp16 / Q8_0 roundings can turn into visible differences.
void scaled_softmax(float* x, int64_t n, float scale) {
  float mx = -std::numeric_limits<float>::infinity();
  for (int64_t i = 0; i < n; ++i) {
    x[i] *= scale;
    mx = std::max(mx, x[i]);
  }
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - mx);
    sum += static_cast<double>(x[i]);
  }
  const auto inv = static_cast<float>(1.0 / sum);
  for (int64_t i = 0; i < n; ++i) x[i] *= inv;
}

}  // namespace

void for_each_row(ThreadPool* pool, int64_t n, const std::function<void(int64_t)>& fn) {
  if (pool == nullptr || n < 64) {
    for (int64_t i = 0; i < n; ++i) fn(i);
    return;
  }
  pool->parallel_for(
      n,
      [&](int64_t b, int64_t e, int) {
        for (int64_t i = b; i < e; ++i) fn(i);
      },
      32);
}

Result<std::unique_ptr<Encoder>> Encoder::load(const GgufFile& file) {
  auto arch = file.get_string("general.architecture");
  if (!arch.ok()) return arch.error();
  if (*arch == "bert") return load_bert_encoder(file);
  if (*arch == "nomic-bert") return load_nomic_bert_encoder(file);
  return make_error(file.path() + ": architecture '" + std::string(*arch) +
                    "' is not an embedding model trove supports (expected bert or nomic-bert)");
}

Status Encoder::load_common(const GgufFile& file, std::string_view arch_view) {
  const std::string arch(arch_view);
  hp_.arch = arch;
  auto get = [&](const char* suffix, int64_t* out) -> Status {
    auto v = file.get_uint(arch + "." + suffix);
    if (!v.ok()) return v.error();
    if (*v == 0 || *v > (1u << 24)) {
      return make_error(file.path() + ": " + arch + "." + suffix + " is " + std::to_string(*v) +
                        ", expected a positive size");
    }
    *out = static_cast<int64_t>(*v);
    return {};
  };
  TROVE_TRY(get("embedding_length", &hp_.n_embd));
  TROVE_TRY(get("block_count", &hp_.n_layer));
  TROVE_TRY(get("attention.head_count", &hp_.n_head));
  TROVE_TRY(get("context_length", &hp_.n_ctx));
  TROVE_TRY(get("feed_forward_length", &hp_.n_ff));
  if (hp_.n_embd % hp_.n_head != 0) {
    return make_error(file.path() + ": " + arch + ".embedding_length " +
                      std::to_string(hp_.n_embd) + " is not a multiple of head_count " +
                      std::to_string(hp_.n_head));
  }
  // A NaN, zero, negative or huge epsilon silently turns every vector into NaN or
  // noise: refuse it, naming the key (issue 15, fault 4).
  auto eps = gguf_float_in(file, arch + ".attention.layer_norm_epsilon", 1e-12, 0.0, 0.1);
  if (!eps.ok()) return eps.error();
  hp_.eps = static_cast<float>(*eps);
  if (hp_.n_head > hp_.n_embd) {
    return make_error(file.path() + ": " + arch + ".attention.head_count " +
                      std::to_string(hp_.n_head) + " exceeds embedding_length " +
                      std::to_string(hp_.n_embd));
  }
  const PoolingChoice choice = choose_pooling(file);
  if (!choice.from_file) {
    const std::string what =
        file.path() + ": no " + arch + ".pooling_type; using " + choice.name() + " pooling";
    if (choice.family == "unknown") {
      log_warn(what + ", a guess: the model's family is unknown");
    } else {
      log_info(what + ", the " + choice.family + " family's default");
    }
  }
  const uint64_t pooling = choice.pooling_type;
  switch (pooling) {
    case 1:
      hp_.pooling = Pooling::kMean;
      break;
    case 2:
      hp_.pooling = Pooling::kCls;
      break;
    case 3:
      hp_.pooling = Pooling::kLast;
      break;
    case 4:
      hp_.pooling = Pooling::kRank;  // a cross-encoder: embed/reranker.h scores it
      break;
    case 0:
      // "none" means per-token output; a sentence embedding needs one vector.
      log_warn(file.path() + ": pooling_type 0 (none); using mean pooling");
      hp_.pooling = Pooling::kMean;
      break;
    default:
      return make_error(file.path() + ": " + arch + ".pooling_type " + std::to_string(pooling) +
                        " is not supported (expected 1 mean, 2 cls, 3 last or 4 rank)");
  }

  auto embd = matrix(file, "token_embd.weight", hp_.n_embd, -1);
  if (!embd.ok()) return embd.error();
  token_embd_ = *embd;
  hp_.n_vocab = token_embd_.rows;
  // Every count read from the file is bounded by what the file holds: block_count by
  // the blk.N tensors present, before anything is allocated per layer. (After the
  // token table, so a vocabulary-only file is named by its first missing tensor.)
  TROVE_TRY(gguf_check_block_count(file, arch + ".block_count", hp_.n_layer));
  token_types_.assign(static_cast<size_t>(hp_.n_embd), 0.0f);
  hp_.n_token_types = 1;
  if (const GgufTensorInfo* tt = file.find_tensor("token_types.weight"); tt != nullptr) {
    const TypeTraits* traits = type_traits(tt->type);
    if (tt->ne[0] != hp_.n_embd || tt->n_rows() < 1 || tt->n_rows() > 16 || traits == nullptr ||
        !traits->supported) {
      return make_error(file.path() + ": tensor token_types.weight has shape " +
                        shape_text(tt->ne[0], tt->n_rows()) + ", expected [" +
                        std::to_string(hp_.n_embd) + ", 1..16] of a supported type");
    }
    hp_.n_token_types = tt->n_rows();
    token_types_.resize(static_cast<size_t>(hp_.n_token_types * hp_.n_embd));
    const TensorView view = TensorView::of(*tt);
    for (int64_t r = 0; r < hp_.n_token_types; ++r) {
      dequantize_row(view.type, view.row(r), token_types_.data() + r * hp_.n_embd, hp_.n_embd);
    }
  }
  auto nw = vector_f32(file, "token_embd_norm.weight", hp_.n_embd, true);
  if (!nw.ok()) return nw.error();
  auto nb = vector_f32(file, "token_embd_norm.bias", hp_.n_embd, false);
  if (!nb.ok()) return nb.error();
  embd_norm_w_ = *nw;
  embd_norm_b_ = *nb;

  layers_.resize(static_cast<size_t>(hp_.n_layer));
  for (int64_t il = 0; il < hp_.n_layer; ++il) {
    EncoderLayer& l = layers_[static_cast<size_t>(il)];
    const std::string p = "blk." + std::to_string(il) + ".";
    auto wo = matrix(file, p + "attn_output.weight", hp_.n_embd, hp_.n_embd);
    if (!wo.ok()) return wo.error();
    l.wo = *wo;
    auto take = [&](const std::string& name, int64_t n, bool required,
                    const float** dst) -> Status {
      auto v = vector_f32(file, p + name, n, required);
      if (!v.ok()) return v.error();
      *dst = *v;
      return {};
    };
    TROVE_TRY(take("attn_output.bias", hp_.n_embd, false, &l.bo));
    TROVE_TRY(take("attn_output_norm.weight", hp_.n_embd, true, &l.attn_norm_w));
    TROVE_TRY(take("attn_output_norm.bias", hp_.n_embd, false, &l.attn_norm_b));
    TROVE_TRY(take("layer_output_norm.weight", hp_.n_embd, true, &l.out_norm_w));
    TROVE_TRY(take("layer_output_norm.bias", hp_.n_embd, false, &l.out_norm_b));
    auto down = matrix(file, p + "ffn_down.weight", hp_.n_ff, hp_.n_embd);
    if (!down.ok()) return down.error();
    l.ffn_down = *down;
    TROVE_TRY(take("ffn_down.bias", hp_.n_embd, false, &l.ffn_down_b));
    auto up = matrix(file, p + "ffn_up.weight", hp_.n_embd, hp_.n_ff);
    if (!up.ok()) return up.error();
    l.ffn_up = *up;
    TROVE_TRY(take("ffn_up.bias", hp_.n_ff, false, &l.ffn_up_b));
  }
  return {};
}

// rows < 0 accepts any row count (the vocabulary).
Result<TensorView> Encoder::matrix(const GgufFile& file, const std::string& name, int64_t cols,
                                   int64_t rows) const {
  const GgufTensorInfo* t = file.find_tensor(name);
  if (t == nullptr) {
    return make_error(file.path() + ": missing tensor " + name + " (" + hp_.arch + ")");
  }
  const TypeTraits* traits = type_traits(t->type);
  if (traits == nullptr || !traits->supported) {
    return make_error(file.path() + ": tensor " + name + " has type " +
                      std::string(traits ? traits->name : "unknown") +
                      ", which trove cannot multiply");
  }
  if (t->ne[0] != cols || (rows >= 0 && t->n_rows() != rows) || t->n_dims > 2) {
    return make_error(file.path() + ": tensor " + name + " has shape " +
                      shape_text(t->ne[0], t->n_rows()) + ", expected " + shape_text(cols, rows));
  }
  return TensorView::of(*t);
}

Result<const float*> Encoder::vector_f32(const GgufFile& file, const std::string& name, int64_t n,
                                         bool required) const {
  const GgufTensorInfo* t = file.find_tensor(name);
  if (t == nullptr) {
    if (!required) return static_cast<const float*>(nullptr);
    return make_error(file.path() + ": missing tensor " + name + " (" + hp_.arch + ")");
  }
  if (t->type != GgmlType::kF32 || t->n_elements() != n) {
    return make_error(file.path() + ": tensor " + name + " is " +
                      std::string(type_traits(t->type) ? type_traits(t->type)->name : "?") +
                      " with " + std::to_string(t->n_elements()) + " elements, expected f32 with " +
                      std::to_string(n));
  }
  return static_cast<const float*>(t->data);
}

void Encoder::linear(const TensorView& w, const float* bias, const float* x, int64_t rows, float* y,
                     ThreadPool* pool) {
  reference_matmul(w, x, rows, y, pool);
  if (bias == nullptr) return;
  for_each_row(pool, rows, [&](int64_t r) { add(y + r * w.rows, bias, w.rows); });
}

void Encoder::embed_tokens(const std::vector<std::vector<int32_t>>& seqs,
                           const std::vector<std::vector<int32_t>>* segments, float* x,
                           ThreadPool* pool) const {
  const int64_t E = hp_.n_embd;
  struct Token {
    int32_t id, type;
  };
  std::vector<Token> tokens;
  for (size_t s = 0; s < seqs.size(); ++s) {
    const std::vector<int32_t>* seg = segments != nullptr ? &(*segments)[s] : nullptr;
    assert(seg == nullptr || seg->size() == seqs[s].size());
    for (size_t i = 0; i < seqs[s].size(); ++i) {
      int32_t type = seg != nullptr && i < seg->size() ? (*seg)[i] : 0;
      if (type < 0 || type >= hp_.n_token_types) type = 0;
      tokens.push_back({seqs[s][i], type});
    }
  }
  for_each_row(pool, static_cast<int64_t>(tokens.size()), [&](int64_t r) {
    int32_t id = tokens[static_cast<size_t>(r)].id;
    assert(id >= 0 && id < token_embd_.rows);
    if (id < 0 || id >= token_embd_.rows) id = 0;  // never read outside the table
    float* row = x + r * E;
    dequantize_row(token_embd_.type, token_embd_.row(id), row, E);
    add(row, token_types_.data() + tokens[static_cast<size_t>(r)].type * E, E);
  });
}

// Softmax(q kᵀ / sqrt(d)) v for each (sequence, head); tokens only see their own
// sequence. Both products go through trove::matmul on gathered f32 head slices.
void Encoder::attention(const std::vector<std::vector<int32_t>>& seqs, const float* q,
                        const float* k, const float* v, float* out, ThreadPool* pool) const {
  const int64_t E = hp_.n_embd;
  const int64_t H = hp_.n_head;
  const int64_t d = hp_.head_dim();
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const std::vector<int64_t> off = sequence_offsets(seqs);
  const auto n_tasks = static_cast<int64_t>(seqs.size()) * H;

  auto task = [&](int64_t t0, int64_t t1, int) {
    std::vector<float> qh, kh, vt, scores, oh;
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t s = t / H;
      const int64_t h = t % H;
      const int64_t L = off[static_cast<size_t>(s) + 1] - off[static_cast<size_t>(s)];
      const int64_t base = off[static_cast<size_t>(s)];
      if (L == 0) continue;
      qh.resize(static_cast<size_t>(L * d));
      kh.resize(static_cast<size_t>(L * d));
      vt.resize(static_cast<size_t>(L * d));
      scores.resize(static_cast<size_t>(L * L));
      oh.resize(static_cast<size_t>(L * d));
      for (int64_t i = 0; i < L; ++i) {
        const int64_t src = (base + i) * E + h * d;
        for (int64_t c = 0; c < d; ++c) {
          qh[static_cast<size_t>(i * d + c)] = q[src + c];
          kh[static_cast<size_t>(i * d + c)] = k[src + c];
          vt[static_cast<size_t>(c * L + i)] = v[src + c];  // vᵀ: one row per channel
        }
      }
      const TensorView kv{GgmlType::kF32, L, d, kh.data(), static_cast<size_t>(d) * 4};
      matmul(kv, qh.data(), L, scores.data(), nullptr);  // scores[i][j] = q_i · k_j
      for (int64_t i = 0; i < L; ++i) scaled_softmax(scores.data() + i * L, L, scale);
      const TensorView vv{GgmlType::kF32, d, L, vt.data(), static_cast<size_t>(L) * 4};
      matmul(vv, scores.data(), L, oh.data(), nullptr);  // oh[i][c] = Σ_j p_ij v_jc
      for (int64_t i = 0; i < L; ++i) {
        std::memcpy(out + (base + i) * E + h * d, oh.data() + i * d,
                    static_cast<size_t>(d) * sizeof(float));
      }
    }
  };
  if (pool != nullptr) {
    pool->parallel_for(n_tasks, task, 1);
  } else {
    task(0, n_tasks, 0);
  }
}

std::vector<std::vector<float>> Encoder::pool_and_normalise(
    const std::vector<std::vector<int32_t>>& seqs, const float* x) const {
  const int64_t E = hp_.n_embd;
  const std::vector<int64_t> off = sequence_offsets(seqs);
  std::vector<std::vector<float>> out(seqs.size());
  for (size_t s = 0; s < seqs.size(); ++s) {
    const int64_t begin = off[s];
    const int64_t L = off[s + 1] - begin;
    std::vector<double> acc(static_cast<size_t>(E), 0.0);
    out[s].assign(static_cast<size_t>(E), 0.0f);
    if (L == 0) continue;  // nothing to pool: a zero vector
    auto take = [&](int64_t row) {
      for (int64_t c = 0; c < E; ++c) acc[static_cast<size_t>(c)] += x[row * E + c];
    };
    switch (hp_.pooling) {
      case Pooling::kCls:
      case Pooling::kRank:  // the head reads the first token; its hidden state is the vector
        take(begin);
        break;
      case Pooling::kLast:
        take(begin + L - 1);
        break;
      case Pooling::kMean:
      case Pooling::kNone:
        for (int64_t i = 0; i < L; ++i) take(begin + i);
        break;
    }
    double norm = 0;
    for (double a : acc) norm += a * a;
    norm = std::sqrt(norm);
    // The mean's 1/L cancels in the normalisation; an all-zero vector stays zero.
    const double inv = norm > 0 ? 1.0 / norm : 0.0;
    for (int64_t c = 0; c < E; ++c) {
      out[s][static_cast<size_t>(c)] = static_cast<float>(acc[static_cast<size_t>(c)] * inv);
    }
  }
  return out;
}

std::vector<std::vector<float>> Encoder::embed_batch(const std::vector<std::vector<int32_t>>& seqs,
                                                     ThreadPool* pool) const {
  if (seqs.empty()) return {};
  const std::vector<float> x = forward(seqs, nullptr, pool);
  return pool_and_normalise(seqs, x.data());
}

std::vector<float> Encoder::forward(const std::vector<std::vector<int32_t>>& seqs,
                                    const std::vector<std::vector<int32_t>>* segments,
                                    ThreadPool* pool) const {
  const int64_t E = hp_.n_embd;
  std::vector<int32_t> pos;
  for (const auto& s : seqs) {
    assert(static_cast<int64_t>(s.size()) <= hp_.n_ctx);
    for (size_t i = 0; i < s.size(); ++i) pos.push_back(static_cast<int32_t>(i));
  }
  const auto T = static_cast<int64_t>(pos.size());
  if (T == 0) return {};
  const auto n = static_cast<size_t>(T * E);
  std::vector<float> x(n), q(n), k(n), v(n), attn(n), h(n);
  std::vector<float> ffn_scratch(static_cast<size_t>(2 * T * hp_.n_ff));

  embed_tokens(seqs, segments, x.data(), pool);
  add_position_embeddings(x.data(), pos, pool);
  dump("inp_embd", -1, x.data(), T, E);
  for_each_row(pool, T, [&](int64_t r) {
    layer_norm(x.data() + r * E, E, embd_norm_w_, embd_norm_b_, hp_.eps);
  });
  dump("inp_norm", -1, x.data(), T, E);

  for (int il = 0; il < static_cast<int>(hp_.n_layer); ++il) {
    const EncoderLayer& l = layers_[static_cast<size_t>(il)];
    project_qkv(l, x.data(), T, pos, q.data(), k.data(), v.data(), pool);
    dump("Qcur", il, q.data(), T, E);
    dump("Kcur", il, k.data(), T, E);
    dump("Vcur", il, v.data(), T, E);
    attention(seqs, q.data(), k.data(), v.data(), attn.data(), pool);
    linear(l.wo, l.bo, attn.data(), T, h.data(), pool);
    dump("kqv_out", il, h.data(), T, E);
    // Post-LN: residual, then norm (BERT's order).
    for_each_row(pool, T, [&](int64_t r) {
      float* row = h.data() + r * E;
      add(row, x.data() + r * E, E);
      layer_norm(row, E, l.attn_norm_w, l.attn_norm_b, hp_.eps);
    });
    dump("ffn_inp", il, h.data(), T, E);
    feed_forward(l, h.data(), T, x.data(), ffn_scratch.data(), pool);
    dump("ffn_out", il, x.data(), T, E);
    for_each_row(pool, T, [&](int64_t r) {
      float* row = x.data() + r * E;
      add(row, h.data() + r * E, E);
      layer_norm(row, E, l.out_norm_w, l.out_norm_b, hp_.eps);
    });
    dump("l_out", il, x.data(), T, E);
  }
  dump("result_embd", -1, x.data(), T, E);
  return x;
}

}  // namespace trove
