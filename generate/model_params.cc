// generate/model_params.cc — reading DecoderParams from GGUF metadata.
#include "generate/model_params.h"

#include <string>

namespace trove {
namespace {

std::string key_of(const ArchSpec& arch, std::string_view suffix) {
  return std::string(arch.name) + "." + std::string(suffix);
}

// A required positive integer key, bounded so that a corrupt file cannot make us
// allocate absurd buffers.
Result<int64_t> positive(const GgufFile& f, const std::string& key, int64_t max) {
  auto v = f.get_uint(key);
  if (!v.ok()) return v.error();
  if (*v == 0 || *v > static_cast<uint64_t>(max)) {
    return make_error(f.path() + ": metadata key " + key + " must be in 1.." + std::to_string(max) +
                      ", found " + std::to_string(*v));
  }
  return static_cast<int64_t>(*v);
}

Result<int64_t> positive_or(const GgufFile& f, const std::string& key, int64_t dflt, int64_t max) {
  if (!f.has(key)) return dflt;
  return positive(f, key, max);
}

Status check(bool ok, const GgufFile& f, const std::string& what) {
  if (ok) return {};
  return make_error(f.path() + ": " + what);
}

constexpr int64_t kMaxDim = int64_t{1} << 20;

}  // namespace

Result<DecoderParams> read_decoder_params(const GgufFile& f) {
  auto arch_name = f.get_string("general.architecture");
  if (!arch_name.ok()) return arch_name.error();
  const ArchSpec* arch = find_arch(*arch_name);
  if (arch == nullptr) {
    return make_error(
        f.path() + ": architecture '" + std::string(*arch_name) +
        "' is not a supported decoder (supported: " + std::string(supported_arch_names()) + ")");
  }
  const ArchSpec& a = *arch;
  DecoderParams p;
  p.arch = arch;

  auto n_embd = positive(f, key_of(a, "embedding_length"), kMaxDim);
  if (!n_embd.ok()) return n_embd.error();
  p.n_embd = *n_embd;
  auto n_layer = positive(f, key_of(a, "block_count"), 4096);
  if (!n_layer.ok()) return n_layer.error();
  p.n_layer = *n_layer;
  auto n_head = positive(f, key_of(a, "attention.head_count"), 4096);
  if (!n_head.ok()) return n_head.error();
  p.n_head = *n_head;
  auto n_head_kv = positive_or(f, key_of(a, "attention.head_count_kv"), p.n_head, 4096);
  if (!n_head_kv.ok()) return n_head_kv.error();
  p.n_head_kv = *n_head_kv;
  TROVE_TRY(check(p.n_head % p.n_head_kv == 0, f,
                  "attention.head_count (" + std::to_string(p.n_head) +
                      ") must be a multiple of attention.head_count_kv (" +
                      std::to_string(p.n_head_kv) + ")"));

  const int64_t dflt_head = p.n_embd / p.n_head;
  auto head_dim = positive_or(f, key_of(a, "attention.key_length"), dflt_head, 65536);
  if (!head_dim.ok()) return head_dim.error();
  p.head_dim = *head_dim;
  auto head_dim_v = positive_or(f, key_of(a, "attention.value_length"), dflt_head, 65536);
  if (!head_dim_v.ok()) return head_dim_v.error();
  p.head_dim_v = *head_dim_v;
  TROVE_TRY(check(p.head_dim > 0 && p.head_dim_v > 0, f,
                  "head dimension is 0 (embedding_length " + std::to_string(p.n_embd) +
                      " < head_count " + std::to_string(p.n_head) + ")"));

  auto n_ff = positive(f, key_of(a, "feed_forward_length"), 4 * kMaxDim);
  if (!n_ff.ok()) return n_ff.error();
  p.n_ff = *n_ff;
  auto n_ctx = positive(f, key_of(a, "context_length"), int64_t{1} << 24);
  if (!n_ctx.ok()) return n_ctx.error();
  p.n_ctx_train = *n_ctx;
  auto n_rot = positive_or(f, key_of(a, "rope.dimension_count"), p.head_dim, 65536);
  if (!n_rot.ok()) return n_rot.error();
  p.n_rot = *n_rot;
  TROVE_TRY(check(p.n_rot <= p.head_dim && p.n_rot % 2 == 0, f,
                  "rope.dimension_count must be even and at most the head dimension " +
                      std::to_string(p.head_dim) + ", found " + std::to_string(p.n_rot)));

  p.rope_freq_base =
      static_cast<float>(f.float_or(key_of(a, "rope.freq_base"), a.default_rope_base));
  auto eps = f.get_float(key_of(a, "attention.layer_norm_rms_epsilon"));
  if (!eps.ok()) return eps.error();
  p.rms_eps = static_cast<float>(*eps);
  TROVE_TRY(check(p.rope_freq_base > 0 && p.rms_eps >= 0, f,
                  "rope.freq_base must be positive and the RMS epsilon non-negative"));

  const GgufTensorInfo* embd = f.find_tensor("token_embd.weight");
  if (embd == nullptr) return make_error(f.path() + ": tensor token_embd.weight is missing");
  p.n_vocab = embd->ne[1];
  TROVE_TRY(check(p.n_vocab > 0 && embd->ne[2] == 1 && embd->ne[3] == 1, f,
                  "tensor token_embd.weight must be 2-D [n_embd, n_vocab]"));
  return p;
}

}  // namespace trove
