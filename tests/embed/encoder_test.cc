// tests/embed/encoder_test.cc — embeddings of refs/texts_dev.txt against the reference
// engine's vectors for the three BERT-family fixture models, each text embedded alone
// and all of them in one batch; and the errors for files that are not encoders.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "embed/embedder.h"
#include "tests/embed/fixture_util.h"

namespace trove {
namespace {

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

struct Case {
  const char* model;
  double min_cosine;  // the fixture README's bar for the file's weight type
};

class EncoderFixture : public ::testing::TestWithParam<Case> {};

TEST_P(EncoderFixture, MatchesReferenceAloneAndBatched) {
  const Case c = GetParam();
  EmbedderParams params;
  params.n_threads = 2;
  auto emb = Embedder::open(test::fixture(std::string("models/") + c.model + ".gguf"), params);
  ASSERT_TRUE(emb.ok()) << emb.error().message;
  const auto texts = test::read_lines(test::fixture("refs/texts_dev.txt"));
  const auto refs = test::parse_embeddings_json(
      test::read_all(test::fixture(std::string("refs/") + c.model + ".dev.emb.json")));
  ASSERT_EQ(texts.size(), refs.size());
  ASSERT_FALSE(texts.empty());

  const auto batched = (*emb)->embed_texts(texts);
  ASSERT_EQ(batched.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto alone = (*emb)->embed_texts({texts[i]});
    ASSERT_EQ(alone.size(), 1u);
    ASSERT_EQ(alone[0].size(), refs[i].size()) << c.model;
    ASSERT_EQ(static_cast<int>(refs[i].size()), (*emb)->dim());
    EXPECT_GE(cosine(alone[0], refs[i]), c.min_cosine) << c.model << " text " << i << " alone";
    EXPECT_GE(cosine(batched[i], refs[i]), c.min_cosine) << c.model << " text " << i << " batched";
    EXPECT_GE(cosine(batched[i], alone[0]), c.min_cosine) << c.model << " text " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, EncoderFixture,
                         ::testing::Values(Case{"bert-mean-f16", 0.9999},
                                           Case{"bert-cls-q8_0", 0.999},
                                           Case{"nomic-bert-f16", 0.9999}),
                         [](const auto& param_info) {
                           std::string n = param_info.param.model;
                           for (char& ch : n) {
                             if (ch == '-') ch = '_';
                           }
                           return n;
                         });

TEST(Encoder, SmallBatchesGiveTheSameVectors) {
  EmbedderParams params;
  params.n_threads = 2;
  params.max_batch_tokens = 16;  // forces several forward passes
  auto small = Embedder::open(test::fixture("models/bert-mean-f16.gguf"), params);
  ASSERT_TRUE(small.ok()) << small.error().message;
  auto big = Embedder::open(test::fixture("models/bert-mean-f16.gguf"), {});
  ASSERT_TRUE(big.ok());
  const auto texts = test::read_lines(test::fixture("refs/texts_dev.txt"));
  const auto a = (*small)->embed_texts(texts);
  const auto b = (*big)->embed_texts(texts);
  for (size_t i = 0; i < texts.size(); ++i) EXPECT_GE(cosine(a[i], b[i]), 0.9999) << i;
}

TEST(Encoder, LongTextIsTruncatedToTheContext) {
  auto emb = Embedder::open(test::fixture("models/bert-mean-f16.gguf"), {});
  ASSERT_TRUE(emb.ok());
  std::string text;
  for (int i = 0; i < 800; ++i) text += "word" + std::to_string(i % 50) + " ";
  EXPECT_GT((*emb)->count_tokens(text), 512u);
  const auto v = (*emb)->embed_documents({text, ""});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].size(), 128u);
  double norm = 0;
  for (float f : v[1]) norm += double(f) * f;
  EXPECT_NEAR(norm, 1.0, 1e-4);  // the empty text still has [CLS] [SEP]
  EXPECT_EQ((*emb)->max_tokens(), 510);
}

TEST(Encoder, FamilyPrefixesAreApplied) {
  auto emb = Embedder::open(test::fixture("models/nomic-bert-f16.gguf"), {});
  ASSERT_TRUE(emb.ok()) << emb.error().message;
  EXPECT_EQ((*emb)->family(), "nomic");  // general.name is tiny-nomic-bert-random
  const std::string text = "How do I renew my passport?";
  const auto doc = (*emb)->embed_documents({text});
  const auto doc_ref = (*emb)->embed_texts({"search_document: " + text});
  const auto query = (*emb)->embed_query(text);
  const auto query_ref = (*emb)->embed_texts({"search_query: " + text});
  const auto plain = (*emb)->embed_texts({text});
  EXPECT_EQ(doc[0], doc_ref[0]);
  EXPECT_EQ(query, query_ref[0]);
  EXPECT_LT(cosine(doc[0], plain[0]), 0.9999);
  // max_tokens leaves room for [CLS], [SEP] and "search_document: " (4 tokens).
  EXPECT_EQ((*emb)->max_tokens(), 512 - 2 - 4);
}

TEST(Encoder, ActivationHookSeesEveryNamedStage) {
  auto emb = Embedder::open(test::fixture("models/bert-mean-f16.gguf"), {});
  ASSERT_TRUE(emb.ok());
  std::vector<std::string> seen;
  int64_t rows_seen = -1;
  (*emb)->encoder().set_activation_hook(
      [&](std::string_view name, int layer, const float*, int64_t rows, int64_t cols) {
        seen.push_back(std::string(name) + "/" + std::to_string(layer));
        rows_seen = rows;
        // The FFN's inner stages are n_ff wide, the rest n_embd.
        EXPECT_EQ(cols, name == "ffn_up_b" || name == "ffn_gelu" ? 256 : 128) << name;
      });
  (void)(*emb)->embed_texts({"hello world", "a b c"});  // 4 + 5 tokens with [CLS]/[SEP]
  EXPECT_EQ(rows_seen, 9);
  for (const char* want : {"inp_embd/-1", "inp_norm/-1", "Qcur/0", "Kcur/1", "Vcur/1", "kqv_out/0",
                           "ffn_inp/1", "ffn_up_b/0", "ffn_gelu/1", "ffn_out/0", "l_out/1",
                           "result_embd/-1"}) {
    EXPECT_NE(std::find(seen.begin(), seen.end(), want), seen.end()) << want;
  }
}

TEST(Encoder, DecoderModelIsRejectedNamingTheFile) {
  const std::string path = test::fixture("models/llama-spm-q8_0.gguf");
  auto emb = Embedder::open(path, {});
  ASSERT_FALSE(emb.ok());
  EXPECT_NE(emb.error().message.find(path), std::string::npos) << emb.error().message;
  EXPECT_NE(emb.error().message.find("llama"), std::string::npos) << emb.error().message;
}

TEST(Encoder, VocabularyOnlyFileNamesTheMissingTensor) {
  const std::string path = test::fixture("tokenizer/ggml-vocab-bert-bge.gguf");
  auto emb = Embedder::open(path, {});
  ASSERT_FALSE(emb.ok());
  EXPECT_NE(emb.error().message.find(path), std::string::npos) << emb.error().message;
  EXPECT_NE(emb.error().message.find("token_embd.weight"), std::string::npos)
      << emb.error().message;
}

TEST(ModelFamily, PrefixesByName) {
  EXPECT_EQ(detect_prefixes("bge-small-en-v1.5", "", "").query,
            "Represent this sentence for searching relevant passages: ");
  EXPECT_EQ(detect_prefixes("bge-small-en-v1.5", "", "").document, "");
  EXPECT_EQ(detect_prefixes("", "multilingual-e5-small", "").query, "query: ");
  EXPECT_EQ(detect_prefixes("", "", "/m/e5-base-v2.Q8_0.gguf").document, "passage: ");
  EXPECT_EQ(detect_prefixes("nomic-embed-text-v1.5", "", "").document, "search_document: ");
  EXPECT_EQ(detect_prefixes("snowflake-arctic-embed-m", "", "").family, "arctic-embed");
  EXPECT_EQ(detect_prefixes("all-MiniLM-L6-v2", "", "").query, "");
  EXPECT_EQ(detect_prefixes("all-MiniLM-L6-v2", "", "").family, "minilm");
  EXPECT_EQ(detect_prefixes("mystery", "", "/models/bge5x/x.gguf").family, "unknown");
}

}  // namespace
}  // namespace trove
