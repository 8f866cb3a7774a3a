// generate/model_arch.h — what distinguishes one decoder architecture from another.
//
// The supported architectures share one transformer block (generate/model_session.cc);
// they differ only in the facts below, which each architecture's own file states
// (generate/llama.cc, qwen2.cc, qwen3.cc). Adding an architecture of the same family
// is one new file and one line in model_arch.cc.
#pragma once

#include <span>
#include <string_view>

namespace trove {

// How RoPE pairs the dimensions of a head, as llama.cpp's llama_model_rope_type says.
enum class RopeStyle {
  kNorm,  // adjacent pairs (2i, 2i+1): original LLaMA (GGUF permutes Q/K to suit)
  kNeox,  // halves (i, i + n_rot/2): GPT-NeoX, Qwen
};

struct ArchSpec {
  std::string_view name;  // general.architecture
  RopeStyle rope = RopeStyle::kNorm;
  bool qkv_bias = false;    // blk.N.attn_{q,k,v}.bias are required
  bool qk_norm = false;     // blk.N.attn_{q,k}_norm: per-head RMS norm before RoPE
  bool rope_freqs = false;  // rope_freqs.weight (per-pair frequency factors) may appear
  float default_rope_base = 10000.0f;
};

const ArchSpec& llama_arch();
const ArchSpec& qwen2_arch();
const ArchSpec& qwen3_arch();

// The spec for general.architecture, or nullptr when trove does not support it.
const ArchSpec* find_arch(std::string_view name);
// "llama, qwen2, qwen3", for error messages.
std::string_view supported_arch_names();

}  // namespace trove
