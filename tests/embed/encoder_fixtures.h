// tests/embed/encoder_fixtures.h — random-weight cross-encoder and XLM-R GGUFs in the
// exact layout llama.cpp reads (tensor names, shapes, metadata keys), written with
// trove's GgufWriter. Deterministic: the same kind and type always give the same
// bytes, so references computed once by llama.cpp (tests/data/rerank/make_refs.sh)
// stay valid; tests check the file's sha256 against the recorded one first.
//
//   bert-rerank   bert, bert-base-uncased WordPiece (30522, from ../shared fixtures),
//                 two distinct token types, pooling rank, cls + cls.output head
//   xlmr-rerank   bert (as llama.cpp converts XLM-RoBERTa), the Unigram vocabulary of
//                 unigram-nfkc.gguf (the build trains it: tests/data/unigram) with
//                 <s>/</s> added, one token type, pooling rank, cls + cls.output (one-dimensional, as converters
//                 store a [n_embd, 1] matrix)
//   xlmr-embed    the same encoder without head, pooling mean
// Types: matrices in the given type, token types F32, positions F32 when quantized,
// norms and biases F32, as converters and llama-quantize leave them.
// Shape: 2 layers, 128 wide, 4 heads, ff 256, context 512. Biases and norm weights are
// random too, so a forgotten bias shows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/gguf.h"
#include "core/gguf_writer.h"

namespace trove::test {

inline std::vector<float> near(int64_t n, float centre, float spread, uint64_t seed) {
  std::vector<float> v(static_cast<size_t>(n));
  uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  for (float& x : v) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    x = centre + spread * (static_cast<float>(s >> 40) * (2.0f / 16777216.0f) - 1.0f);
  }
  return v;
}

// kind: "bert-rerank", "xlmr-rerank" or "xlmr-embed"; type: F32, F16 or Q8_0.
inline Status write_encoder_fixture(const std::string& kind, GgmlType type,
                                    const std::string& source_dir, const std::string& out) {
  const bool xlmr = kind != "bert-rerank";
  const bool head = kind != "xlmr-embed";
  const int64_t d = 128, ff = 256, layers = 2, ctx = 512;
  GgufWriter w;
  w.set_string("general.architecture", "bert");
  w.set_string("general.name", kind + " (random weights, trove test fixture)");
  w.set_u32("bert.block_count", layers);
  w.set_u32("bert.context_length", ctx);
  w.set_u32("bert.embedding_length", d);
  w.set_u32("bert.feed_forward_length", ff);
  w.set_u32("bert.attention.head_count", 4);
  w.set_f32("bert.attention.layer_norm_epsilon", xlmr ? 1e-5f : 1e-12f);
  w.set_bool("bert.attention.causal", false);
  w.set_u32("bert.pooling_type", head ? 4 : 1);
  const std::string vocab_path = xlmr
                                     ? std::string(TROVE_GENERATED_DIR) + "/unigram/unigram-nfkc.gguf"
                                     : source_dir + "/../shared/fixtures/models/bert-mean-f16.gguf";
  auto vocab = GgufFile::open(vocab_path);
  if (!vocab.ok()) return vocab.error();
  w.copy_metadata(*vocab, "tokenizer.");
  const int64_t n_types = xlmr ? 1 : 2;
  w.set_u32("tokenizer.ggml.token_type_count", static_cast<uint32_t>(n_types));
  if (xlmr) {
    w.set_bool("tokenizer.ggml.add_bos_token", true);
    w.set_bool("tokenizer.ggml.add_eos_token", true);
  }
  auto tokens = vocab->get_string_array("tokenizer.ggml.tokens");
  if (!tokens.ok()) return tokens.error();
  const auto n_vocab = static_cast<int64_t>(tokens->size());

  uint64_t seed = xlmr ? 1000 : 1;
  auto matrix = [&](const std::string& name, int64_t cols, int64_t rows, float scale) {
    return w.add_random_tensor(name, {cols, rows}, type, scale, seed++);
  };
  auto bias = [&](const std::string& name, int64_t n) {
    return w.add_tensor(name, {n}, GgmlType::kF32, near(n, 0.0f, 0.05f, seed++));
  };
  auto norm = [&](const std::string& name, int64_t n) {
    return w.add_tensor(name, {n}, GgmlType::kF32, near(n, 1.0f, 0.2f, seed++));
  };
  TROVE_TRY(matrix("token_embd.weight", d, n_vocab, 0.5f));
  // As converters and llama-quantize leave them: token types always F32, positions
  // F32 in quantized files.
  TROVE_TRY(w.add_random_tensor("position_embd.weight", {d, ctx},
                                type == GgmlType::kQ8_0 ? GgmlType::kF32 : type, 0.2f, seed++));
  TROVE_TRY(w.add_random_tensor("token_types.weight", {d, n_types}, GgmlType::kF32, 0.5f, seed++));
  TROVE_TRY(norm("token_embd_norm.weight", d));
  TROVE_TRY(bias("token_embd_norm.bias", d));
  for (int64_t i = 0; i < layers; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    for (const char* m : {"attn_q", "attn_k", "attn_v", "attn_output"}) {
      TROVE_TRY(matrix(p + m + ".weight", d, d, 0.15f));
      TROVE_TRY(bias(p + m + ".bias", d));
    }
    TROVE_TRY(norm(p + "attn_output_norm.weight", d));
    TROVE_TRY(bias(p + "attn_output_norm.bias", d));
    TROVE_TRY(matrix(p + "ffn_up.weight", d, ff, 0.15f));
    TROVE_TRY(bias(p + "ffn_up.bias", ff));
    TROVE_TRY(matrix(p + "ffn_down.weight", ff, d, 0.1f));
    TROVE_TRY(bias(p + "ffn_down.bias", d));
    TROVE_TRY(norm(p + "layer_output_norm.weight", d));
    TROVE_TRY(bias(p + "layer_output_norm.bias", d));
  }
  if (head) {
    TROVE_TRY(matrix("cls.weight", d, d, 0.2f));
    TROVE_TRY(bias("cls.bias", d));
    if (xlmr) {
      TROVE_TRY(w.add_random_tensor("cls.output.weight", {d}, GgmlType::kF32, 0.5f, seed++));
    } else {
      TROVE_TRY(matrix("cls.output.weight", d, 1, 0.5f));
    }
    TROVE_TRY(w.add_tensor("cls.output.bias", {1}, GgmlType::kF32, near(1, 0.1f, 0.0f, seed++)));
  }
  return w.write(out);
}

}  // namespace trove::test
