// embed/bert.cc — the "bert" architecture (BERT, bge, MiniLM, e5, arctic-embed ...):
// learned absolute position table, separate biased q/k/v projections, and a GELU FFN
// with biases (up -> GELU -> down).
#include <algorithm>
#include <tuple>

#include "core/kernels.h"
#include "core/ops.h"
#include "embed/encoder.h"
#include "embed/gelu_table.h"

namespace trove {
namespace {

class BertEncoder final : public Encoder {
 public:
  Status load(const GgufFile& file) {
    TROVE_TRY(load_common(file, "bert"));
    const GgufTensorInfo* pe = file.find_tensor("position_embd.weight");
    if (pe == nullptr)
      return make_error(file.path() + ": missing tensor position_embd.weight (bert)");
    if (pe->ne[0] != hp_.n_embd || pe->n_rows() < hp_.n_ctx) {
      return make_error(file.path() + ": tensor position_embd.weight has " +
                        std::to_string(pe->n_rows()) + " rows of " + std::to_string(pe->ne[0]) +
                        ", expected at least " + std::to_string(hp_.n_ctx) + " rows of " +
                        std::to_string(hp_.n_embd));
    }
    if (!type_traits(pe->type) || !type_traits(pe->type)->supported) {
      return make_error(file.path() + ": tensor position_embd.weight has an unsupported type");
    }
    // Dequantized once: n_ctx rows are small (512 x 384 floats for bge-small).
    const TensorView table = TensorView::of(*pe);
    positions_.resize(static_cast<size_t>(hp_.n_ctx * hp_.n_embd));
    for (int64_t p = 0; p < hp_.n_ctx; ++p) {
      dequantize_row(table.type, table.row(p), positions_.data() + p * hp_.n_embd, hp_.n_embd);
    }
    for (int64_t il = 0; il < hp_.n_layer; ++il) {
      EncoderLayer& l = layers_[static_cast<size_t>(il)];
      const std::string p = "blk." + std::to_string(il) + ".";
      for (auto [name, w, b] :
           {std::tuple{"attn_q", &l.wq, &l.bq}, std::tuple{"attn_k", &l.wk, &l.bk},
            std::tuple{"attn_v", &l.wv, &l.bv}}) {
        auto m = matrix(file, p + name + ".weight", hp_.n_embd, hp_.n_embd);
        if (!m.ok()) return m.error();
        *w = *m;
        auto bias = vector_f32(file, p + name + ".bias", hp_.n_embd, false);
        if (!bias.ok()) return bias.error();
        *b = *bias;
      }
    }
    return {};
  }

 protected:
  void add_position_embeddings(float* x, const std::vector<int32_t>& pos,
                               ThreadPool* pool) const override {
    const int64_t E = hp_.n_embd;
    for_each_row(pool, static_cast<int64_t>(pos.size()), [&](int64_t r) {
      const int64_t p = std::min<int64_t>(pos[static_cast<size_t>(r)], hp_.n_ctx - 1);
      add(x + r * E, positions_.data() + p * E, E);
    });
  }

  void project_qkv(const EncoderLayer& l, const float* x, int64_t rows,
                   const std::vector<int32_t>& /*pos*/, float* q, float* k, float* v,
                   ThreadPool* pool) const override {
    linear(l.wq, l.bq, x, rows, q, pool);
    linear(l.wk, l.bk, x, rows, k, pool);
    linear(l.wv, l.bv, x, rows, v, pool);
  }

  // GELU in the tanh form through ggml's fp16 table, as the reference computes it.
  void feed_forward(const EncoderLayer& l, const float* x, int64_t rows, float* out, float* scratch,
                    ThreadPool* pool) const override {
    const int64_t F = hp_.n_ff;
    linear(l.ffn_up, l.ffn_up_b, x, rows, scratch, pool);
    const int il = static_cast<int>(&l - layers_.data());
    dump("ffn_up_b", il, scratch, rows, F);
    const GeluTable& table = GeluTable::get();
    for_each_row(pool, rows, [&](int64_t r) { table.apply(scratch + r * F, F); });
    dump("ffn_gelu", il, scratch, rows, F);
    linear(l.ffn_down, l.ffn_down_b, scratch, rows, out, pool);
  }

 private:
  std::vector<float> positions_;  // [n_ctx][n_embd]
};

}  // namespace

Result<std::unique_ptr<Encoder>> load_bert_encoder(const GgufFile& file) {
  auto enc = std::unique_ptr<BertEncoder>(new BertEncoder());
  TROVE_TRY(enc->load(file));
  return std::unique_ptr<Encoder>(std::move(enc));
}

}  // namespace trove
