// generate/qwen3.cc — the `qwen3` architecture: no Q/K/V biases, an RMS norm over
// each query and key head (attn_q_norm / attn_k_norm) before NeoX-style RoPE, and a
// head dimension given by qwen3.attention.key_length (128) rather than n_embd / n_head.
#include "generate/model_arch.h"

namespace trove {

const ArchSpec& qwen3_arch() {
  static const ArchSpec spec{.name = "qwen3",
                             .rope = RopeStyle::kNeox,
                             .qkv_bias = false,
                             .qk_norm = true,
                             .rope_freqs = false,
                             .default_rope_base = 10000.0f};
  return spec;
}

}  // namespace trove
