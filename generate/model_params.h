// generate/model_params.h — the hyper-parameters of a decoder-only model, read from
// GGUF metadata keys (<arch>.embedding_length, ...) and never guessed from names.
#pragma once

#include <cstdint>
#include <string>

#include "core/gguf.h"
#include "core/result.h"
#include "generate/model_arch.h"

namespace trove {

struct DecoderParams {
  const ArchSpec* arch = nullptr;  // never null once read
  int64_t n_vocab = 0;
  int64_t n_embd = 0;
  int64_t n_layer = 0;
  int64_t n_head = 0;
  int64_t n_head_kv = 0;
  int64_t head_dim = 0;    // of queries and keys (qwen3: 128, not n_embd / n_head)
  int64_t head_dim_v = 0;  // of values
  int64_t n_ff = 0;
  int64_t n_ctx_train = 0;
  int64_t n_rot = 0;  // leading dimensions of each head that RoPE rotates
  float rope_freq_base = 10000.0f;
  float rms_eps = 1e-5f;

  int64_t q_width() const { return n_head * head_dim; }
  int64_t k_width() const { return n_head_kv * head_dim; }
  int64_t v_width() const { return n_head_kv * head_dim_v; }
};

// Reads and checks the parameters (the vocabulary size comes from token_embd).
// Errors name the file and the key, and what was expected versus found.
Result<DecoderParams> read_decoder_params(const GgufFile& file);

}  // namespace trove
