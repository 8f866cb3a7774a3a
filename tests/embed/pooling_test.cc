// tests/embed/pooling_test.cc — pooling when a GGUF lacks <arch>.pooling_type: the
// CLS fixture rewritten without the key embeds like its CLS reference when its name
// says bge (the family default), and mean-pools (no longer matching) when its name
// says MiniLM; a file that has the key keeps it whatever its name says.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/gguf.h"
#include "core/gguf_writer.h"
#include "embed/embedder.h"
#include "embed/pooling.h"
#include "tests/embed/fixture_util.h"

namespace trove {
namespace {

namespace fs = std::filesystem;

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

class Pooling : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trove-pooling-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The CLS fixture with general.name = name and, unless keep_key, no pooling_type.
  std::string rewrite(const std::string& file_name, const std::string& name, bool keep_key) {
    auto src = GgufFile::open(test::fixture("models/bert-cls-q8_0.gguf"));
    EXPECT_TRUE(src.ok()) << src.error().message;
    GgufWriter w;
    w.copy_metadata(*src, "");
    w.set_string("general.name", name);
    if (!keep_key) w.remove("bert.pooling_type");
    for (const GgufTensorInfo& t : src->tensors()) {
      const auto* p = static_cast<const uint8_t*>(t.data);
      std::vector<int64_t> ne(t.ne, t.ne + t.n_dims);
      EXPECT_TRUE(w.add_tensor_bytes(t.name, ne, t.type, std::vector<uint8_t>(p, p + t.nbytes)).ok());
    }
    std::string out = (dir_ / file_name).string();
    EXPECT_TRUE(w.write(out).ok());
    return out;
  }

  // Mean cosine of the file's embeddings with the CLS fixture's reference vectors.
  double agreement_with_cls_reference(const std::string& file) {
    auto emb = Embedder::open(file, {});
    EXPECT_TRUE(emb.ok()) << emb.error().message;
    const auto texts = test::read_lines(test::fixture("refs/texts_dev.txt"));
    const auto refs = test::parse_embeddings_json(
        test::read_all(test::fixture("refs/bert-cls-q8_0.dev.emb.json")));
    const auto got = (*emb)->embed_texts(texts);
    double worst = 1.0;
    for (size_t i = 0; i < texts.size(); ++i) worst = std::min(worst, cosine(got[i], refs[i]));
    return worst;
  }

  fs::path dir_;
};

TEST_F(Pooling, MissingKeyOnABgeModelUsesCls) {
  const std::string f = rewrite("model.gguf", "bge-small-en-v1.5", false);
  auto g = GgufFile::open(f);
  ASSERT_TRUE(g.ok());
  ASSERT_FALSE(g->has("bert.pooling_type"));
  const PoolingChoice c = choose_pooling(*g);
  EXPECT_EQ(c.name(), "cls");
  EXPECT_FALSE(c.from_file);
  EXPECT_EQ(c.family, "bge");
  EXPECT_NE(c.source().find("bge"), std::string::npos);
  EXPECT_GE(agreement_with_cls_reference(f), 0.999);  // the fixture README's Q8_0 bar
}

TEST_F(Pooling, MissingKeyOnAMiniLmModelMeanPools) {
  const std::string f = rewrite("model.gguf", "all-MiniLM-L6-v2", false);
  auto g = GgufFile::open(f);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(choose_pooling(*g).name(), "mean");
  // Mean pooling of a CLS-trained file gives other vectors: proof that the default
  // really decides the pooling (random weights make the two clearly different).
  EXPECT_LT(agreement_with_cls_reference(f), 0.99);
}

TEST_F(Pooling, FamilyComesFromTheFileNameWhenTheMetadataSaysNothing) {
  const std::string f = rewrite("arctic-embed-xs.Q8_0.gguf", "", false);
  auto g = GgufFile::open(f);
  ASSERT_TRUE(g.ok());
  const PoolingChoice c = choose_pooling(*g);
  EXPECT_EQ(c.family, "arctic-embed");
  EXPECT_EQ(c.name(), "cls");
}

TEST_F(Pooling, UnknownFamilyIsSaidToBeAGuess) {
  const std::string f = rewrite("model.gguf", "some-encoder", false);
  auto g = GgufFile::open(f);
  ASSERT_TRUE(g.ok());
  const PoolingChoice c = choose_pooling(*g);
  EXPECT_EQ(c.name(), "mean");
  EXPECT_EQ(c.family, "unknown");
  EXPECT_NE(c.source().find("no known family"), std::string::npos);
}

TEST_F(Pooling, TheFilesKeyWinsOverTheFamily) {
  // The CLS fixture keeps pooling_type = 2 while named like a mean-pooled family.
  const std::string f = rewrite("model.gguf", "all-MiniLM-L6-v2", true);
  auto g = GgufFile::open(f);
  ASSERT_TRUE(g.ok());
  const PoolingChoice c = choose_pooling(*g);
  EXPECT_TRUE(c.from_file);
  EXPECT_EQ(c.name(), "cls");
  EXPECT_GE(agreement_with_cls_reference(f), 0.999);
}

}  // namespace
}  // namespace trove
