// bench/generate/make_bench_models.cc — writes decoder GGUF files with the exact
// shapes of SmolLM2-135M, Qwen2.5-0.5B and Llama-3.2-1B and random weights, in the
// tensor-type mixes llama.cpp's quantizer gives Q8_0 and Q4_K_M files, so speed is
// measured on the byte counts real models have. Vocabulary: "no_vocab" with
// <arch>.vocab_size, which both trove (no tokenizer needed) and llama-bench accept.
//
//   make_bench_models OUT_DIR [name...]   (names: smollm2-135m qwen2.5-0.5b llama3.2-1b)
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/gguf_writer.h"
#include "core/log.h"

namespace trove::bench {
namespace {

struct Shape {
  std::string name, arch;
  int64_t n_embd, n_layer, n_head, n_head_kv, n_ff, n_vocab, n_ctx;
  float rope_base;
  bool qkv_bias, rope_freqs;
};

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> s = {
      {"smollm2-135m", "llama", 576, 30, 9, 3, 1536, 49152, 8192, 100000.0f, false, false},
      {"qwen2.5-0.5b", "qwen2", 896, 24, 14, 2, 4864, 151936, 32768, 1000000.0f, true, false},
      {"llama3.2-1b", "llama", 2048, 16, 32, 8, 8192, 128256, 131072, 500000.0f, false, true},
  };
  return s;
}

enum class Mix { kQ8_0, kQ4_K_M };

// llama.cpp's use_more_bits: the first and last eighth of the layers and every third
// one between get the larger type in Q4_K_M.
bool more_bits(int64_t i, int64_t n) {
  return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
}

// The type llama.cpp would choose, with its fallback when rows are not a multiple of
// 256 (Qwen2.5-0.5B's 896): Q4_K → Q5_0, Q6_K → Q8_0.
GgmlType pick(Mix mix, GgmlType k_type, int64_t row) {
  if (mix == Mix::kQ8_0) return GgmlType::kQ8_0;
  if (row % 256 == 0) return k_type;
  return k_type == GgmlType::kQ6_K ? GgmlType::kQ8_0 : GgmlType::kQ5_0;
}

Status add_matrix(GgufWriter& w, const std::string& name, int64_t ne0, int64_t ne1, Mix mix,
                  GgmlType k_type, uint64_t& seed) {
  return w.add_random_tensor(name, {ne0, ne1}, pick(mix, k_type, ne0), 0.05f, seed++);
}

Status write_model(const Shape& s, Mix mix, const std::string& path) {
  GgufWriter w;
  const std::string a = s.arch;
  const int64_t hd = s.n_embd / s.n_head;
  w.set_string("general.architecture", a);
  w.set_string("general.name", s.name + " (random weights)");
  w.set_u32(a + ".context_length", static_cast<uint32_t>(s.n_ctx));
  w.set_u32(a + ".embedding_length", static_cast<uint32_t>(s.n_embd));
  w.set_u32(a + ".block_count", static_cast<uint32_t>(s.n_layer));
  w.set_u32(a + ".feed_forward_length", static_cast<uint32_t>(s.n_ff));
  w.set_u32(a + ".attention.head_count", static_cast<uint32_t>(s.n_head));
  w.set_u32(a + ".attention.head_count_kv", static_cast<uint32_t>(s.n_head_kv));
  w.set_u32(a + ".rope.dimension_count", static_cast<uint32_t>(hd));
  w.set_f32(a + ".rope.freq_base", s.rope_base);
  w.set_f32(a + ".attention.layer_norm_rms_epsilon", 1e-5f);
  w.set_u32(a + ".vocab_size", static_cast<uint32_t>(s.n_vocab));
  w.set_string("tokenizer.ggml.model", "no_vocab");

  uint64_t seed = 1;
  const GgmlType q4 = GgmlType::kQ4_K, q6 = GgmlType::kQ6_K;
  // Tied output: the embedding is the output matrix, so it gets the output's type.
  TROVE_TRY(add_matrix(w, "token_embd.weight", s.n_embd, s.n_vocab, mix, q6, seed));
  TROVE_TRY(w.add_constant_tensor("output_norm.weight", {s.n_embd}, GgmlType::kF32, 1.0f));
  if (s.rope_freqs) {
    TROVE_TRY(w.add_constant_tensor("rope_freqs.weight", {hd / 2}, GgmlType::kF32, 1.0f));
  }
  for (int64_t i = 0; i < s.n_layer; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    const GgmlType big = more_bits(i, s.n_layer) ? q6 : q4;
    TROVE_TRY(w.add_constant_tensor(p + "attn_norm.weight", {s.n_embd}, GgmlType::kF32, 1.0f));
    TROVE_TRY(add_matrix(w, p + "attn_q.weight", s.n_embd, s.n_head * hd, mix, q4, seed));
    TROVE_TRY(add_matrix(w, p + "attn_k.weight", s.n_embd, s.n_head_kv * hd, mix, q4, seed));
    TROVE_TRY(add_matrix(w, p + "attn_v.weight", s.n_embd, s.n_head_kv * hd, mix, big, seed));
    if (s.qkv_bias) {
      TROVE_TRY(
          w.add_random_tensor(p + "attn_q.bias", {s.n_head * hd}, GgmlType::kF32, 0.05f, seed++));
      TROVE_TRY(w.add_random_tensor(p + "attn_k.bias", {s.n_head_kv * hd}, GgmlType::kF32, 0.05f,
                                    seed++));
      TROVE_TRY(w.add_random_tensor(p + "attn_v.bias", {s.n_head_kv * hd}, GgmlType::kF32, 0.05f,
                                    seed++));
    }
    TROVE_TRY(add_matrix(w, p + "attn_output.weight", s.n_head * hd, s.n_embd, mix, q4, seed));
    TROVE_TRY(w.add_constant_tensor(p + "ffn_norm.weight", {s.n_embd}, GgmlType::kF32, 1.0f));
    TROVE_TRY(add_matrix(w, p + "ffn_gate.weight", s.n_embd, s.n_ff, mix, q4, seed));
    TROVE_TRY(add_matrix(w, p + "ffn_up.weight", s.n_embd, s.n_ff, mix, q4, seed));
    TROVE_TRY(add_matrix(w, p + "ffn_down.weight", s.n_ff, s.n_embd, mix, big, seed));
  }
  return w.write(path);
}

}  // namespace
}  // namespace trove::bench

int main(int argc, char** argv) {
  using namespace trove::bench;
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: make_bench_models OUT_DIR [smollm2-135m|qwen2.5-0.5b|llama3.2-1b...]\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::filesystem::create_directories(dir);
  for (const Shape& s : shapes()) {
    bool wanted = argc == 2;
    for (int i = 2; i < argc; ++i) wanted = wanted || s.name == argv[i];
    if (!wanted) continue;
    for (auto [mix, tag] : {std::pair{Mix::kQ8_0, "q8_0"}, std::pair{Mix::kQ4_K_M, "q4_k_m"}}) {
      const std::string path = dir + "/" + s.name + "-" + tag + ".gguf";
      if (std::filesystem::exists(path)) {
        std::fprintf(stderr, "%s exists, kept\n", path.c_str());
        continue;
      }
      auto st = write_model(s, mix, path);
      if (!st.ok()) {
        std::fprintf(stderr, "make_bench_models: %s\n", st.error().message.c_str());
        return 2;
      }
      std::fprintf(stderr, "wrote %s\n", path.c_str());
    }
  }
  return 0;
}
