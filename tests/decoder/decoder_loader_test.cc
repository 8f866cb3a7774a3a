// tests/decoder/decoder_loader_test.cc — a broken decoder file fails with an error
// that names the file, the tensor or key, and the expected versus found shape. The
// broken files are copies of a fixture with one thing changed.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/gguf.h"
#include "core/gguf_writer.h"
#include "generate/model.h"

namespace trove {
namespace {

const std::string kModel =
    std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/models/llama-spm-q8_0.gguf";

// Copies the fixture; edit_tensor may add its own version of a tensor (return true) or
// drop it (return true without adding); edit_meta changes metadata.
std::string copy_with(const std::string& out_name,
                      const std::function<bool(const GgufTensorInfo&, GgufWriter&)>& edit_tensor,
                      const std::function<void(GgufWriter&)>& edit_meta = {}) {
  auto src = GgufFile::open(kModel);
  EXPECT_TRUE(src.ok());
  GgufWriter w;
  w.copy_metadata(*src, "");
  if (edit_meta) edit_meta(w);
  for (const GgufTensorInfo& t : src->tensors()) {
    if (edit_tensor && edit_tensor(t, w)) continue;
    const auto* p = static_cast<const uint8_t*>(t.data);
    std::vector<int64_t> ne(t.ne, t.ne + t.n_dims);
    EXPECT_TRUE(w.add_tensor_bytes(t.name, ne, t.type, std::vector<uint8_t>(p, p + t.nbytes)).ok());
  }
  std::string path = ::testing::TempDir() + out_name;
  EXPECT_TRUE(w.write(path).ok());
  return path;
}

std::string load_error(const std::string& path) {
  auto m = DecoderModel::open(path);
  EXPECT_FALSE(m.ok());
  std::remove(path.c_str());
  return m.ok() ? "" : m.error().message;
}

TEST(DecoderLoader, UnchangedCopyLoads) {
  const std::string path = copy_with("decoder_copy.gguf", nullptr);
  auto m = DecoderModel::open(path);
  EXPECT_TRUE(m.ok()) << m.error().message;
  std::remove(path.c_str());
}

TEST(DecoderLoader, MissingTensorIsNamedWithItsExpectedShape) {
  const std::string path = copy_with(
      "decoder_missing.gguf",
      [](const GgufTensorInfo& t, GgufWriter&) { return t.name == "blk.1.ffn_up.weight"; });
  const std::string err = load_error(path);
  EXPECT_NE(err.find("decoder_missing.gguf"), std::string::npos) << err;
  EXPECT_NE(err.find("blk.1.ffn_up.weight is missing"), std::string::npos) << err;
  EXPECT_NE(err.find("[256, 768]"), std::string::npos) << err;
}

TEST(DecoderLoader, WrongShapeSaysExpectedAndFound) {
  const std::string path =
      copy_with("decoder_shape.gguf", [](const GgufTensorInfo& t, GgufWriter& w) {
        if (t.name != "blk.0.attn_k.weight") return false;
        EXPECT_TRUE(w.add_constant_tensor(t.name, {256, 256}, GgmlType::kF32, 0.0f).ok());
        return true;
      });
  const std::string err = load_error(path);
  EXPECT_NE(err.find("blk.0.attn_k.weight has shape [256, 256], expected [256, 128]"),
            std::string::npos)
      << err;
}

TEST(DecoderLoader, UnsupportedArchitectureIsNamed) {
  const std::string path = copy_with("decoder_arch.gguf", nullptr, [](GgufWriter& w) {
    w.set_string("general.architecture", "gemma");
  });
  const std::string err = load_error(path);
  EXPECT_NE(err.find("'gemma'"), std::string::npos) << err;
  EXPECT_NE(err.find("llama, qwen2, qwen3"), std::string::npos) << err;
}

TEST(DecoderLoader, MissingKeyIsNamed) {
  const std::string path =
      copy_with("decoder_key.gguf", nullptr, [](GgufWriter& w) { w.remove("llama.block_count"); });
  const std::string err = load_error(path);
  EXPECT_NE(err.find("llama.block_count"), std::string::npos) << err;
}

TEST(DecoderLoader, ZeroHeadsIsRejected) {
  const std::string path = copy_with("decoder_heads.gguf", nullptr, [](GgufWriter& w) {
    w.set_u32("llama.attention.head_count", 0);
  });
  const std::string err = load_error(path);
  EXPECT_NE(err.find("llama.attention.head_count"), std::string::npos) << err;
}

TEST(DecoderLoader, HeadsNotAMultipleOfKvHeadsIsRejected) {
  const std::string path = copy_with("decoder_gqa.gguf", nullptr, [](GgufWriter& w) {
    w.set_u32("llama.attention.head_count_kv", 3);
  });
  const std::string err = load_error(path);
  EXPECT_NE(err.find("head_count_kv"), std::string::npos) << err;
}

}  // namespace
}  // namespace trove
