// embed/nomic_bert.cc — the "nomic-bert" architecture (nomic-embed-text): no position
// table but rotary positions (NEOX pairing, base from <arch>.rope.freq_base) on q and
// k, one fused q/k/v projection without biases, and a SwiGLU FFN:
// down(silu(gate(x)) * up(x)), as llama.cpp's build_bert runs it for this architecture.
#include <cstring>

#include "core/ops.h"
#include "embed/encoder.h"

namespace trove {
namespace {

class NomicBertEncoder final : public Encoder {
 public:
  Status load(const GgufFile& file) {
    TROVE_TRY(load_common(file, "nomic-bert"));
    hp_.rope_base = static_cast<float>(file.float_or("nomic-bert.rope.freq_base", 1000.0));
    for (int64_t il = 0; il < hp_.n_layer; ++il) {
      EncoderLayer& l = layers_[static_cast<size_t>(il)];
      const std::string p = "blk." + std::to_string(il) + ".";
      auto qkv = matrix(file, p + "attn_qkv.weight", hp_.n_embd, 3 * hp_.n_embd);
      if (!qkv.ok()) return qkv.error();
      l.wqkv = *qkv;
      auto gate = matrix(file, p + "ffn_gate.weight", hp_.n_embd, hp_.n_ff);
      if (!gate.ok()) return gate.error();
      l.ffn_gate = *gate;
    }
    return {};
  }

 protected:
  void add_position_embeddings(float*, const std::vector<int32_t>&, ThreadPool*) const override {}

  void project_qkv(const EncoderLayer& l, const float* x, int64_t rows,
                   const std::vector<int32_t>& pos, float* q, float* k, float* v,
                   ThreadPool* pool) const override {
    const int64_t E = hp_.n_embd;
    const int64_t d = hp_.head_dim();
    std::vector<float> qkv(static_cast<size_t>(rows * 3 * E));
    linear(l.wqkv, nullptr, x, rows, qkv.data(), pool);  // "wqkv": rows of [q | k | v]
    for_each_row(pool, rows, [&](int64_t r) {
      const float* src = qkv.data() + r * 3 * E;
      float* qr = q + r * E;
      float* kr = k + r * E;
      std::memcpy(qr, src, static_cast<size_t>(E) * sizeof(float));
      std::memcpy(kr, src + E, static_cast<size_t>(E) * sizeof(float));
      std::memcpy(v + r * E, src + 2 * E, static_cast<size_t>(E) * sizeof(float));
      const int32_t p = pos[static_cast<size_t>(r)];
      for (int64_t h = 0; h < hp_.n_head; ++h) {
        rope(qr + h * d, d, d, p, hp_.rope_base, /*neox=*/true, nullptr);
        rope(kr + h * d, d, d, p, hp_.rope_base, /*neox=*/true, nullptr);
      }
    });
  }

  void feed_forward(const EncoderLayer& l, const float* x, int64_t rows, float* out, float* scratch,
                    ThreadPool* pool) const override {
    const int64_t F = hp_.n_ff;
    float* up = scratch;
    float* gate = scratch + rows * F;
    linear(l.ffn_up, nullptr, x, rows, up, pool);
    linear(l.ffn_gate, nullptr, x, rows, gate, pool);
    for_each_row(pool, rows, [&](int64_t r) {
      // swiglu may write in place over `up`: out = silu(gate) * up
      swiglu(gate + r * F, up + r * F, up + r * F, F);
    });
    linear(l.ffn_down, nullptr, up, rows, out, pool);
  }
};

}  // namespace

Result<std::unique_ptr<Encoder>> load_nomic_bert_encoder(const GgufFile& file) {
  auto enc = std::unique_ptr<NomicBertEncoder>(new NomicBertEncoder());
  TROVE_TRY(enc->load(file));
  return std::unique_ptr<Encoder>(std::move(enc));
}

}  // namespace trove
