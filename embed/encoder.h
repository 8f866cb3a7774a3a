// embed/encoder.h — BERT-family sentence encoders over a GGUF file.
//
// Owns the forward pass shared by every encoder architecture: token (+ type, +
// position) embeddings, embedding LayerNorm, n post-LN transformer blocks with
// bidirectional attention, pooling (mean / CLS / last) and L2 normalisation.
// XLM-RoBERTa models (bge-m3, multilingual-e5, bge-reranker-*) are "bert" in GGUF:
// the converter drops RoBERTa's two unused position rows (padding_idx + 1), so
// positions start at 0 here too, and they carry one token type. What
// differs per architecture (how q/k/v are produced, positions, the FFN) lives in one
// file each: embed/bert.cc, embed/nomic_bert.cc.
//
// A batch of sequences is packed back to back — rows are all tokens of all
// sequences, with no padding — so every projection is one trove::matmul over the
// whole batch, and attention runs per (sequence, head), which is what a padding mask
// would achieve without computing the padding.
//
// The Encoder holds views into the GgufFile it was loaded from: the file must outlive
// it. embed_batch is const and keeps its scratch on the stack of the call, so several
// threads may call it at once with their own pools.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"
#include "core/tensor.h"
#include "core/thread_pool.h"

namespace trove {

// GGUF <arch>.pooling_type values (llama.cpp's enum).
enum class Pooling : int { kNone = 0, kMean = 1, kCls = 2, kLast = 3, kRank = 4 };

struct EncoderHParams {
  std::string arch;     // general.architecture
  int64_t n_vocab = 0;  // rows of token_embd.weight
  int64_t n_embd = 0;
  int64_t n_layer = 0;
  int64_t n_head = 0;
  int64_t n_ctx = 0;  // longest sequence the model accepts, [CLS] and [SEP] included
  int64_t n_ff = 0;
  int64_t n_token_types = 1;  // rows of token_types.weight (BERT: 2, XLM-R: 1)
  float eps = 1e-12f;
  Pooling pooling = Pooling::kMean;
  float rope_base = 10000.0f;  // rotary architectures only

  int64_t head_dim() const { return n_embd / n_head; }
};

// Called with each named intermediate activation when set: name as llama.cpp's graph
// callbacks spell it ("inp_embd", "inp_norm", "Qcur", "Kcur", "Vcur", "kqv_out",
// "ffn_inp", "ffn_up_b" and "ffn_gelu" (bert), "ffn_out", "l_out", "result_embd"), layer
// (-1 outside blocks), and a
// rows x cols row-major matrix over the packed tokens of the batch.
using EncoderActivationHook = std::function<void(std::string_view name, int layer,
                                                 const float* data, int64_t rows, int64_t cols)>;

// Weights of one block; absent optional tensors have data == nullptr.
struct EncoderLayer {
  TensorView wq, wk, wv, wqkv;  // separate (bert) or fused (nomic-bert)
  const float* bq = nullptr;
  const float* bk = nullptr;
  const float* bv = nullptr;
  TensorView wo;
  const float* bo = nullptr;
  const float* attn_norm_w = nullptr;
  const float* attn_norm_b = nullptr;
  TensorView ffn_up, ffn_gate, ffn_down;
  const float* ffn_up_b = nullptr;
  const float* ffn_down_b = nullptr;
  const float* out_norm_w = nullptr;
  const float* out_norm_b = nullptr;
};

class Encoder {
 public:
  // Picks the architecture from general.architecture; the error names the file and
  // the architecture when it is not an encoder trove knows.
  static Result<std::unique_ptr<Encoder>> load(const GgufFile& file);

  virtual ~Encoder() = default;
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  const EncoderHParams& hparams() const { return hp_; }

  // One pooled, L2-normalised vector of n_embd floats per sequence. Each sequence must
  // hold 1..n_ctx valid token ids (the caller adds [CLS]/[SEP] and truncates).
  std::vector<std::vector<float>> embed_batch(const std::vector<std::vector<int32_t>>& seqs,
                                              ThreadPool* pool) const;

  // The final hidden states of every token of the packed batch, [tokens][n_embd].
  // segments, when given, holds each token's type ("sentence A" 0 / "B" 1), one
  // vector per sequence of the same length; ids past the file's token types read
  // row 0. Without it every token is type 0.
  std::vector<float> forward(const std::vector<std::vector<int32_t>>& seqs,
                             const std::vector<std::vector<int32_t>>* segments,
                             ThreadPool* pool) const;

  void set_activation_hook(EncoderActivationHook hook) { hook_ = std::move(hook); }

 protected:
  Encoder() = default;

  // Architecture steps over the packed batch (rows = tokens). `pos` holds each row's
  // position within its sequence.
  // Adds position information to the summed token embeddings (BERT's table), if any.
  virtual void add_position_embeddings(float* x, const std::vector<int32_t>& pos,
                                       ThreadPool* pool) const = 0;
  // q, k, v [rows][n_embd] from the block input x [rows][n_embd].
  virtual void project_qkv(const EncoderLayer& l, const float* x, int64_t rows,
                           const std::vector<int32_t>& pos, float* q, float* k, float* v,
                           ThreadPool* pool) const = 0;
  // out [rows][n_embd] = FFN(x); scratch holds at least 2 * rows * n_ff floats.
  virtual void feed_forward(const EncoderLayer& l, const float* x, int64_t rows, float* out,
                            float* scratch, ThreadPool* pool) const = 0;

  // Shared loading helpers: errors name the file and the tensor.
  Status load_common(const GgufFile& file, std::string_view arch);
  Result<TensorView> matrix(const GgufFile& file, const std::string& name, int64_t cols,
                            int64_t rows) const;
  Result<const float*> vector_f32(const GgufFile& file, const std::string& name, int64_t n,
                                  bool required) const;

  // y[rows][w.rows] = x · wᵀ (+ bias), activations rounded as the reference does
  // (embed/reference_matmul.h).
  static void linear(const TensorView& w, const float* bias, const float* x, int64_t rows, float* y,
                     ThreadPool* pool);
  void dump(std::string_view name, int layer, const float* data, int64_t rows, int64_t cols) const {
    if (hook_) hook_(name, layer, data, rows, cols);
  }

  EncoderHParams hp_;
  std::vector<EncoderLayer> layers_;
  TensorView token_embd_;
  std::vector<float> token_types_;  // token_types.weight [n_token_types][n_embd], or one zero row
  const float* embd_norm_w_ = nullptr;
  const float* embd_norm_b_ = nullptr;

 private:
  void embed_tokens(const std::vector<std::vector<int32_t>>& seqs,
                    const std::vector<std::vector<int32_t>>* segments, float* x,
                    ThreadPool* pool) const;
  void attention(const std::vector<std::vector<int32_t>>& seqs, const float* q, const float* k,
                 const float* v, float* out, ThreadPool* pool) const;
  std::vector<std::vector<float>> pool_and_normalise(const std::vector<std::vector<int32_t>>& seqs,
                                                     const float* x) const;

  EncoderActivationHook hook_;
};

// Per-architecture factories (embed/bert.cc, embed/nomic_bert.cc).
Result<std::unique_ptr<Encoder>> load_bert_encoder(const GgufFile& file);
Result<std::unique_ptr<Encoder>> load_nomic_bert_encoder(const GgufFile& file);

// Row-parallel helper: fn(row) for rows [0, n) over the pool (inline when pool is null).
void for_each_row(ThreadPool* pool, int64_t n, const std::function<void(int64_t)>& fn);

}  // namespace trove
