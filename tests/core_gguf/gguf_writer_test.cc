// tests/core_gguf/gguf_writer_test.cc — files written by GgufWriter read back through
// GgufFile: metadata of every type, tokenizer metadata copied from a fixture, tensors
// in each produced type (compared after dequantization with per-type error bounds),
// random tensors, alignment, and the atomic write.
#include "core/gguf_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/gguf.h"
#include "core/kernels.h"

namespace trove {
namespace {

namespace fs = std::filesystem;

class GgufWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trove_gguf_writer_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(GgufWriterTest, MetadataOfEveryTypeRoundTrips) {
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.set_u8("u8", 250);
  w.set_u32("u32", 4000000000u);
  w.set_i32("i32", -7);
  w.set_u64("u64", uint64_t{1} << 60);
  w.set_i64("i64", -(int64_t{1} << 50));
  w.set_f32("f32", 0.125f);
  w.set_f64("f64", -1e-300);
  w.set_bool("b", true);
  const std::vector<std::string> strs = {"a", "", "ccc"};
  w.set_string_array("sa", strs);
  const std::vector<float> fl = {1.5f, -2.0f};
  w.set_f32_array("fa", fl);
  const std::vector<int32_t> in = {-1, 2};
  w.set_i32_array("ia", in);
  w.set_u32("u32", 5);  // replaces in place
  w.set_u32("gone", 1);
  w.remove("gone");
  ASSERT_TRUE(w.write(path("m.gguf")));

  auto f = GgufFile::open(path("m.gguf"));
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->version(), 3u);
  EXPECT_EQ(f->metadata().size(), 12u);
  EXPECT_EQ(f->metadata()[2].first, "u32");
  EXPECT_EQ(*f->get_string("general.architecture"), "llama");
  EXPECT_EQ(*f->get_uint("u8"), 250u);
  EXPECT_EQ(*f->get_uint("u32"), 5u);
  EXPECT_EQ(*f->get_int("i32"), -7);
  EXPECT_EQ(*f->get_uint("u64"), uint64_t{1} << 60);
  EXPECT_EQ(*f->get_int("i64"), -(int64_t{1} << 50));
  EXPECT_EQ(*f->get_float("f32"), 0.125);
  EXPECT_EQ(*f->get_float("f64"), -1e-300);
  EXPECT_TRUE(*f->get_bool("b"));
  ASSERT_EQ(f->get_string_array("sa")->size(), 3u);
  EXPECT_EQ((*f->get_string_array("sa"))[2], "ccc");
  EXPECT_EQ(*f->get_float_array("fa"), fl);
  EXPECT_EQ(*f->get_int_array("ia"), (std::vector<int64_t>{-1, 2}));
  EXPECT_FALSE(f->has("gone"));
}

TEST_F(GgufWriterTest, CopiesTokenizerMetadataExactly) {
  auto src = GgufFile::open("../shared/fixtures/models/qwen2-bpe-q4_k_m.gguf");
  ASSERT_TRUE(src) << src.error().message;
  GgufWriter w;
  w.set_string("general.architecture", "qwen2");
  w.copy_metadata(*src, "tokenizer.");
  ASSERT_TRUE(w.write(path("v.gguf")));
  auto f = GgufFile::open(path("v.gguf"));
  ASSERT_TRUE(f) << f.error().message;
  size_t copied = 0;
  for (const auto& [key, v] : src->metadata()) {
    if (!key.starts_with("tokenizer.")) {
      if (key != "general.architecture") {
        EXPECT_FALSE(f->has(key)) << key;
      }
      continue;
    }
    ++copied;
    const GgufValue* c = f->find(key);
    ASSERT_NE(c, nullptr) << key;
    EXPECT_EQ(c->type, v.type) << key;
    EXPECT_EQ(c->u, v.u) << key;
    EXPECT_EQ(c->str, v.str) << key;
    EXPECT_EQ(c->count, v.count) << key;
    EXPECT_EQ(c->strings, v.strings) << key;
    if (v.type == GgufValueType::kArray && v.elem_type != GgufValueType::kString) {
      EXPECT_EQ(c->elem_type, v.elem_type);
      EXPECT_EQ(*f->get_int_array(key), *src->get_int_array(key)) << key;
    }
  }
  EXPECT_GE(copied, 6u);
}

// Dequantized tensors must match the float input within the format's resolution.
TEST_F(GgufWriterTest, TensorsInEveryProducedType) {
  std::mt19937 rng(3);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  const int64_t cols = 512, rows = 3;
  std::vector<float> src(cols * rows);
  for (float& x : src) x = nd(rng);
  struct Case {
    GgmlType type;
    double max_rel_rms;  // rms error / rms signal
  };
  const std::vector<Case> cases = {{GgmlType::kF32, 0.0},
                                   {GgmlType::kF16, 1e-3},
                                   {GgmlType::kQ8_0, 0.01},
                                   {GgmlType::kQ6_K, 0.03},
                                   {GgmlType::kQ4_K, 0.12}};
  GgufWriter w(64);
  for (const Case& c : cases) {
    const std::string name = "w." + std::string(type_traits(c.type)->name);
    ASSERT_TRUE(w.add_tensor(name, {cols, rows}, c.type, src));
  }
  ASSERT_TRUE(w.add_random_tensor("r", {256, 2, 2}, GgmlType::kQ4_K, 0.5f, 9));
  ASSERT_TRUE(w.add_constant_tensor("one", {7}, GgmlType::kF32, 1.0f));
  ASSERT_TRUE(w.write(path("t.gguf")));

  auto f = GgufFile::open(path("t.gguf"));
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->alignment(), 64u);
  EXPECT_EQ(*f->get_uint("general.alignment"), 64u);
  for (const Case& c : cases) {
    const GgufTensorInfo* t = f->find_tensor("w." + std::string(type_traits(c.type)->name));
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->type, c.type);
    EXPECT_EQ(t->n_dims, 2);
    EXPECT_EQ(t->ne[0], cols);
    EXPECT_EQ(t->ne[1], rows);
    std::vector<float> back(cols * rows);
    const size_t rs = row_size(c.type, cols);
    for (int64_t r = 0; r < rows; ++r) {
      dequantize_row(c.type, static_cast<const uint8_t*>(t->data) + r * rs, back.data() + r * cols,
                     cols);
    }
    double err = 0, sig = 0;
    for (size_t i = 0; i < src.size(); ++i) {
      err += (back[i] - src[i]) * (back[i] - src[i]);
      sig += src[i] * src[i];
    }
    EXPECT_LE(std::sqrt(err / sig), c.max_rel_rms) << type_traits(c.type)->name;
  }
  const GgufTensorInfo* r = f->find_tensor("r");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->n_elements(), 1024);
  std::vector<float> rv(256);
  dequantize_row(GgmlType::kQ4_K, r->data, rv.data(), 256);
  float lo = 1, hi = -1;
  for (float x : rv) lo = std::min(lo, x), hi = std::max(hi, x);
  EXPECT_LT(lo, -0.3f);  // spread over roughly [-0.5, 0.5], not constant
  EXPECT_GT(hi, 0.3f);
  EXPECT_LE(hi, 0.55f);
  const auto* one = static_cast<const float*>(f->find_tensor("one")->data);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(one[i], 1.0f);
}

TEST_F(GgufWriterTest, RandomTensorsAreDeterministicInSeed) {
  const uint64_t seeds[] = {1, 1, 2};
  for (int i = 0; i < 3; ++i) {
    GgufWriter w;
    ASSERT_TRUE(w.add_random_tensor("x", {32, 4}, GgmlType::kQ8_0, 1.0f, seeds[i]));
    ASSERT_TRUE(w.write(path(("s" + std::to_string(i) + ".gguf").c_str())));
  }
  auto a = GgufFile::open(path("s0.gguf"));
  auto b = GgufFile::open(path("s1.gguf"));
  auto c = GgufFile::open(path("s2.gguf"));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(std::memcmp(a->find_tensor("x")->data, b->find_tensor("x")->data, size_t{4} * 34), 0);
  EXPECT_NE(std::memcmp(a->find_tensor("x")->data, c->find_tensor("x")->data, size_t{4} * 34), 0);
}

TEST_F(GgufWriterTest, RejectsBadTensors) {
  GgufWriter w;
  std::vector<float> d(64, 0.0f);
  EXPECT_FALSE(w.add_tensor("a", {33}, GgmlType::kQ8_0, std::span(d).first(33)));
  EXPECT_FALSE(w.add_tensor("a", {64}, GgmlType::kF32, std::span(d).first(10)));
  EXPECT_FALSE(w.add_tensor("a", {}, GgmlType::kF32, {}));
  EXPECT_FALSE(w.add_tensor("a", {1, 1, 1, 1, 1}, GgmlType::kF32, std::span(d).first(1)));
  EXPECT_FALSE(w.add_tensor("a", {0}, GgmlType::kF32, {}));
  EXPECT_TRUE(w.add_tensor("a", {64}, GgmlType::kF32, d));
  auto dup = w.add_tensor("a", {64}, GgmlType::kF32, d);
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("duplicate"), std::string::npos);
  EXPECT_FALSE(w.add_tensor_bytes("b", {32}, GgmlType::kQ8_0, std::vector<uint8_t>(33)));
  EXPECT_TRUE(w.add_tensor_bytes("b", {32}, GgmlType::kQ8_0, std::vector<uint8_t>(34)));
  EXPECT_EQ(w.tensor_count(), 2u);
  EXPECT_EQ(w.data_bytes(), 64u * 4 + 34);
}

TEST_F(GgufWriterTest, WriteIsAtomicAndReportsUnwritablePaths) {
  GgufWriter w;
  w.set_string("general.architecture", "bert");
  ASSERT_TRUE(w.write(path("a.gguf")));
  // No temporary left behind.
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir_)) n += e.is_regular_file();
  EXPECT_EQ(n, 1u);
  auto bad = w.write((dir_ / "missing" / "a.gguf").string());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("missing"), std::string::npos);
}

}  // namespace
}  // namespace trove
