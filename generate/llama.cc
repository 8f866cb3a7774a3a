// generate/llama.cc — the `llama` architecture: Llama 2/3.x, SmolLM2, TinyLlama,
// Mistral. Adjacent-pair RoPE (the GGUF converter permutes Q/K rows for it); Llama 3
// files add rope_freqs.weight, per-pair frequency divisors for long contexts.
#include "generate/model_arch.h"

namespace trove {

const ArchSpec& llama_arch() {
  static const ArchSpec spec{.name = "llama",
                             .rope = RopeStyle::kNorm,
                             .qkv_bias = false,
                             .qk_norm = false,
                             .rope_freqs = true,
                             .default_rope_base = 10000.0f};
  return spec;
}

}  // namespace trove
