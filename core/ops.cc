// core/ops.cc — the float row operations of core/ops.h. Plain loops written so GCC
// vectorises them (no aliasing between in/out pointers is assumed where it matters);
// their cost is small next to the matrix products.
#include "core/ops.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace trove {

void layer_norm(float* x, int64_t n, const float* w, const float* b, float eps) {
  if (n <= 0) return;
  // Two passes (mean, then variance of the centred values) avoid the cancellation of
  // E[x^2] - E[x]^2 on activations with a large mean. Sums run in double and the
  // float steps are ggml's (mean and variance rounded to float, centred values and
  // their squares in float, scale = 1 / sqrtf(var + eps)), so the result is the
  // reference's bit for bit: a last-bit difference here flips the fp16/Q8_0 rounding
  // of the next matmul's input and the random-weight fixtures amplify that far past
  // the 1e-3 bar on reranker scores.
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]);
  const auto mean = static_cast<float>(sum / static_cast<double>(n));
  double sum2 = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i] - mean;
    x[i] = v;
    sum2 += static_cast<double>(v * v);
  }
  const auto var = static_cast<float>(sum2 / static_cast<double>(n));
  const float inv = 1.0f / std::sqrt(var + eps);
  for (int64_t i = 0; i < n; ++i) x[i] *= inv;
  if (w != nullptr) {
    for (int64_t i = 0; i < n; ++i) x[i] *= w[i];
  }
  if (b != nullptr) {
    for (int64_t i = 0; i < n; ++i) x[i] += b[i];
  }
}

void rms_norm(float* x, int64_t n, const float* w, float eps) {
  if (n <= 0) return;
  float ss = 0.0f;
  for (int64_t i = 0; i < n; ++i) ss += x[i] * x[i];
  const float inv = 1.0f / std::sqrt(ss / static_cast<float>(n) + eps);
  if (w != nullptr) {
    for (int64_t i = 0; i < n; ++i) x[i] = x[i] * inv * w[i];
  } else {
    for (int64_t i = 0; i < n; ++i) x[i] *= inv;
  }
}

void softmax(float* x, int64_t n) {
  if (n <= 0) return;
  float mx = -std::numeric_limits<float>::infinity();
  for (int64_t i = 0; i < n; ++i) mx = std::max(mx, x[i]);
  if (mx == -std::numeric_limits<float>::infinity()) {
    // Everything masked: no entry may receive weight (exp(-inf - -inf) would be NaN).
    std::fill(x, x + n, 0.0f);
    return;
  }
  float sum = 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - mx);  // exp(-inf) = 0 for masked entries
    sum += x[i];
  }
  const float inv = 1.0f / sum;
  for (int64_t i = 0; i < n; ++i) x[i] *= inv;
}

void gelu(float* x, int64_t n) {
  constexpr float kSqrt2OverPi = 0.79788456080286535588f;
  constexpr float kCoef = 0.044715f;
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i];
    x[i] = 0.5f * v * (1.0f + std::tanh(kSqrt2OverPi * v * (1.0f + kCoef * v * v)));
  }
}

void gelu_erf(float* x, int64_t n) {
  constexpr float kInvSqrt2 = 0.70710678118654752440f;
  for (int64_t i = 0; i < n; ++i) x[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * kInvSqrt2));
}

void silu(float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) x[i] = x[i] / (1.0f + std::exp(-x[i]));
}

void swiglu(const float* gate, const float* up, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

void add(float* x, const float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) x[i] += y[i];
}

void scale(float* x, float s, int64_t n) {
  for (int64_t i = 0; i < n; ++i) x[i] *= s;
}

float dot_f32(const float* a, const float* b, int64_t n) {
  // Eight partial sums break the add dependency chain and let GCC use full vectors
  // without -ffast-math.
  float acc[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 8; ++k) acc[k] += a[i + k] * b[i + k];
  }
  float sum = 0.0f;
  for (; i < n; ++i) sum += a[i] * b[i];
  for (float v : acc) sum += v;
  return sum;
}

// As GGML's rope (ggml-cpu.c, ext_factor = 0, attn_factor = 1, freq_scale = 1): pair k
// (k < n_rot/2) turns by pos * base^(-2k/n_rot) / freq_factors[k]; the angle is built
// by repeated multiplication in float like GGML's cache so results match it closely.
// Elements past n_rot are left as they are.
void rope(float* x, [[maybe_unused]] int64_t head_dim, int64_t n_rot, int64_t pos, float freq_base,
          bool neox, const float* freq_factors) {
  assert(n_rot % 2 == 0 && n_rot <= head_dim);
  const float theta_scale = std::pow(freq_base, -2.0f / static_cast<float>(n_rot));
  float theta = static_cast<float>(pos);
  const int64_t half = n_rot / 2;
  for (int64_t k = 0; k < half; ++k) {
    const float ff = freq_factors != nullptr ? freq_factors[k] : 1.0f;
    const float angle = theta / ff;
    const float c = std::cos(angle);
    const float s = std::sin(angle);
    // NEOX pairs element k with k + n_rot/2; the original layout pairs 2k with 2k+1.
    const int64_t i0 = neox ? k : 2 * k;
    const int64_t i1 = neox ? k + half : 2 * k + 1;
    const float x0 = x[i0];
    const float x1 = x[i1];
    x[i0] = x0 * c - x1 * s;
    x[i1] = x0 * s + x1 * c;
    theta *= theta_scale;
  }
}

}  // namespace trove
