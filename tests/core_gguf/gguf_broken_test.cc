// tests/core_gguf/gguf_broken_test.cc — hand-made GGUF files, valid and broken: every
// value type round-trips through the typed getters, and every forged count, length,
// type, alignment and offset is rejected with a message that names what was wrong.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

#include "core/gguf.h"
#include "tests/core_gguf/gguf_bytes.h"

namespace trove {
namespace {

using test::GgufBytes;
namespace fs = std::filesystem;

constexpr uint32_t kU8 = 0, kI8 = 1, kU16 = 2, kI16 = 3, kU32 = 4, kI32 = 5, kF32 = 6, kBool = 7,
                   kStr = 8, kArr = 9, kU64 = 10, kI64 = 11, kF64 = 12;
constexpr uint32_t kTypeF32 = 0, kTypeQ8_0 = 8;

class GgufBrokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trove_gguf_broken_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const GgufBytes& b) {
    std::string path = (dir_ / "model.gguf").string();
    EXPECT_TRUE(b.write(path));
    return path;
  }
  // Opens the bytes and returns the error message ("" if it opened).
  std::string open_error(const GgufBytes& b) {
    auto f = GgufFile::open(write(b));
    return f ? std::string() : f.error().message;
  }

  fs::path dir_;
};

// One F32 tensor of n floats at data offset 0, all values 1..n.
GgufBytes one_tensor_file(int64_t n, uint64_t offset = 0, uint32_t type = kTypeF32) {
  GgufBytes b;
  b.header(1, 0).tensor("t", {n}, type, offset).pad_to(32);
  for (int64_t i = 0; i < n; ++i) b.f32(static_cast<float>(i + 1));
  return b;
}

TEST_F(GgufBrokenTest, AllValueTypesRoundTrip) {
  GgufBytes b;
  b.header(0, 17);
  b.key("u8", kU8).u8(200);
  b.key("i8", kI8).u8(static_cast<uint8_t>(-5));
  b.key("u16", kU16).u16(60000);
  b.key("i16", kI16).u16(static_cast<uint16_t>(-300));
  b.key("u32", kU32).u32(4000000000u);
  b.key("i32", kI32).i32(-70000);
  b.key("f32", kF32).f32(0.25f);
  b.key("bool", kBool).u8(1);
  b.key("str", kStr).str("héllo");
  b.key("u64", kU64).u64(std::numeric_limits<uint64_t>::max());
  b.key("i64", kI64).i64(-(int64_t{1} << 40));
  b.key("f64", kF64).f64(1e300);
  b.key("arr_i32", kArr).u32(kI32).u64(3).i32(-1).i32(0).i32(7);
  b.key("arr_f32", kArr).u32(kF32).u64(2).f32(1.5f).f32(-2.0f);
  b.key("arr_str", kArr).u32(kStr).u64(3).str("a").str("").str("ccc");
  b.key("arr_empty", kArr).u32(kU8).u64(0);
  b.key("arr_u64", kArr).u32(kU64).u64(1).u64(std::numeric_limits<uint64_t>::max());

  auto f = GgufFile::open(write(b));
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->version(), 3u);
  EXPECT_EQ(f->alignment(), 32u);
  ASSERT_EQ(f->metadata().size(), 17u);
  EXPECT_EQ(f->metadata()[0].first, "u8");  // file order kept
  EXPECT_EQ(*f->get_uint("u8"), 200u);
  EXPECT_EQ(*f->get_int("i8"), -5);
  EXPECT_EQ(*f->get_uint("u16"), 60000u);
  EXPECT_EQ(*f->get_int("i16"), -300);
  EXPECT_EQ(*f->get_uint("u32"), 4000000000u);
  EXPECT_EQ(*f->get_int("u32"), 4000000000);  // unsigned that fits in int64
  EXPECT_EQ(*f->get_int("i32"), -70000);
  EXPECT_EQ(*f->get_float("f32"), 0.25);
  EXPECT_EQ(*f->get_float("i32"), -70000.0);  // any number for floats
  EXPECT_TRUE(*f->get_bool("bool"));
  EXPECT_EQ(*f->get_string("str"), "héllo");
  EXPECT_EQ(*f->get_uint("u64"), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(*f->get_int("i64"), -(int64_t{1} << 40));
  EXPECT_EQ(*f->get_float("f64"), 1e300);
  EXPECT_EQ(*f->get_int_array("arr_i32"), (std::vector<int64_t>{-1, 0, 7}));
  EXPECT_EQ(*f->get_float_array("arr_f32"), (std::vector<float>{1.5f, -2.0f}));
  EXPECT_EQ(*f->get_float_array("arr_i32"), (std::vector<float>{-1.0f, 0.0f, 7.0f}));
  auto strs = f->get_string_array("arr_str");
  ASSERT_TRUE(strs);
  ASSERT_EQ(strs->size(), 3u);
  EXPECT_EQ((*strs)[0], "a");
  EXPECT_EQ((*strs)[1], "");
  EXPECT_EQ((*strs)[2], "ccc");
  EXPECT_TRUE(f->get_int_array("arr_empty")->empty());
  EXPECT_EQ(f->find("arr_str")->count, 3u);
  EXPECT_EQ(f->find("arr_str")->elem_type, GgufValueType::kString);
}

TEST_F(GgufBrokenTest, GettersRejectWrongTypesAndNameTheKey) {
  GgufBytes b;
  b.header(0, 4);
  b.key("neg", kI32).i32(-1);
  b.key("big", kU64).u64(std::numeric_limits<uint64_t>::max());
  b.key("name", kStr).str("x");
  b.key("arr_u64", kArr).u32(kU64).u64(1).u64(std::numeric_limits<uint64_t>::max());
  auto f = GgufFile::open(write(b));
  ASSERT_TRUE(f) << f.error().message;
  auto neg = f->get_uint("neg");
  ASSERT_FALSE(neg);
  EXPECT_NE(neg.error().message.find("'neg'"), std::string::npos) << neg.error().message;
  EXPECT_FALSE(f->get_int("big"));
  EXPECT_FALSE(f->get_int_array("arr_u64"));
  auto str_as_int = f->get_uint("name");
  ASSERT_FALSE(str_as_int);
  EXPECT_NE(str_as_int.error().message.find("found string"), std::string::npos);
  auto missing = f->get_string("nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("model.gguf"), std::string::npos);
  EXPECT_NE(missing.error().message.find("'nope'"), std::string::npos);
  EXPECT_FALSE(f->get_string_array("name"));
  EXPECT_FALSE(f->get_bool("neg"));
  // *_or: a wrong type yields the default, as documented.
  EXPECT_EQ(f->uint_or("name", 9), 9u);
  EXPECT_EQ(f->uint_or("neg", 9), 9u);
  EXPECT_EQ(f->string_or("neg", "d"), "d");
  EXPECT_EQ(f->string_or("name", "d"), "x");
  EXPECT_EQ(f->float_or("missing", 2.5), 2.5);
  EXPECT_TRUE(f->bool_or("missing", true));
}

TEST_F(GgufBrokenTest, TensorDataIsAViewOfTheFile) {
  auto f = GgufFile::open(write(one_tensor_file(8)));
  ASSERT_TRUE(f) << f.error().message;
  const GgufTensorInfo* t = f->find_tensor("t");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->n_dims, 1);
  EXPECT_EQ(t->n_elements(), 8);
  EXPECT_EQ(t->nbytes, 32u);
  const auto* v = static_cast<const float*>(t->data);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(v[i], static_cast<float>(i + 1));
  EXPECT_EQ(f->find_tensor("u"), nullptr);
  // A moved-from handle's views stay valid in the new owner.
  GgufFile g = std::move(*f);
  EXPECT_EQ(static_cast<const float*>(g.find_tensor("t")->data)[7], 8.0f);
}

TEST_F(GgufBrokenTest, Version2Accepted) {
  GgufBytes b;
  b.header(0, 1, 2).key("general.architecture", kStr).str("llama");
  auto f = GgufFile::open(write(b));
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->version(), 2u);
}

TEST_F(GgufBrokenTest, BadMagic) {
  GgufBytes b;
  b.raw("GGML", 4).u32(3).u64(0).u64(0);
  EXPECT_NE(open_error(b).find("not a GGUF file"), std::string::npos);
}

TEST_F(GgufBrokenTest, EmptyAndTinyFiles) {
  EXPECT_NE(open_error(GgufBytes()).find("not a GGUF file"), std::string::npos);
  GgufBytes b;
  b.raw("GGUF", 4).u16(3);
  EXPECT_NE(open_error(b).find("version"), std::string::npos);
}

TEST_F(GgufBrokenTest, MissingFileNamesPath) {
  auto f = GgufFile::open((dir_ / "absent.gguf").string());
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("absent.gguf"), std::string::npos);
}

TEST_F(GgufBrokenTest, DirectoriesAndFifosAreRefusedWithoutBlocking) {
  auto d = GgufFile::open(dir_.string());
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("not a regular file"), std::string::npos) << d.error().message;
  const std::string fifo = (dir_ / "pipe.gguf").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto f = GgufFile::open(fifo);  // would block forever without O_NONBLOCK
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("not a regular file"), std::string::npos);
}

TEST_F(GgufBrokenTest, Version1Rejected) {
  GgufBytes b;
  b.header(0, 0, 1);
  EXPECT_NE(open_error(b).find("version 1 is not supported"), std::string::npos);
}

TEST_F(GgufBrokenTest, Version99Rejected) {
  GgufBytes b;
  b.header(0, 0, 99);
  EXPECT_NE(open_error(b).find("unsupported GGUF version 99"), std::string::npos);
}

TEST_F(GgufBrokenTest, BigEndianRejected) {
  GgufBytes b;
  b.header(0, 0, 0x03000000);
  EXPECT_NE(open_error(b).find("big-endian"), std::string::npos);
}

TEST_F(GgufBrokenTest, HugeMetadataCount) {
  GgufBytes b;
  b.header(0, uint64_t{1} << 60).key("a", kU8).u8(1);
  EXPECT_NE(open_error(b).find("metadata count"), std::string::npos);
}

TEST_F(GgufBrokenTest, HugeTensorCount) {
  GgufBytes b;
  b.header(std::numeric_limits<uint64_t>::max(), 0).tensor("t", {4}, kTypeF32, 0);
  EXPECT_NE(open_error(b).find("tensor count"), std::string::npos);
}

TEST_F(GgufBrokenTest, HugeKeyLength) {
  GgufBytes b;
  b.header(0, 1).u64(uint64_t{1} << 62).raw("abc", 3).u32(kU8).u8(0);
  EXPECT_NE(open_error(b).find("metadata key 0"), std::string::npos);
}

TEST_F(GgufBrokenTest, MaxStringLengthDoesNotWrap) {
  GgufBytes b;
  b.header(0, 1).key("s", kStr).u64(std::numeric_limits<uint64_t>::max()).raw("abc", 3);
  EXPECT_NE(open_error(b).find("key 's' string"), std::string::npos);
}

TEST_F(GgufBrokenTest, HugeArrayCounts) {
  for (uint32_t elem : {kU8, kU32, kF64, kStr, kBool}) {
    for (uint64_t count : {uint64_t{1} << 61, std::numeric_limits<uint64_t>::max(), uint64_t{9}}) {
      GgufBytes b;
      b.header(0, 1).key("a", kArr).u32(elem).u64(count).u32(0);  // 4 bytes of payload
      const std::string e = open_error(b);
      EXPECT_NE(e.find("key 'a'"), std::string::npos) << elem << " " << count << ": " << e;
    }
  }
}

TEST_F(GgufBrokenTest, StringArrayElementRunsPastEnd) {
  GgufBytes b;
  b.header(0, 1).key("toks", kArr).u32(kStr).u64(2).str("ok").u64(1000).raw("x", 1);
  const std::string e = open_error(b);
  EXPECT_NE(e.find("key 'toks' element 1"), std::string::npos) << e;
}

TEST_F(GgufBrokenTest, NestedArrayRejected) {
  GgufBytes b;
  b.header(0, 1).key("a", kArr).u32(kArr).u64(1).u32(kU8).u64(1).u8(0);
  EXPECT_NE(open_error(b).find("nested arrays"), std::string::npos);
}

TEST_F(GgufBrokenTest, UnknownValueTypes) {
  GgufBytes b;
  b.header(0, 1).key("a", 13).u32(0);
  EXPECT_NE(open_error(b).find("unknown value type 13"), std::string::npos);
  GgufBytes c;
  c.header(0, 1).key("a", kArr).u32(0xffffffffu).u64(0);
  EXPECT_NE(open_error(c).find("unknown array element type"), std::string::npos);
}

TEST_F(GgufBrokenTest, BadBoolValue) {
  GgufBytes b;
  b.header(0, 1).key("flag", kBool).u8(7);
  EXPECT_NE(open_error(b).find("'flag'"), std::string::npos);
}

TEST_F(GgufBrokenTest, DuplicateKey) {
  GgufBytes b;
  b.header(0, 2).key("k", kU8).u8(1).key("k", kU8).u8(2);
  EXPECT_NE(open_error(b).find("duplicate metadata key"), std::string::npos);
}

TEST_F(GgufBrokenTest, DuplicateTensorName) {
  GgufBytes b;
  b.header(2, 0).tensor("w", {8}, kTypeF32, 0).tensor("w", {8}, kTypeF32, 32).pad_to(32).zeros(64);
  EXPECT_NE(open_error(b).find("tensor 'w': duplicate tensor name"), std::string::npos);
}

TEST_F(GgufBrokenTest, AlignmentHonoured) {
  GgufBytes b;
  b.header(2, 1).key("general.alignment", kU32).u32(64);
  b.tensor("a", {4}, kTypeF32, 0).tensor("b", {4}, kTypeF32, 64).pad_to(64);
  for (int i = 0; i < 32; ++i) b.f32(static_cast<float>(i));
  auto f = GgufFile::open(write(b));
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->alignment(), 64u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(f->find_tensor("a")->data) % 64, 0u);
  EXPECT_EQ(static_cast<const float*>(f->find_tensor("b")->data)[0], 16.0f);
}

TEST_F(GgufBrokenTest, BadAlignmentValues) {
  for (uint32_t a : {0u, 3u, 48u, 0x80000000u}) {
    GgufBytes b;
    b.header(0, 1).key("general.alignment", kU32).u32(a);
    const std::string e = open_error(b);
    EXPECT_NE(e.find("'general.alignment'"), std::string::npos) << a << ": " << e;
  }
  GgufBytes s;
  s.header(0, 1).key("general.alignment", kStr).str("32");
  EXPECT_NE(open_error(s).find("'general.alignment'"), std::string::npos);
  GgufBytes n;
  n.header(0, 1).key("general.alignment", kI32).i32(-32);
  EXPECT_NE(open_error(n).find("'general.alignment'"), std::string::npos);
}

TEST_F(GgufBrokenTest, OffsetMisalignedForCustomAlignment) {
  GgufBytes b;
  b.header(1, 1).key("general.alignment", kU32).u32(64);
  b.tensor("t", {8}, kTypeF32, 32).pad_to(64).zeros(128);
  const std::string e = open_error(b);
  EXPECT_NE(e.find("tensor 't': data offset 32 is not a multiple of the alignment 64"),
            std::string::npos)
      << e;
}

TEST_F(GgufBrokenTest, MisalignedOffset) {
  const std::string e = open_error(one_tensor_file(16, 4));
  EXPECT_NE(e.find("not a multiple of the alignment 32"), std::string::npos) << e;
}

TEST_F(GgufBrokenTest, TensorRunsPastEndOfFile) {
  GgufBytes b;
  b.header(1, 0).tensor("blk.0.attn_q.weight", {64}, kTypeF32, 0).pad_to(32);
  const size_t data_start = b.size();
  b.zeros(100);  // 256 bytes needed
  const std::string e = open_error(b);
  const std::string want = "model.gguf: tensor 'blk.0.attn_q.weight': data [offset " +
                           std::to_string(data_start) + ", size 256] runs past end of file (size " +
                           std::to_string(data_start + 100) + ")";
  EXPECT_NE(e.find(want), std::string::npos) << e;
}

TEST_F(GgufBrokenTest, HugeOffsetDoesNotWrap) {
  for (uint64_t off : {std::numeric_limits<uint64_t>::max() - 31, uint64_t{1} << 63}) {
    GgufBytes b;
    b.header(1, 0).tensor("t", {8}, kTypeF32, off).pad_to(32).zeros(32);
    EXPECT_NE(open_error(b).find("runs past end of file"), std::string::npos);
  }
}

TEST_F(GgufBrokenTest, OverlappingTensors) {
  GgufBytes b;
  b.header(2, 0).tensor("a", {16}, kTypeF32, 0).tensor("b", {16}, kTypeF32, 32).pad_to(32);
  b.zeros(128);
  const std::string e = open_error(b);
  EXPECT_NE(e.find("tensor 'b' [16]: data at offset 32 overlaps tensor 'a'"), std::string::npos)
      << e;
}

TEST_F(GgufBrokenTest, SameOffsetOverlaps) {
  GgufBytes b;
  b.header(2, 0).tensor("a", {8}, kTypeF32, 0).tensor("b", {8}, kTypeF32, 0).pad_to(32);
  b.zeros(64);
  EXPECT_NE(open_error(b).find("overlaps"), std::string::npos);
}

TEST_F(GgufBrokenTest, UnknownTensorType) {
  for (uint32_t type : {4u, 5u, 99u, 0xffffffffu}) {
    const std::string e = open_error(one_tensor_file(32, 0, type));
    EXPECT_NE(e.find("tensor 't': unknown tensor type " + std::to_string(type)), std::string::npos)
        << e;
  }
}

TEST_F(GgufBrokenTest, RowNotMultipleOfBlock) {
  const std::string e = open_error(one_tensor_file(33, 0, kTypeQ8_0));
  EXPECT_NE(e.find("row length 33 is not a multiple of the q8_0 block size 32"), std::string::npos)
      << e;
}

TEST_F(GgufBrokenTest, BadDimensionCounts) {
  for (uint32_t n_dims : {0u, 5u, 0xffffffffu}) {
    GgufBytes b;
    b.header(1, 0).str("t").u32(n_dims);
    for (int i = 0; i < 5; ++i) b.i64(2);
    b.u32(kTypeF32).u64(0).pad_to(32).zeros(256);
    const std::string e = open_error(b);
    EXPECT_NE(e.find("dimensions (expected 1..4)"), std::string::npos) << e;
  }
}

TEST_F(GgufBrokenTest, BadDimensionSizes) {
  for (int64_t ne : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::min()}) {
    GgufBytes b;
    b.header(1, 0).tensor("t", {4, ne}, kTypeF32, 0).pad_to(32).zeros(64);
    const std::string e = open_error(b);
    EXPECT_NE(e.find("tensor 't': dimension 1 is"), std::string::npos) << e;
  }
}

TEST_F(GgufBrokenTest, ElementCountOverflow) {
  GgufBytes b;
  const int64_t big = int64_t{1} << 32;
  b.header(1, 0).tensor("t", {big, big, 4}, kTypeF32, 0).pad_to(32).zeros(64);
  EXPECT_NE(open_error(b).find("element count overflows"), std::string::npos);
  // Fits in elements but its byte size runs past any file.
  GgufBytes c;
  c.header(1, 0).tensor("t", {int64_t{1} << 61, 2}, kTypeF32, 0).pad_to(32).zeros(64);
  const std::string e = open_error(c);
  EXPECT_TRUE(e.find("overflows") != std::string::npos || e.find("runs past") != std::string::npos)
      << e;
}

TEST_F(GgufBrokenTest, TruncatedEverywhereNeverCrashes) {
  GgufBytes b;
  b.header(2, 3).key("general.architecture", kStr).str("llama");
  b.key("arr", kArr).u32(kStr).u64(2).str("x").str("yy");
  b.key("n", kU32).u32(5);
  b.tensor("a", {8}, kTypeF32, 0).tensor("b", {32, 2}, kTypeQ8_0, 32).pad_to(32).zeros(32 + 68);
  ASSERT_TRUE(GgufFile::open(write(b))) << open_error(b);
  for (size_t n = 0; n < b.size(); ++n) {
    GgufBytes t;
    t.raw(b.bytes().data(), n);
    EXPECT_NE(open_error(t), "") << "truncated to " << n;
  }
}

}  // namespace
}  // namespace trove
