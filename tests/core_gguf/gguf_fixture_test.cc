// tests/core_gguf/gguf_fixture_test.cc — the reader against the real fixture GGUFs:
// metadata and tensor shapes as documented in ../shared/fixtures/README.md, tensor
// data ending inside the file, and truncations of a real file at many offsets (each
// must give an error, never a crash).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/c_file.h"
#include "core/gguf.h"

namespace trove {
namespace {

namespace fs = std::filesystem;

const std::string kModels = "../shared/fixtures/models/";
const std::string kTok = "../shared/fixtures/tokenizer/";

GgufFile open_ok(const std::string& path) {
  auto f = GgufFile::open(path);
  EXPECT_TRUE(f) << f.error().message;
  if (!f) std::abort();
  return std::move(*f);
}

std::vector<int64_t> shape(const GgufFile& f, std::string_view name) {
  const GgufTensorInfo* t = f.find_tensor(name);
  if (t == nullptr) return {};
  return std::vector<int64_t>(t->ne, t->ne + t->n_dims);
}

using Shape = std::vector<int64_t>;

TEST(GgufFixture, EveryFixtureOpensAndTensorsStayInsideTheFile) {
  int n = 0;
  for (const std::string& dir : {kModels, kTok}) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".gguf") continue;
      GgufFile f = open_ok(e.path().string());
      ++n;
      EXPECT_TRUE(f.version() == 2 || f.version() == 3);
      EXPECT_TRUE(f.has("general.architecture")) << e.path();
      const uint8_t* data_section = nullptr;
      for (const GgufTensorInfo& t : f.tensors()) {
        // Every tensor is addressed from one data section start.
        const uint8_t* start = static_cast<const uint8_t*>(t.data) - t.offset;
        if (data_section == nullptr) data_section = start;
        EXPECT_EQ(start, data_section) << t.name;
        EXPECT_EQ(t.nbytes, row_size(t.type, t.ne[0]) * static_cast<uint64_t>(t.n_rows()));
        EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data) % f.alignment(), 0u) << t.name;
        EXPECT_LE(t.offset + t.nbytes, f.file_size()) << t.name;
        EXPECT_GT(t.n_dims, 0);
      }
    }
  }
  EXPECT_EQ(n, 11);
}

TEST(GgufFixture, BertMeanF16) {
  GgufFile f = open_ok(kModels + "bert-mean-f16.gguf");
  EXPECT_EQ(*f.get_string("general.architecture"), "bert");
  EXPECT_EQ(*f.get_uint("bert.block_count"), 2u);
  EXPECT_EQ(*f.get_uint("bert.embedding_length"), 128u);
  EXPECT_EQ(*f.get_uint("bert.attention.head_count"), 4u);
  EXPECT_EQ(*f.get_uint("bert.feed_forward_length"), 256u);
  EXPECT_EQ(*f.get_uint("bert.context_length"), 512u);
  EXPECT_EQ(*f.get_uint("bert.pooling_type"), 1u);  // llama.cpp: 1 = mean
  EXPECT_EQ(*f.get_string("tokenizer.ggml.model"), "bert");
  auto toks = f.get_string_array("tokenizer.ggml.tokens");
  ASSERT_TRUE(toks);
  ASSERT_EQ(toks->size(), 30522u);
  // bert-base-uncased: [PAD]=0, [UNK]=100, [CLS]=101, [SEP]=102, "the"=1996. llama.cpp's
  // converter marks word-initial WordPiece tokens with U+2581 and drops "##".
  EXPECT_EQ((*toks)[0], "[PAD]");
  EXPECT_EQ((*toks)[100], "[UNK]");
  EXPECT_EQ((*toks)[101], "[CLS]");
  EXPECT_EQ((*toks)[102], "[SEP]");
  EXPECT_EQ((*toks)[1996], "\u2581the");
  EXPECT_EQ(shape(f, "token_embd.weight"), (Shape{128, 30522}));
  EXPECT_EQ(shape(f, "blk.1.ffn_up.weight"), (Shape{128, 256}));
  EXPECT_EQ(shape(f, "blk.1.ffn_down.weight"), (Shape{256, 128}));
  EXPECT_EQ(f.find_tensor("token_embd.weight")->type, GgmlType::kF16);
  EXPECT_EQ(f.find_tensor("blk.0.attn_output_norm.weight")->type, GgmlType::kF32);
  EXPECT_EQ(f.find_tensor("blk.2.attn_q.weight"), nullptr);  // only 2 layers
}

TEST(GgufFixture, BertClsQ8_0) {
  GgufFile f = open_ok(kModels + "bert-cls-q8_0.gguf");
  EXPECT_EQ(*f.get_uint("bert.pooling_type"), 2u);  // llama.cpp: 2 = cls
  EXPECT_EQ(f.find_tensor("blk.0.attn_q.weight")->type, GgmlType::kQ8_0);
  EXPECT_EQ(shape(f, "blk.0.attn_q.weight"), (Shape{128, 128}));
  EXPECT_EQ(f.find_tensor("blk.0.attn_q.weight")->nbytes, 128u / 32 * 34 * 128);
}

TEST(GgufFixture, NomicBert) {
  GgufFile f = open_ok(kModels + "nomic-bert-f16.gguf");
  EXPECT_EQ(*f.get_string("general.architecture"), "nomic-bert");
  EXPECT_EQ(*f.get_float("nomic-bert.rope.freq_base"), 1000.0);
  EXPECT_EQ(shape(f, "blk.0.attn_qkv.weight"), (Shape{128, int64_t{3} * 128}));  // fused QKV
  EXPECT_EQ(f.find_tensor("position_embd.weight"), nullptr);
  EXPECT_EQ(f.get_string_array("tokenizer.ggml.tokens")->size(), 30522u);
}

TEST(GgufFixture, LlamaSpm) {
  for (const char* name : {"llama-spm-q8_0.gguf", "llama-spm-q4_k_m.gguf"}) {
    GgufFile f = open_ok(kModels + name);
    EXPECT_EQ(*f.get_string("general.architecture"), "llama");
    EXPECT_EQ(*f.get_uint("llama.block_count"), 2u);
    EXPECT_EQ(*f.get_uint("llama.embedding_length"), 256u);
    EXPECT_EQ(*f.get_uint("llama.attention.head_count"), 4u);
    EXPECT_EQ(*f.get_uint("llama.attention.head_count_kv"), 2u);
    EXPECT_EQ(*f.get_uint("llama.feed_forward_length"), 768u);
    EXPECT_EQ(*f.get_string("tokenizer.ggml.model"), "llama");
    auto toks = f.get_string_array("tokenizer.ggml.tokens");
    ASSERT_EQ(toks->size(), 32000u);
    EXPECT_EQ((*toks)[1], "<s>");
    EXPECT_EQ((*toks)[2], "</s>");
    EXPECT_EQ(f.get_float_array("tokenizer.ggml.scores")->size(), 32000u);
    EXPECT_EQ(shape(f, "token_embd.weight"), (Shape{256, 32000}));
    EXPECT_EQ(shape(f, "output.weight"), (Shape{256, 32000}));      // untied
    EXPECT_EQ(shape(f, "blk.0.attn_k.weight"), (Shape{256, 128}));  // 2 kv heads x 64
    EXPECT_EQ(shape(f, "blk.1.ffn_gate.weight"), (Shape{256, 768}));
  }
  GgufFile q8 = open_ok(kModels + "llama-spm-q8_0.gguf");
  EXPECT_EQ(q8.find_tensor("blk.0.attn_q.weight")->type, GgmlType::kQ8_0);
  GgufFile q4 = open_ok(kModels + "llama-spm-q4_k_m.gguf");
  int q4k = 0, q6k = 0;
  for (const GgufTensorInfo& t : q4.tensors()) {
    q4k += t.type == GgmlType::kQ4_K;
    q6k += t.type == GgmlType::kQ6_K;
  }
  EXPECT_GT(q4k, 0);
  EXPECT_GT(q6k, 0);
}

TEST(GgufFixture, Qwen2Bpe) {
  GgufFile f = open_ok(kModels + "qwen2-bpe-q4_k_m.gguf");
  EXPECT_EQ(*f.get_string("general.architecture"), "qwen2");
  EXPECT_EQ(*f.get_float("qwen2.rope.freq_base"), 1e6);
  EXPECT_EQ(*f.get_string("tokenizer.ggml.model"), "gpt2");
  EXPECT_EQ(*f.get_string("tokenizer.ggml.pre"), "qwen2");
  auto toks = f.get_string_array("tokenizer.ggml.tokens");
  ASSERT_EQ(toks->size(), 50257u + 2);
  EXPECT_EQ((*toks)[50257], "<|im_start|>");
  EXPECT_EQ((*toks)[50258], "<|im_end|>");
  EXPECT_EQ(f.get_int_array("tokenizer.ggml.token_type")->size(), 50259u);
  EXPECT_NE(f.get_string("tokenizer.chat_template")->find("<|im_start|>"), std::string::npos);
  EXPECT_EQ(f.find_tensor("output.weight"), nullptr);  // tied
  EXPECT_EQ(shape(f, "blk.0.attn_q.bias"), (Shape{256}));
  EXPECT_EQ(shape(f, "blk.0.attn_k.bias"), (Shape{128}));
}

TEST(GgufFixture, Llama3Bpe) {
  GgufFile f = open_ok(kModels + "llama3-bpe-q4_k_m.gguf");
  EXPECT_EQ(*f.get_string("general.architecture"), "llama");
  EXPECT_EQ(*f.get_float("llama.rope.freq_base"), 5e5);
  EXPECT_EQ(*f.get_string("tokenizer.ggml.pre"), "llama-bpe");
  auto toks = f.get_string_array("tokenizer.ggml.tokens");
  const uint64_t bos = *f.get_uint("tokenizer.ggml.bos_token_id");
  ASSERT_LT(bos, toks->size());
  EXPECT_EQ((*toks)[bos], "<|begin_of_text|>");
  EXPECT_EQ(shape(f, "rope_freqs.weight"), (Shape{32}));  // head dim 64 / 2
  EXPECT_EQ(f.find_tensor("output.weight"), nullptr);
}

TEST(GgufFixture, Qwen3) {
  GgufFile f = open_ok(kModels + "qwen3-q4_k_m.gguf");
  EXPECT_EQ(*f.get_string("general.architecture"), "qwen3");
  EXPECT_EQ(*f.get_uint("qwen3.attention.key_length"), 128u);
  EXPECT_EQ(shape(f, "blk.0.attn_q.weight"), (Shape{256, int64_t{4} * 128}));
  EXPECT_EQ(shape(f, "blk.0.attn_k.weight"), (Shape{256, int64_t{2} * 128}));
  EXPECT_EQ(shape(f, "blk.0.attn_q_norm.weight"), (Shape{128}));
  EXPECT_EQ(f.find_tensor("blk.0.attn_q.bias"), nullptr);
}

TEST(GgufFixture, VocabOnlyFiles) {
  struct Case {
    const char* file;
    const char* model;
    size_t n;
  };
  for (const Case& c : {Case{"ggml-vocab-bert-bge.gguf", "bert", 30522},
                        Case{"ggml-vocab-gpt-2.gguf", "gpt2", 50257},
                        Case{"ggml-vocab-llama-spm.gguf", "llama", 32000}}) {
    GgufFile f = open_ok(kTok + c.file);
    EXPECT_TRUE(f.tensors().empty());
    EXPECT_EQ(*f.get_string("tokenizer.ggml.model"), c.model) << c.file;
    EXPECT_EQ(f.get_string_array("tokenizer.ggml.tokens")->size(), c.n) << c.file;
  }
}

// Truncations of a real model: the header (every byte of the first 4 KiB, then a
// spread through the vocabulary) and the data. Every size short of the end of the
// last tensor must be an error; the file is shrunk in place so the test stays fast.
TEST(GgufFixture, TruncatedRealFileAlwaysErrors) {
  const std::string src = kModels + "bert-cls-q8_0.gguf";
  const fs::path tmp =
      fs::temp_directory_path() / ("trove_gguf_trunc_" + std::to_string(::getpid()) + ".gguf");
  fs::copy_file(src, tmp, fs::copy_options::overwrite_existing);
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
  // In this fixture the last tensor ends at the end of the file, so every shorter
  // size cuts into the header or some tensor's data.
  const uint64_t data_end = fs::file_size(tmp);
  ASSERT_TRUE(GgufFile::open(tmp.string()));
  std::vector<uint64_t> sizes;
  for (uint64_t n = 0; n < 4096; ++n) sizes.push_back(n);
  std::mt19937_64 rng(42);
  for (int i = 0; i < 300; ++i) sizes.push_back(rng() % data_end);
  for (uint64_t k = 1; k <= 64; ++k) sizes.push_back(data_end - k);
  std::sort(sizes.begin(), sizes.end(), std::greater<>());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  int errors = 0;
  for (uint64_t n : sizes) {
    fs::resize_file(tmp, n);
    auto f = GgufFile::open(tmp.string());
    EXPECT_FALSE(f) << "truncated to " << n << " bytes still opened";
    if (!f) {
      ++errors;
      EXPECT_NE(f.error().message.find(tmp.filename().string()), std::string::npos);
    }
  }
  EXPECT_EQ(errors, static_cast<int>(sizes.size()));
  fs::remove(tmp);
}

// Random byte flips in a real header: any outcome but a crash is acceptable.
TEST(GgufFixture, CorruptedHeaderBytesNeverCrash) {
  const std::string src = kTok + "ggml-vocab-bert-bge.gguf";
  const fs::path tmp =
      fs::temp_directory_path() / ("trove_gguf_flip_" + std::to_string(::getpid()) + ".gguf");
  std::mt19937_64 rng(7);
  std::string bytes;
  {
    UniqueFile in(std::fopen(src.c_str(), "rb"));
    ASSERT_NE(in.get(), nullptr);
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, in.get())) > 0) bytes.append(buf, n);
  }
  int opened = 0;
  for (int iter = 0; iter < 200; ++iter) {
    std::string mutated = bytes;
    const uint64_t limit = iter % 2 == 0 ? 512 : mutated.size();  // the counts live up front
    for (int k = 0; k < 4; ++k) mutated[rng() % limit] = static_cast<char>(rng());
    UniqueFile out(std::fopen(tmp.c_str(), "wb"));
    ASSERT_NE(out.get(), nullptr);
    std::fwrite(mutated.data(), 1, mutated.size(), out.get());
    close_file(out);
    auto f = GgufFile::open(tmp.string());
    opened += f.ok();
  }
  RecordProperty("opened", opened);
  fs::remove(tmp);
}

}  // namespace
}  // namespace trove
