// Cross-encoder reranking and XLM-R encoders against llama.cpp on the fixtures of
// encoder_fixtures.h (written here, checked against the recorded sha256 first):
// scores within 1e-3 of llama-embedding --pooling rank, XLM-R embeddings at cosine
// >= 0.9999 (F32/F16) and >= 0.999 (Q8_0), and the same token ids as llama.cpp on
// the same inputs. References: tests/data/rerank (make_refs.sh).
#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <filesystem>
#include <map>
#include <span>
#include <sstream>

#include "core/sha256.h"
#include "embed/embedder.h"
#include "embed/reranker.h"
#include "encoder_fixtures.h"
#include "fixture_util.h"
#include "reranker_test_util.h"

namespace trove {
namespace {

using test::expect_llama_scores;
using test::fixture;
using test::open_reranker;
using test::Pair;
using test::pairs;
using test::ref_file;

// llama.cpp reads every BERT token as type 0: compare like for like. XLM-R has one
// token type: nothing to switch.
TEST(Reranker, BertF32ScoresMatchLlamaCpp) {
  expect_llama_scores("bert-rerank", "f32", /*passage_type_1=*/false);
}
TEST(Reranker, XlmrF32ScoresMatchLlamaCpp) {
  expect_llama_scores("xlmr-rerank", "f32", /*passage_type_1=*/true);
}
TEST(Reranker, BertQ8_0ScoresMatchLlamaCpp) {
  expect_llama_scores("bert-rerank", "q8_0", /*passage_type_1=*/false);
}
TEST(Reranker, XlmrF16ScoresMatchLlamaCpp) {
  expect_llama_scores("xlmr-rerank", "f16", /*passage_type_1=*/true);
}
TEST(Reranker, XlmrQ8_0ScoresMatchLlamaCpp) {
  expect_llama_scores("xlmr-rerank", "q8_0", /*passage_type_1=*/true);
}

TEST(Reranker, BertPassageReadsTokenTypeOne) {
  const std::string path = fixture("bert-rerank", "f32");
  auto with = open_reranker(path);
  RerankerParams zero;
  zero.passage_type_1 = false;
  auto without = open_reranker(path, zero);
  ASSERT_TRUE(with && without);
  const TokenizedPair pair = with->tokenize("what is the capital", "Paris is the capital");
  // [CLS] q [SEP] are type 0, p [SEP] type 1.
  const auto first_sep = std::find(pair.ids.begin(), pair.ids.end(), pair.ids.back());
  const auto a_len = static_cast<size_t>(first_sep - pair.ids.begin()) + 1;
  for (size_t i = 0; i < pair.types.size(); ++i) EXPECT_EQ(pair.types[i], i < a_len ? 0 : 1);

  std::vector<float> embd_with, embd_without;
  auto grab = [](std::vector<float>* dst) {
    return [dst](std::string_view name, int, const float* data, int64_t rows, int64_t cols) {
      if (name == "inp_embd") dst->assign(data, data + rows * cols);
    };
  };
  with->encoder().set_activation_hook(grab(&embd_with));
  without->encoder().set_activation_hook(grab(&embd_without));
  const float s1 = with->score_pairs({pair})[0];
  TokenizedPair zero_pair = pair;
  std::fill(zero_pair.types.begin(), zero_pair.types.end(), 0);
  const float s0 = without->score_pairs({zero_pair})[0];
  EXPECT_GT(std::fabs(s1 - s0), 1e-3) << "type 1 should change the score";

  // Row 1 − row 0 of token_types.weight, read from the file itself.
  auto file = GgufFile::open(path);
  ASSERT_TRUE(file.ok());
  const GgufTensorInfo* tt = file->find_tensor("token_types.weight");
  ASSERT_NE(tt, nullptr);
  const auto* rows = static_cast<const float*>(tt->data);
  const int64_t E = tt->ne[0];
  ASSERT_EQ(embd_with.size(), pair.ids.size() * static_cast<size_t>(E));
  for (size_t t = 0; t < pair.ids.size(); ++t) {
    for (int64_t c = 0; c < E; c += 17) {
      const float diff = embd_with[t * E + c] - embd_without[t * E + c];
      const float want = t < a_len ? 0.0f : rows[E + c] - rows[c];
      EXPECT_NEAR(diff, want, 1e-5) << "token " << t << " channel " << c;
    }
  }
}

// Batching must not change a score beyond the llama.cpp bar.
void expect_batching_invariant(const std::string& kind, const std::string& type) {
  auto rr = open_reranker(fixture(kind, type));
  ASSERT_NE(rr, nullptr);
  std::vector<std::string> passages;
  for (const Pair& p : pairs()) passages.push_back(p.passage);
  const std::vector<float> together = rr->score("capital of France", passages);
  RerankerParams small;
  small.max_batch_tokens = 1;  // one pair per pass
  auto one = open_reranker(fixture(kind, type), small);
  const std::vector<float> apart = one->score("capital of France", passages);
  ASSERT_EQ(together.size(), passages.size());
  for (size_t i = 0; i < passages.size(); ++i)
    EXPECT_NEAR(together[i], apart[i], 1e-3) << kind << "-" << type << " passage " << i;
}

TEST(Reranker, ScoresDoNotDependOnBatching) {
  for (const char* kind : {"bert-rerank", "xlmr-rerank"}) {
    for (const char* type : {"f32", "f16", "q8_0"}) expect_batching_invariant(kind, type);
  }
}

TEST(Reranker, LongPassagesAreTruncatedToTheContext) {
  auto rr = open_reranker(fixture("bert-rerank", "q8_0"));
  ASSERT_NE(rr, nullptr);
  std::string passage;
  for (int i = 0; i < 400; ++i) passage += "word" + std::to_string(i) + " ";
  const TokenizedPair p = rr->tokenize("a short query", passage);
  EXPECT_EQ(p.ids.size(), 512u);
  EXPECT_EQ(p.ids.back(), p.ids[4]);  // [CLS] a short query [SEP] ... [SEP]
  const std::vector<float> s = rr->score("a short query", {passage});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(std::isfinite(s[0]));
}

// llama.cpp's Unigram tokenizer has no byte fallback: a character missing from the
// vocabulary becomes one <unk> (id 0) there, while sentencepiece (the ground truth,
// tests/data/unigram) spells it as its UTF-8 bytes <0xNN>. Equal ids, or exactly
// that difference: one <unk> in llama.cpp per character trove spells in bytes.
void expect_same_ids_but_byte_fallback(const std::vector<int32_t>& trove,
                                       const std::vector<int32_t>& llama,
                                       std::span<const std::string_view> pieces,
                                       const std::string& text) {
  size_t t = 0, l = 0;
  while (t < trove.size() && l < llama.size()) {
    if (trove[t] == llama[l]) {
      ++t;
      ++l;
      continue;
    }
    ASSERT_EQ(llama[l], 0) << text << ": ids differ at " << t << " and it is no <unk>";
    std::string bytes;
    while (t < trove.size() && pieces[static_cast<size_t>(trove[t])].size() == 6 &&
           pieces[static_cast<size_t>(trove[t])].starts_with("<0x")) {
      bytes += static_cast<char>(
          std::stoi(std::string(pieces[static_cast<size_t>(trove[t])].substr(3, 2)), nullptr, 16));
      ++t;
    }
    ASSERT_FALSE(bytes.empty()) << text << ": llama.cpp's <unk> is no byte-fallback run in trove";
    size_t chars = 0;
    for (unsigned char c : bytes) chars += (c & 0xC0) != 0x80;
    for (size_t k = 0; k < chars; ++k, ++l) {
      ASSERT_LT(l, llama.size());
      EXPECT_EQ(llama[l], 0) << text;
    }
    EXPECT_NE(text.find(bytes), std::string::npos) << "the bytes are the text's own characters";
  }
  EXPECT_EQ(t, trove.size()) << text;
  EXPECT_EQ(l, llama.size()) << text;
}

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t c = 0; c < a.size(); ++c) {
    dot += static_cast<double>(a[c]) * b[c];
    na += static_cast<double>(a[c]) * a[c];
    nb += static_cast<double>(b[c]) * b[c];
  }
  return dot / std::sqrt(na * nb);
}

// The encoder is compared on llama.cpp's own ids (like for like: the tokenizers
// legitimately differ on byte fallback); where the ids agree the whole text path is
// compared too.
void expect_llama_embeddings(const std::string& type, double min_cos) {
  const std::string path = fixture("xlmr-embed", type);
  auto emb = Embedder::open(path, {.n_threads = 2});
  ASSERT_TRUE(emb.ok()) << emb.error().message;
  auto file = GgufFile::open(path);
  ASSERT_TRUE(file.ok());
  auto pieces = file->get_string_array("tokenizer.ggml.tokens");
  ASSERT_TRUE(pieces.ok());
  const std::vector<std::string> texts = test::read_lines(ref_file("texts.txt"));
  const std::vector<std::string> token_lines = test::read_lines(ref_file("xlmr-embed.tokens"));
  ASSERT_EQ(token_lines.size(), texts.size());
  const auto want =
      test::parse_embeddings_json(test::read_all(ref_file("xlmr-embed-" + type + ".emb.json")));
  ASSERT_EQ(want.size(), texts.size());
  const auto got_texts = (*emb)->embed_texts(texts);
  size_t byte_fallback_texts = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::vector<int32_t> llama_ids = test::parse_ints(token_lines[i]);
    const std::vector<int32_t> ids = (*emb)->tokenizer().encode(texts[i], true);
    expect_same_ids_but_byte_fallback(ids, llama_ids, *pieces, texts[i]);
    const auto got = (*emb)->encoder().embed_batch({llama_ids}, nullptr);
    ASSERT_EQ(got[0].size(), want[i].size());
    EXPECT_GE(cosine(got[0], want[i]), min_cos) << type << ": " << texts[i];
    if (ids == llama_ids) {
      EXPECT_GE(cosine(got_texts[i], want[i]), min_cos) << type << ": " << texts[i];
    } else {
      ++byte_fallback_texts;
    }
  }
  EXPECT_GE(byte_fallback_texts, 1u) << "texts.txt should exercise byte fallback";
}

TEST(XlmrEncoder, F32EmbeddingsMatchLlamaCpp) {
  expect_llama_embeddings("f32", 0.9999);
}
TEST(XlmrEncoder, F16EmbeddingsMatchLlamaCpp) {
  expect_llama_embeddings("f16", 0.9999);
}
TEST(XlmrEncoder, Q8_0EmbeddingsMatchLlamaCpp) {
  expect_llama_embeddings("q8_0", 0.999);
}

TEST(Reranker, EmbeddingModelIsNotAReranker) {
  auto r = Reranker::open(fixture("xlmr-embed", "f16"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("xlmr-embed-f16.gguf"), std::string::npos);
  EXPECT_NE(r.error().message.find("cls.weight"), std::string::npos) << r.error().message;
}

TEST(Reranker, RerankerIsNotAnEmbeddingModel) {
  auto e = Embedder::open(fixture("xlmr-rerank", "f16"));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("reranker"), std::string::npos) << e.error().message;
}

TEST(Reranker, TruncatedFileIsAClearError) {
  const std::string src = fixture("bert-rerank", "q8_0");
  const std::string cut = src + ".cut.gguf";
  std::filesystem::copy_file(src, cut, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::resize_file(cut, std::filesystem::file_size(src) / 2);
  auto r = Reranker::open(cut);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(cut), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace trove
