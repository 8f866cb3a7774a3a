// generate/model.h — a loaded decoder-only model: the mapped GGUF file, its
// hyper-parameters and views of every weight.
//
//   auto model = DecoderModel::open("qwen2.5-0.5b-q4_k_m.gguf");
//   if (!model.ok()) { ... model.error().message ... }
//   auto session = DecoderSession::create(*model, {});   // generate/model_session.h
//
// A DecoderModel is immutable after loading and safe to share between threads; the
// per-run state (KV cache, scratch) lives in DecoderSession. Large matrices are views
// into the read-only mapping (no copies); the small 1-D vectors (norms, biases, RoPE
// factors) are converted to float once at load so the forward pass never dispatches
// on their type.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"
#include "core/tensor.h"
#include "generate/model_params.h"

namespace trove {

struct DecoderLayer {
  std::vector<float> attn_norm;       // [n_embd]
  TensorView wq, wk, wv, wo;          // [q_width x n_embd] ... wo [n_embd x n_head*hd_v]
  std::vector<float> bq, bk, bv;      // empty when the architecture has no biases
  std::vector<float> q_norm, k_norm;  // [head_dim], qwen3 only
  std::vector<float> ffn_norm;        // [n_embd]
  TensorView w_gate, w_up, w_down;    // [n_ff x n_embd], [n_ff x n_embd], [n_embd x n_ff]
};

struct DecoderWeights {
  TensorView token_embd;           // [n_vocab x n_embd]
  std::vector<float> output_norm;  // [n_embd]
  TensorView output;               // [n_vocab x n_embd]; token_embd when tied
  bool tied_output = false;
  std::vector<float> rope_freqs;  // [n_rot / 2] or empty
  std::vector<DecoderLayer> layers;
};

class DecoderModel {
 public:
  static Result<DecoderModel> open(const std::string& path);
  // Takes ownership of an opened file (the weights point into its mapping).
  static Result<DecoderModel> from_gguf(GgufFile file);

  DecoderModel(DecoderModel&&) noexcept = default;
  DecoderModel& operator=(DecoderModel&&) noexcept = default;

  const GgufFile& gguf() const { return *file_; }
  const DecoderParams& params() const { return params_; }
  const DecoderWeights& weights() const { return weights_; }
  // Bytes of weights a decode step reads (every matrix once, the embedding row aside).
  uint64_t weight_bytes_per_token() const;

 private:
  DecoderModel() = default;
  std::unique_ptr<GgufFile> file_;  // heap-held so views survive moves of the model
  DecoderParams params_;
  DecoderWeights weights_;
};

}  // namespace trove
