// generate/model.cc — loading and checking a decoder's tensors (names as in
// llama.cpp's llama-arch.cpp; shapes as GGUF ne: ne[0] is the row length).
#include "generate/model.h"

#include <string>

#include "core/kernels.h"

namespace trove {
namespace {

std::string shape_str(int64_t ne0, int64_t ne1) {
  return "[" + std::to_string(ne0) + ", " + std::to_string(ne1) + "]";
}

std::string shape_str(const GgufTensorInfo& t) {
  std::string s = "[";
  for (int i = 0; i < t.n_dims; ++i) s += (i ? ", " : "") + std::to_string(t.ne[i]);
  return s + "]";
}

std::string blk(int64_t layer, const char* name) {
  return "blk." + std::to_string(layer) + "." + name;
}

// Finds tensors by name and checks their shape and type; every error names the file,
// the tensor, and the expected versus found shape.
class TensorLoader {
 public:
  explicit TensorLoader(const GgufFile& f) : f_(f) {}

  const GgufTensorInfo* find(const std::string& name) const { return f_.find_tensor(name); }

  Result<TensorView> matrix(const std::string& name, int64_t ne0, int64_t ne1) const {
    const GgufTensorInfo* t = f_.find_tensor(name);
    if (t == nullptr) {
      return make_error(f_.path() + ": tensor " + name + " is missing (expected shape " +
                        shape_str(ne0, ne1) + ")");
    }
    if (t->ne[0] != ne0 || t->ne[1] != ne1 || t->ne[2] != 1 || t->ne[3] != 1) {
      return make_error(f_.path() + ": tensor " + name + " has shape " + shape_str(*t) +
                        ", expected " + shape_str(ne0, ne1));
    }
    const TypeTraits* tr = type_traits(t->type);
    if (tr == nullptr || !tr->supported) {
      return make_error(f_.path() + ": tensor " + name + " has type " +
                        std::string(tr ? tr->name : "unknown") + ", which trove cannot multiply");
    }
    return TensorView::of(*t);
  }

  // A 1-D tensor of n elements, converted to float.
  Result<std::vector<float>> vector(const std::string& name, int64_t n) const {
    auto m = matrix(name, n, 1);
    if (!m.ok()) return m.error();
    std::vector<float> out(static_cast<size_t>(n));
    dequantize_row(m->type, m->data, out.data(), n);
    return out;
  }

  Result<std::vector<float>> optional_vector(const std::string& name, int64_t n) const {
    if (f_.find_tensor(name) == nullptr) return std::vector<float>{};
    return vector(name, n);
  }

 private:
  const GgufFile& f_;
};

#define TROVE_ASSIGN(lhs, expr)      \
  do {                               \
    auto r_ = (expr);                \
    if (!r_.ok()) return r_.error(); \
    (lhs) = std::move(r_).value();   \
  } while (0)

Result<DecoderLayer> load_layer(const TensorLoader& tl, const DecoderParams& p, int64_t i) {
  const ArchSpec& a = *p.arch;
  DecoderLayer l;
  TROVE_ASSIGN(l.attn_norm, tl.vector(blk(i, "attn_norm.weight"), p.n_embd));
  TROVE_ASSIGN(l.wq, tl.matrix(blk(i, "attn_q.weight"), p.n_embd, p.q_width()));
  TROVE_ASSIGN(l.wk, tl.matrix(blk(i, "attn_k.weight"), p.n_embd, p.k_width()));
  TROVE_ASSIGN(l.wv, tl.matrix(blk(i, "attn_v.weight"), p.n_embd, p.v_width()));
  TROVE_ASSIGN(l.wo, tl.matrix(blk(i, "attn_output.weight"), p.n_head * p.head_dim_v, p.n_embd));
  if (a.qkv_bias) {
    TROVE_ASSIGN(l.bq, tl.vector(blk(i, "attn_q.bias"), p.q_width()));
    TROVE_ASSIGN(l.bk, tl.vector(blk(i, "attn_k.bias"), p.k_width()));
    TROVE_ASSIGN(l.bv, tl.vector(blk(i, "attn_v.bias"), p.v_width()));
  }
  if (a.qk_norm) {
    TROVE_ASSIGN(l.q_norm, tl.vector(blk(i, "attn_q_norm.weight"), p.head_dim));
    TROVE_ASSIGN(l.k_norm, tl.vector(blk(i, "attn_k_norm.weight"), p.head_dim));
  }
  TROVE_ASSIGN(l.ffn_norm, tl.vector(blk(i, "ffn_norm.weight"), p.n_embd));
  TROVE_ASSIGN(l.w_gate, tl.matrix(blk(i, "ffn_gate.weight"), p.n_embd, p.n_ff));
  TROVE_ASSIGN(l.w_up, tl.matrix(blk(i, "ffn_up.weight"), p.n_embd, p.n_ff));
  TROVE_ASSIGN(l.w_down, tl.matrix(blk(i, "ffn_down.weight"), p.n_ff, p.n_embd));
  return l;
}

Result<DecoderWeights> load_weights(const GgufFile& f, const DecoderParams& p) {
  TensorLoader tl(f);
  DecoderWeights w;
  TROVE_ASSIGN(w.token_embd, tl.matrix("token_embd.weight", p.n_embd, p.n_vocab));
  TROVE_ASSIGN(w.output_norm, tl.vector("output_norm.weight", p.n_embd));
  if (tl.find("output.weight") != nullptr) {
    TROVE_ASSIGN(w.output, tl.matrix("output.weight", p.n_embd, p.n_vocab));
  } else {
    w.output = w.token_embd;  // tied embeddings (Qwen2.5, Llama 3.2, SmolLM2)
    w.tied_output = true;
  }
  if (p.arch->rope_freqs) {
    TROVE_ASSIGN(w.rope_freqs, tl.optional_vector("rope_freqs.weight", p.n_rot / 2));
  }
  w.layers.reserve(static_cast<size_t>(p.n_layer));
  for (int64_t i = 0; i < p.n_layer; ++i) {
    DecoderLayer layer;
    TROVE_ASSIGN(layer, load_layer(tl, p, i));
    w.layers.push_back(std::move(layer));
  }
  return w;
}

#undef TROVE_ASSIGN

uint64_t matrix_bytes(const TensorView& t) {
  return t.row_bytes * static_cast<uint64_t>(t.rows);
}

}  // namespace

Result<DecoderModel> DecoderModel::open(const std::string& path) {
  auto file = GgufFile::open(path);
  if (!file.ok()) return file.error();
  return from_gguf(std::move(file).value());
}

Result<DecoderModel> DecoderModel::from_gguf(GgufFile file) {
  DecoderModel m;
  m.file_ = std::make_unique<GgufFile>(std::move(file));
  auto params = read_decoder_params(*m.file_);
  if (!params.ok()) return params.error();
  m.params_ = *params;
  auto weights = load_weights(*m.file_, m.params_);
  if (!weights.ok()) return weights.error();
  m.weights_ = std::move(weights).value();
  return m;
}

uint64_t DecoderModel::weight_bytes_per_token() const {
  uint64_t total = matrix_bytes(weights_.output);
  for (const DecoderLayer& l : weights_.layers) {
    for (const TensorView* t : {&l.wq, &l.wk, &l.wv, &l.wo, &l.w_gate, &l.w_up, &l.w_down}) {
      total += matrix_bytes(*t);
    }
  }
  return total;
}

}  // namespace trove
