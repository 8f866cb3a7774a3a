// tests/faults/gguf_hparams_test.cc — issue 15, faults 3 and 4: hyper-parameters read
// from a GGUF are validated at load (finite, in range, backed by the tensors present),
// naming the key; a model that produces a non-finite vector is an error, never stored.
// The hostile files are copies of a fixture encoder with one key (or tensor) changed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "../cli/run_process.h"
#include "core/gguf.h"
#include "core/gguf_writer.h"
#include "embed/embedder.h"
#include "index/model_registry.h"

namespace trove {
namespace {

namespace fs = std::filesystem;

const std::string kFixture =
    std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/models/bert-mean-f16.gguf";

// Copies kFixture to `out` with `edit` applied to the metadata and, for the tensor
// named `nan_tensor`, every value replaced by NaN.
void rewrite(const std::string& out, const std::function<void(GgufWriter&)>& edit,
             const std::string& nan_tensor = "") {
  auto src = GgufFile::open(kFixture);
  ASSERT_TRUE(src.ok()) << src.error().message;
  GgufWriter w(static_cast<uint32_t>(src->alignment()));
  w.copy_metadata(*src, "");
  edit(w);
  for (const GgufTensorInfo& t : src->tensors()) {
    std::vector<int64_t> ne(t.ne, t.ne + t.n_dims);
    if (t.name == nan_tensor) {
      std::vector<float> nan(static_cast<size_t>(t.n_elements()),
                             std::numeric_limits<float>::quiet_NaN());
      ASSERT_TRUE(w.add_tensor(t.name, ne, GgmlType::kF32, nan).ok());
      continue;
    }
    const auto* p = static_cast<const uint8_t*>(t.data);
    ASSERT_TRUE(w.add_tensor_bytes(t.name, ne, t.type, std::vector<uint8_t>(p, p + t.nbytes)).ok());
  }
  ASSERT_TRUE(w.write(out).ok());
}

class Hostile : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return dir_.path() + "/" + name; }
  testing::TempDir dir_;
};

TEST_F(Hostile, TheUnchangedCopyLoads) {
  rewrite(path("copy.gguf"), [](GgufWriter&) {});
  auto e = Embedder::open(path("copy.gguf"));
  ASSERT_TRUE(e.ok()) << e.error().message;
  for (float x : (*e)->embed_query("a copy works")) EXPECT_TRUE(std::isfinite(x));
}

TEST_F(Hostile, BadLayerNormEpsilonIsRefusedNamingTheKey) {
  for (double eps : {std::nan(""), 0.0, -1e-5, 1e6, std::numeric_limits<double>::infinity()}) {
    SCOPED_TRACE(eps);
    rewrite(path("eps.gguf"), [&](GgufWriter& w) {
      w.set_f32("bert.attention.layer_norm_epsilon", static_cast<float>(eps));
    });
    auto e = Embedder::open(path("eps.gguf"));
    ASSERT_FALSE(e.ok());
    EXPECT_NE(e.error().message.find("bert.attention.layer_norm_epsilon"), std::string::npos)
        << e.error().message;
    EXPECT_NE(e.error().message.find(path("eps.gguf")), std::string::npos) << e.error().message;
  }
}

TEST_F(Hostile, HugeBlockCountIsRefusedBeforeAllocating) {
  rewrite(path("blocks.gguf"), [](GgufWriter& w) { w.set_u32("bert.block_count", 1u << 24); });
  auto e = Embedder::open(path("blocks.gguf"));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("bert.block_count is 16777216"), std::string::npos)
      << e.error().message;
  // models add used to record 16,777,216 layers.
  auto reg = index::ModelRegistry::open(path("home"));
  ASSERT_TRUE(reg.ok());
  auto added = reg->add(path("blocks.gguf"), index::ModelRole::kEmbed);
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.error().message.find("block_count"), std::string::npos) << added.error().message;
}

TEST_F(Hostile, FewerBlocksThanTensorsIsRefusedToo) {
  rewrite(path("fewer.gguf"), [](GgufWriter& w) { w.set_u32("bert.block_count", 1); });
  auto e = Embedder::open(path("fewer.gguf"));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("block_count"), std::string::npos) << e.error().message;
}

TEST_F(Hostile, NonFiniteEmbeddingsAreAnErrorAndNeverStored) {
  rewrite(
      path("nan.gguf"), [](GgufWriter&) {}, "token_embd_norm.weight");
  testing::TempDir run;
  const std::string src = run.path() + "/src";
  fs::create_directories(src);
  std::ofstream(src + "/a.txt") << "a passage about tunnels\n";
  auto r = testing::run_trove({"embed", "--model", path("nan.gguf"), "some text"}, run.path());
  EXPECT_EQ(r.rc, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("non-finite"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("nan"), std::string::npos) << r.out;
  r = testing::run_trove(
      {"--home", run.path() + "/home", "index", "--embed-model", path("nan.gguf"), src},
      run.path());
  EXPECT_NE(r.rc, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("non-finite"), std::string::npos) << r.err;
  r = testing::run_trove({"--home", run.path() + "/home", "status", "--json"}, run.path());
  EXPECT_NE(r.out.find("\"vectors\":0"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace trove
