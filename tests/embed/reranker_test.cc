// Cross-encoder reranking and XLM-R encoders against llama.cpp on the fixtures of
// encoder_fixtures.h (written here, checked against the recorded sha256 first):
// scores within 1e-3 of llama-embedding --pooling rank, XLM-R embeddings at cosine
// >= 0.9999 (F32/F16) and >= 0.999 (Q8_0), and the same token ids as llama.cpp on
// the same inputs. References: tests/data/rerank (make_refs.sh).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <unistd.h>

#include "core/sha256.h"
#include "embed/embedder.h"
#include "embed/reranker.h"
#include "encoder_fixtures.h"
#include "fixture_util.h"

namespace trove {
namespace {

const char* kTypes[] = {"f32", "f16", "q8_0"};

GgmlType type_of(const std::string& t) {
  return t == "f32" ? GgmlType::kF32 : t == "f16" ? GgmlType::kF16 : GgmlType::kQ8_0;
}

std::string ref_file(const std::string& name) {
  return test::data_file("rerank/" + name);
}

// Writes each fixture once per test program, into a temporary folder.
std::string fixture(const std::string& kind, const std::string& type) {
  static std::map<std::string, std::string> made;
  const std::string key = kind + "-" + type;
  if (auto it = made.find(key); it != made.end()) return it->second;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("trove-encoder-fixtures-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / (key + ".gguf")).string();
  const Status s = test::write_encoder_fixture(kind, type_of(type), TROVE_SOURCE_DIR, path);
  EXPECT_TRUE(s.ok()) << s.error().message;
  auto sum = sha256_file(path);
  EXPECT_TRUE(sum.ok());
  const std::vector<std::string> want = test::read_lines(ref_file(key + ".sha256"));
  EXPECT_FALSE(want.empty());
  if (!want.empty()) {
    EXPECT_EQ(*sum, want[0]) << path << " differs from the file the references were computed "
                             << "on: regenerate them with tests/data/rerank/make_refs.sh";
  }
  made[key] = path;
  return path;
}

struct Pair {
  std::string query, passage;
};

std::vector<Pair> pairs() {
  std::vector<Pair> out;
  for (const std::string& line : test::read_lines(ref_file("pairs.tsv"))) {
    const size_t tab = line.find('\t');
    if (tab != std::string::npos) out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return out;
}

std::vector<float> read_floats(const std::string& path) {
  std::vector<float> out;
  for (const std::string& line : test::read_lines(path)) {
    if (!line.empty()) out.push_back(std::strtof(line.c_str(), nullptr));
  }
  return out;
}

std::unique_ptr<Reranker> open_reranker(const std::string& path, RerankerParams p = {}) {
  p.n_threads = 2;
  auto r = Reranker::open(path, p);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? std::move(r).value() : nullptr;
}

void expect_llama_scores(const std::string& kind, bool passage_type_1) {
  const std::vector<Pair> ps = pairs();
  ASSERT_GE(ps.size(), 6u);
  const std::vector<std::string> token_lines = test::read_lines(ref_file(kind + ".tokens"));
  ASSERT_EQ(token_lines.size(), ps.size());
  for (const char* type : kTypes) {
    RerankerParams params;
    params.passage_type_1 = passage_type_1;
    auto rr = open_reranker(fixture(kind, type), params);
    ASSERT_NE(rr, nullptr);
    const std::vector<float> want = read_floats(ref_file(kind + "-" + type + ".scores"));
    ASSERT_EQ(want.size(), ps.size());
    std::vector<std::string> passages;
    for (size_t i = 0; i < ps.size(); ++i) {
      EXPECT_EQ(rr->tokenize(ps[i].query, ps[i].passage).ids, test::parse_ints(token_lines[i]))
          << kind << " pair " << i;
    }
    for (size_t i = 0; i < ps.size(); ++i) {
      // One query per call, as search does, and all pairs in one batch below.
      const float s = rr->score(ps[i].query, {ps[i].passage})[0];
      EXPECT_NEAR(s, want[i], 1e-3) << kind << "-" << type << " pair " << i;
    }
    std::vector<TokenizedPair> all;
    for (const Pair& p : ps) all.push_back(rr->tokenize(p.query, p.passage));
    const std::vector<float> batched = rr->score_pairs(all);
    for (size_t i = 0; i < ps.size(); ++i) {
      EXPECT_NEAR(batched[i], want[i], 1e-3) << kind << "-" << type << " batched pair " << i;
    }
  }
}

TEST(Reranker, BertScoresMatchLlamaCpp) {
  // llama.cpp reads every token as type 0; compare like for like.
  expect_llama_scores("bert-rerank", /*passage_type_1=*/false);
}

TEST(Reranker, XlmrScoresMatchLlamaCpp) {
  // One token type: nothing to switch.
  expect_llama_scores("xlmr-rerank", /*passage_type_1=*/true);
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

TEST(Reranker, ScoresDoNotDependOnBatching) {
  auto rr = open_reranker(fixture("xlmr-rerank", "f16"));
  ASSERT_NE(rr, nullptr);
  std::vector<std::string> passages;
  for (const Pair& p : pairs()) passages.push_back(p.passage);
  const std::vector<float> together = rr->score("capital of France", passages);
  RerankerParams small;
  small.max_batch_tokens = 1;  // one pair per pass
  auto one = open_reranker(fixture("xlmr-rerank", "f16"), small);
  const std::vector<float> apart = one->score("capital of France", passages);
  ASSERT_EQ(together.size(), passages.size());
  for (size_t i = 0; i < passages.size(); ++i) EXPECT_NEAR(together[i], apart[i], 1e-3);  // the llama.cpp bar: batch paths quantize differently
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

void expect_llama_embeddings(const std::string& type, double min_cos) {
  auto emb = Embedder::open(fixture("xlmr-embed", type), {.n_threads = 2});
  ASSERT_TRUE(emb.ok()) << emb.error().message;
  const std::vector<std::string> texts = test::read_lines(ref_file("texts.txt"));
  const std::vector<std::string> token_lines = test::read_lines(ref_file("xlmr-embed.tokens"));
  ASSERT_EQ(token_lines.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ((*emb)->tokenizer().encode(texts[i], true), test::parse_ints(token_lines[i]))
        << texts[i];
  }
  const auto want =
      test::parse_embeddings_json(test::read_all(ref_file("xlmr-embed-" + type + ".emb.json")));
  ASSERT_EQ(want.size(), texts.size());
  const auto got = (*emb)->embed_texts(texts);
  for (size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ(got[i].size(), want[i].size());
    double dot = 0, na = 0, nb = 0;
    for (size_t c = 0; c < got[i].size(); ++c) {
      dot += static_cast<double>(got[i][c]) * want[i][c];
      na += static_cast<double>(got[i][c]) * got[i][c];
      nb += static_cast<double>(want[i][c]) * want[i][c];
    }
    EXPECT_GE(dot / std::sqrt(na * nb), min_cos) << type << ": " << texts[i];
  }
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
