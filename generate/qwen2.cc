// generate/qwen2.cc — the `qwen2` architecture (Qwen2, Qwen2.5): biases on the Q, K
// and V projections and NeoX-style (split-half) RoPE, base 1e6 in released models.
#include "generate/model_arch.h"

namespace trove {

const ArchSpec& qwen2_arch() {
  static const ArchSpec spec{.name = "qwen2",
                             .rope = RopeStyle::kNeox,
                             .qkv_bias = true,
                             .qk_norm = false,
                             .rope_freqs = false,
                             .default_rope_base = 10000.0f};
  return spec;
}

}  // namespace trove
