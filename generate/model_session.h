// generate/model_session.h — one run of a decoder: its KV cache, scratch buffers and
// position, and the forward pass shared by every supported architecture.
//
//   auto session = DecoderSession::create(model, {.n_ctx = 4096, .pool = &pool});
//   auto logits = session->eval(prompt_ids);   // logits of the last prompt token
//   logits = session->eval({{next_id}});       // one more token
//
// Prompts go through in batches of n_batch tokens with matrix-matrix products; a
// single token uses matrix-vector products, so decoding reads each weight byte once.
// A session is used by one thread at a time (it drives the pool itself); the model it
// refers to must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "core/result.h"
#include "core/thread_pool.h"
#include "generate/kv_cache.h"
#include "generate/model.h"

namespace trove {

// An intermediate activation, named as llama.cpp's graph callbacks name it ("attn_norm",
// "Qcur", "kqv_out", "ffn_out", "l_out", "result_norm", "result_output", ...), so a
// layer can be dumped and compared with a reference when outputs disagree.
struct Activation {
  std::string_view name;
  int64_t layer = -1;  // -1 outside the blocks
  const float* data = nullptr;
  int64_t n_tokens = 0;
  int64_t width = 0;  // floats per token, rows are contiguous
};
using ActivationHook = std::function<void(const Activation&)>;

struct SessionOptions {
  int64_t n_ctx = 0;      // 0: the training context, capped at kDefaultMaxCtx
  int64_t n_batch = 512;  // prompt tokens per forward pass
  KvType kv_type = KvType::kF16;
  ThreadPool* pool = nullptr;  // null: single-threaded; not owned
  ActivationHook on_activation;

  static constexpr int64_t kDefaultMaxCtx = 4096;
};

class DecoderSession {
 public:
  static Result<DecoderSession> create(const DecoderModel& model, const SessionOptions& opts);

  DecoderSession(DecoderSession&&) noexcept;
  DecoderSession& operator=(DecoderSession&&) noexcept;
  ~DecoderSession();

  // Appends tokens at positions n_past().. and returns the logits (n_vocab floats) of
  // the last one; the span stays valid until the next eval. Fails, changing nothing,
  // when a token id is out of range or the tokens do not fit in the context.
  Result<std::span<const float>> eval(std::span<const int32_t> tokens);

  int64_t n_past() const;
  int64_t n_ctx() const;
  void reset();  // forget all positions
  const DecoderModel& model() const;
  uint64_t kv_bytes() const;

 private:
  struct State;
  explicit DecoderSession(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

}  // namespace trove
