// bench/tools/make_model.cc — writes GGUF models with random weights in the exact
// shapes, tensor names and metadata keys of real models, so that speed can be measured
// (by trove and by llama.cpp on the same file) without downloading weights.
//
//   make_model --model bge-small|minilm-l6|minilm-l6-rerank|bge-reranker-base|
//                      smollm2-135m|qwen2.5-0.5b|llama3.2-1b
//              --type f16|q8_0|q4_k_m --out FILE [--layers N] [--fixtures DIR]
//              [--unigram FILE]
//
// Vocabularies come from the fixtures (never from the network): BERT models reuse the
// real bert-base-uncased WordPiece vocabulary; bge-reranker-base (XLM-R) takes the
// Unigram vocabulary of unigram-nfkc.gguf (trained by the test build from
// tests/data/unigram, found in build/tests/data/unigram) padded with unused pieces to
// XLM-R's 250002; rerankers (pooling 4) get llama.cpp's cls / cls.output head;
// decoder models take a fixture BPE vocabulary and trim it or pad it with filler
// tokens to the real vocabulary size, so the embedding matrix has its real shape. Q4_K_M follows llama.cpp's mix: Q6_K for
// the output/tied embedding and for attn_v/ffn_down in the "more bits" layers, Q4_K
// elsewhere, Q5_0/Q8_0 where a row is not a multiple of 256.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "bench/bench_args.h"
#include "core/gguf.h"
#include "core/gguf_writer.h"

namespace {

using trove::GgmlType;
using trove::GgufFile;
using trove::GgufWriter;
using trove::Status;

enum class Quant { kF16, kQ8_0, kQ4_K_M };

struct Shape {
  std::string name;  // --model value
  std::string arch;  // general.architecture
  int layers, width, heads, kv_heads, ff;
  int64_t vocab;
  int64_t ctx;
  double rope_base;
  bool tied, qkv_bias, rope_freqs;
  int pooling;  // BERT only: 1 mean, 2 cls, 4 rank (cross-encoder with a cls head)
};

bool is_xlmr(const Shape& s) {
  return s.name == "bge-reranker-base";
}

const Shape kShapes[] = {
    {"bge-small", "bert", 12, 384, 12, 12, 1536, 30522, 512, 0, true, true, false, 2},
    {"minilm-l6", "bert", 6, 384, 12, 12, 1536, 30522, 512, 0, true, true, false, 1},
    // cross-encoder/ms-marco-MiniLM-L-6-v2 and BAAI/bge-reranker-base (XLM-R base; the
    // converter drops RoBERTa's 2 padding positions of 514).
    {"minilm-l6-rerank", "bert", 6, 384, 12, 12, 1536, 30522, 512, 0, true, true, false, 4},
    {"bge-reranker-base", "bert", 12, 768, 12, 12, 3072, 250002, 512, 0, true, true, false, 4},
    {"smollm2-135m", "llama", 30, 576, 9, 3, 1536, 49152, 8192, 1e5, true, false, false, 0},
    {"qwen2.5-0.5b", "qwen2", 24, 896, 14, 2, 4864, 151936, 32768, 1e6, true, true, false, 0},
    {"llama3.2-1b", "llama", 16, 2048, 32, 8, 8192, 128256, 131072, 5e5, true, false, true, 0},
};

struct Args {
  std::string model, out, fixtures = "../shared/fixtures";
  std::string unigram = "build/tests/data/unigram/unigram-nfkc.gguf";
  Quant quant = Quant::kQ4_K_M;
  int layers = -1;
};

bool use_more_bits(int i, int n) {
  return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
}

// llama.cpp's fallback when a row is not a whole number of 256-element super-blocks.
GgmlType fit(GgmlType t, int64_t row) {
  if (row % 256 == 0) return t;
  if (t == GgmlType::kQ4_K) return GgmlType::kQ5_0;
  if (t == GgmlType::kQ6_K) return GgmlType::kQ8_0;
  return t;
}

// Type of a 2-D weight under the chosen quantization. `more_bits` marks attn_v/ffn_down
// of layers that Q4_K_M keeps at Q6_K; `output` marks output/tied embeddings.
GgmlType weight_type(Quant q, int64_t row, bool more_bits, bool output) {
  switch (q) {
    case Quant::kF16:
      return GgmlType::kF16;
    case Quant::kQ8_0:
      return GgmlType::kQ8_0;
    case Quant::kQ4_K_M:
      if (output) return row % 256 == 0 ? GgmlType::kQ6_K : GgmlType::kQ8_0;
      return fit(more_bits ? GgmlType::kQ6_K : GgmlType::kQ4_K, row);
  }
  return GgmlType::kF16;
}

uint32_t file_type(Quant q) {
  switch (q) {
    case Quant::kF16:
      return 1;
    case Quant::kQ8_0:
      return 7;
    case Quant::kQ4_K_M:
      return 15;
  }
  return 0;
}

std::string blk(int i, const char* what) {
  return "blk." + std::to_string(i) + "." + what;
}

// --- vocabularies ---------------------------------------------------------------

constexpr int32_t kNormal = 1, kControl = 3, kUserDefined = 4, kUnused = 5;

struct Vocab {
  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  std::vector<std::string> merges;
};

Vocab load_vocab(const GgufFile& f) {
  Vocab v;
  // Results are bound to names: ranging over *temporary would dangle.
  auto tokens = f.get_string_array("tokenizer.ggml.tokens");
  auto types = f.get_int_array("tokenizer.ggml.token_type");
  auto merges = f.get_string_array("tokenizer.ggml.merges");
  if (tokens) v.tokens.assign(tokens->begin(), tokens->end());
  if (types) v.types.assign(types->begin(), types->end());
  if (merges) v.merges.assign(merges->begin(), merges->end());
  v.types.resize(v.tokens.size(), kNormal);
  return v;
}

// Keeps the first n tokens and only the merges whose parts and result survive, so the
// BPE tables stay consistent.
void trim(Vocab& v, size_t n) {
  v.tokens.resize(n);
  v.types.resize(n);
  std::unordered_set<std::string> kept(v.tokens.begin(), v.tokens.end());
  std::vector<std::string> merges;
  for (const std::string& m : v.merges) {
    const size_t sp = m.find(' ');
    if (sp == std::string::npos) continue;
    const std::string a = m.substr(0, sp), b = m.substr(sp + 1);
    if (kept.count(a) && kept.count(b) && kept.count(a + b)) merges.push_back(m);
  }
  v.merges = std::move(merges);
}

void pad(Vocab& v, size_t n, const std::string& pattern, int32_t type) {
  for (size_t i = v.tokens.size(); i < n; ++i) {
    std::string t = pattern;
    t.replace(t.find("{}"), 2, std::to_string(i));
    v.tokens.push_back(std::move(t));
    v.types.push_back(type);
  }
}

void put_vocab(GgufWriter& w, const Vocab& v) {
  w.set_string_array("tokenizer.ggml.tokens", v.tokens);
  w.set_i32_array("tokenizer.ggml.token_type", v.types);
  if (!v.merges.empty()) w.set_string_array("tokenizer.ggml.merges", v.merges);
}

Status vocabulary(GgufWriter& w, const Shape& s, const std::string& fix,
                  const std::string& unigram) {
  auto open = [&](const std::string& rel) { return GgufFile::open(fix + "/" + rel); };
  if (is_xlmr(s)) {
    auto f = GgufFile::open(unigram);
    if (!f) return f.error();
    w.copy_metadata(*f, "tokenizer.");
    Vocab v = load_vocab(*f);
    auto scores = f->get_float_array("tokenizer.ggml.scores");
    if (!scores) return scores.error();
    std::vector<float> sc = *scores;
    pad(v, static_cast<size_t>(s.vocab), "[PAD{}]", kUnused);
    sc.resize(v.tokens.size(), -10000.0f);
    put_vocab(w, v);
    w.set_f32_array("tokenizer.ggml.scores", sc);
    w.set_bool("tokenizer.ggml.add_bos_token", true);
    w.set_bool("tokenizer.ggml.add_eos_token", true);
    w.set_u32("tokenizer.ggml.token_type_count", 1);
    return {};
  }
  if (s.arch == "bert") {
    auto f = open("models/bert-mean-f16.gguf");
    if (!f) return f.error();
    w.copy_metadata(*f, "tokenizer.");
    return {};
  }
  if (s.name == "smollm2-135m") {
    // GPT-2's byte-level BPE trimmed to 49152 with SmolLM2's three specials at the end.
    auto f = open("tokenizer/ggml-vocab-gpt-2.gguf");
    if (!f) return f.error();
    w.copy_metadata(*f, "tokenizer.");
    Vocab v = load_vocab(*f);
    trim(v, static_cast<size_t>(s.vocab) - 3);
    for (const char* t : {"<|endoftext|>", "<|im_start|>", "<|im_end|>"}) {
      v.tokens.emplace_back(t);
      v.types.push_back(kControl);
    }
    put_vocab(w, v);
    w.set_string("tokenizer.ggml.pre", "smollm");
    w.set_u32("tokenizer.ggml.bos_token_id", static_cast<uint32_t>(s.vocab - 2));
    w.set_u32("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(s.vocab - 1));
    w.set_u32("tokenizer.ggml.unknown_token_id", static_cast<uint32_t>(s.vocab - 3));
    w.set_bool("tokenizer.ggml.add_bos_token", false);
    auto chat = open("models/qwen2-bpe-q4_k_m.gguf");  // SmolLM2 speaks ChatML too
    if (chat && chat->has("tokenizer.chat_template")) {
      w.set_value("tokenizer.chat_template", *chat->find("tokenizer.chat_template"));
    }
    return {};
  }
  // Qwen2.5 and Llama 3: the fixture vocabulary padded the way the real ones are
  // (Qwen's [PAD] user-defined tokens, Llama 3's reserved control tokens).
  const bool qwen = s.arch == "qwen2";
  auto f = open(qwen ? "models/qwen2-bpe-q4_k_m.gguf" : "models/llama3-bpe-q4_k_m.gguf");
  if (!f) return f.error();
  w.copy_metadata(*f, "tokenizer.");
  Vocab v = load_vocab(*f);
  pad(v, static_cast<size_t>(s.vocab), qwen ? "[PAD{}]" : "<|reserved_special_token_{}|>",
      qwen ? kUserDefined : kControl);
  put_vocab(w, v);
  return {};
}

// --- weights --------------------------------------------------------------------

struct Builder {
  GgufWriter& w;
  Quant q;
  uint64_t seed = 1;

  Status weight(const std::string& name, int64_t cols, int64_t rows, bool more_bits = false,
                bool output = false) {
    return w.add_random_tensor(name, {cols, rows}, weight_type(q, cols, more_bits, output), 0.02f,
                               seed++);
  }
  Status vec(const std::string& name, int64_t n, float value) {
    return w.add_constant_tensor(name, {n}, GgmlType::kF32, value);
  }
};

Status bert_weights(Builder& b, const Shape& s, int layers) {
  const int64_t d = s.width;
  TROVE_TRY(b.weight("token_embd.weight", d, s.vocab, false, s.tied));
  TROVE_TRY(b.w.add_random_tensor("position_embd.weight", {d, s.ctx}, GgmlType::kF32, 0.02f, 7));
  TROVE_TRY(b.w.add_random_tensor("token_types.weight", {d, is_xlmr(s) ? 1 : 2}, GgmlType::kF32,
                                  0.02f, 8));
  TROVE_TRY(b.vec("token_embd_norm.weight", d, 1.0f));
  TROVE_TRY(b.vec("token_embd_norm.bias", d, 0.0f));
  for (int i = 0; i < layers; ++i) {
    for (const char* p : {"attn_q", "attn_k", "attn_v", "attn_output"}) {
      TROVE_TRY(b.weight(blk(i, p) + ".weight", d, d,
                         std::string(p) == "attn_v" && use_more_bits(i, layers)));
      TROVE_TRY(b.vec(blk(i, p) + ".bias", d, 0.0f));
    }
    TROVE_TRY(b.vec(blk(i, "attn_output_norm.weight"), d, 1.0f));
    TROVE_TRY(b.vec(blk(i, "attn_output_norm.bias"), d, 0.0f));
    TROVE_TRY(b.weight(blk(i, "ffn_up.weight"), d, s.ff));
    TROVE_TRY(b.vec(blk(i, "ffn_up.bias"), s.ff, 0.0f));
    TROVE_TRY(b.weight(blk(i, "ffn_down.weight"), s.ff, d, use_more_bits(i, layers)));
    TROVE_TRY(b.vec(blk(i, "ffn_down.bias"), d, 0.0f));
    TROVE_TRY(b.vec(blk(i, "layer_output_norm.weight"), d, 1.0f));
    TROVE_TRY(b.vec(blk(i, "layer_output_norm.bias"), d, 0.0f));
  }
  if (s.pooling == 4) {  // llama.cpp's rank head: cls [d, d] + bias, cls.output [d, 1] + bias
    TROVE_TRY(b.weight("cls.weight", d, d));
    TROVE_TRY(b.vec("cls.bias", d, 0.0f));
    TROVE_TRY(b.w.add_random_tensor("cls.output.weight", {d}, GgmlType::kF32, 0.02f, 9));
    TROVE_TRY(b.vec("cls.output.bias", 1, 0.0f));
  }
  return {};
}

Status decoder_weights(Builder& b, const Shape& s, int layers) {
  const int64_t d = s.width;
  const int64_t head = d / s.heads;
  const int64_t kv = head * s.kv_heads;
  TROVE_TRY(b.weight("token_embd.weight", d, s.vocab, false, s.tied));
  if (!s.tied) TROVE_TRY(b.weight("output.weight", d, s.vocab, false, true));
  TROVE_TRY(b.vec("output_norm.weight", d, 1.0f));
  if (s.rope_freqs) TROVE_TRY(b.vec("rope_freqs.weight", head / 2, 1.0f));
  for (int i = 0; i < layers; ++i) {
    TROVE_TRY(b.vec(blk(i, "attn_norm.weight"), d, 1.0f));
    TROVE_TRY(b.weight(blk(i, "attn_q.weight"), d, d));
    TROVE_TRY(b.weight(blk(i, "attn_k.weight"), d, kv));
    TROVE_TRY(b.weight(blk(i, "attn_v.weight"), d, kv, use_more_bits(i, layers)));
    if (s.qkv_bias) {
      TROVE_TRY(b.vec(blk(i, "attn_q.bias"), d, 0.0f));
      TROVE_TRY(b.vec(blk(i, "attn_k.bias"), kv, 0.0f));
      TROVE_TRY(b.vec(blk(i, "attn_v.bias"), kv, 0.0f));
    }
    TROVE_TRY(b.weight(blk(i, "attn_output.weight"), d, d));
    TROVE_TRY(b.vec(blk(i, "ffn_norm.weight"), d, 1.0f));
    TROVE_TRY(b.weight(blk(i, "ffn_gate.weight"), d, s.ff));
    TROVE_TRY(b.weight(blk(i, "ffn_up.weight"), d, s.ff));
    TROVE_TRY(b.weight(blk(i, "ffn_down.weight"), s.ff, d, use_more_bits(i, layers)));
  }
  return {};
}

void hparams(GgufWriter& w, const Shape& s, int layers, Quant q) {
  const std::string a = s.arch;
  w.set_string("general.architecture", a);
  w.set_string("general.name", s.name + " (random weights, trove make_model)");
  w.set_u32(a + ".block_count", static_cast<uint32_t>(layers));
  w.set_u32(a + ".context_length", static_cast<uint32_t>(s.ctx));
  w.set_u32(a + ".embedding_length", static_cast<uint32_t>(s.width));
  w.set_u32(a + ".feed_forward_length", static_cast<uint32_t>(s.ff));
  w.set_u32(a + ".attention.head_count", static_cast<uint32_t>(s.heads));
  if (a == "bert") {
    w.set_f32(a + ".attention.layer_norm_epsilon", 1e-12f);
    w.set_bool(a + ".attention.causal", false);
    w.set_u32(a + ".pooling_type", static_cast<uint32_t>(s.pooling));
  } else {
    w.set_u32(a + ".attention.head_count_kv", static_cast<uint32_t>(s.kv_heads));
    w.set_f32(a + ".rope.freq_base", static_cast<float>(s.rope_base));
    w.set_f32(a + ".attention.layer_norm_rms_epsilon", a == "qwen2" ? 1e-6f : 1e-5f);
    w.set_u32(a + ".rope.dimension_count", static_cast<uint32_t>(s.width / s.heads));
  }
  w.set_u32("general.file_type", file_type(q));
  w.set_u32("general.quantization_version", 2);
}

int usage() {
  std::fprintf(stderr,
               "usage: make_model --model bge-small|minilm-l6|minilm-l6-rerank|"
               "bge-reranker-base|smollm2-135m|qwen2.5-0.5b|llama3.2-1b "
               "--type f16|q8_0|q4_k_m --out FILE [--layers N] [--fixtures DIR] "
               "[--unigram FILE]\n");
  return 2;
}

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--model") {
      a.model = v;
    } else if (k == "--out") {
      a.out = v;
    } else if (k == "--fixtures") {
      a.fixtures = v;
    } else if (k == "--unigram") {
      a.unigram = v;
    } else if (k == "--layers") {
      a.layers = trove::bench::int_arg(v, "--layers");
    } else if (k == "--type" && v == "f16") {
      a.quant = Quant::kF16;
    } else if (k == "--type" && v == "q8_0") {
      a.quant = Quant::kQ8_0;
    } else if (k == "--type" && v == "q4_k_m") {
      a.quant = Quant::kQ4_K_M;
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !a.model.empty() && !a.out.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, a)) return usage();
  const Shape* s = nullptr;
  for (const Shape& x : kShapes) {
    if (x.name == a.model) s = &x;
  }
  if (s == nullptr) return usage();
  const int layers = a.layers > 0 ? a.layers : s->layers;
  GgufWriter w;
  hparams(w, *s, layers, a.quant);
  Status st = vocabulary(w, *s, a.fixtures, a.unigram);
  Builder b{w, a.quant};
  if (st) st = s->arch == "bert" ? bert_weights(b, *s, layers) : decoder_weights(b, *s, layers);
  if (st) st = w.write(a.out);
  if (!st) {
    std::fprintf(stderr, "make_model: %s\n", st.error().message.c_str());
    return 2;
  }
  std::printf("%s: %s, %d layers, %zu tensors, %.1f MiB of weights\n", a.out.c_str(),
              s->name.c_str(), layers, w.tensor_count(),
              static_cast<double>(w.data_bytes()) / (1 << 20));
  return 0;
}
