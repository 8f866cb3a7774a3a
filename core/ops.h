// core/ops.h — element-wise and row operations on float activations shared by the
// encoder and decoder models. All operate in place or on caller-owned buffers; none
// allocate. Vectorised by the compiler or by hand; each has a plain C++ twin in tests.
#pragma once

#include <cstdint>

namespace trove {

// x = (x - mean) / sqrt(var + eps) * w + b   (w, b may be null)
void layer_norm(float* x, int64_t n, const float* w, const float* b, float eps);
// x = x / sqrt(mean(x^2) + eps) * w          (w may be null)
void rms_norm(float* x, int64_t n, const float* w, float eps);
// In-place softmax over n values; returns nothing, handles -inf entries.
void softmax(float* x, int64_t n);
// GELU, tanh approximation (as GGML's gelu) and exact erf form.
void gelu(float* x, int64_t n);
void gelu_erf(float* x, int64_t n);
// out = silu(gate) * up
void swiglu(const float* gate, const float* up, float* out, int64_t n);
void silu(float* x, int64_t n);
void add(float* x, const float* y, int64_t n);     // x += y
void scale(float* x, float s, int64_t n);          // x *= s
float dot_f32(const float* a, const float* b, int64_t n);

// Rotary position embedding on one head vector of head_dim floats at position pos.
// neox=true rotates pairs (i, i + n_rot/2) (GPT-NeoX / Qwen / nomic-bert style);
// neox=false rotates adjacent pairs (2i, 2i+1) (original LLaMA style).
// freq_factors (may be null) divides each pair's frequency (Llama 3 rope_freqs).
void rope(float* x, int64_t head_dim, int64_t n_rot, int64_t pos, float freq_base,
          bool neox, const float* freq_factors);

}  // namespace trove
