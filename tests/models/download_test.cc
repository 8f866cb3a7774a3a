// tests/models/download_test.cc — core/download against a local Range-capable server
// (tests/models/range_server.py on 127.0.0.1): whole files, resume after a dropped
// connection, servers that ignore Range, and every check that must reject a file.
// Also SHA-256 against published test vectors.
#include "core/download.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/sha256.h"
#include "tests/models/test_server.h"

namespace trove {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class DownloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trove_download_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "srv");
    fs::create_directories(dir_ / "out");
    fs::copy_file("../shared/fixtures/tokenizer/ggml-vocab-bert-bge.gguf",
                  dir_ / "srv" / "model.gguf");
    std::ofstream(dir_ / "srv" / "notes.txt") << "not a model\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  DownloadOptions opts(const test::RangeServer& s, const char* file) const {
    DownloadOptions o;
    o.url = s.base() + "/" + file;
    o.dest = (dir_ / "out" / "m.gguf").string();
    o.connect_timeout_s = 5;
    o.low_speed_timeout_s = 10;
    return o;
  }
  std::string source() const { return read_all(dir_ / "srv" / "model.gguf"); }

  fs::path dir_;
};

TEST(Sha256, PublishedVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;  // same digest when fed in pieces
  h.update(std::string_view("a"));
  h.update(std::string_view("bc"));
  EXPECT_EQ(h.hex_digest(), sha256_hex("abc"));
  EXPECT_FALSE(sha256_file("/nonexistent/x"));
}

TEST_F(DownloadTest, WholeFile) {
  test::RangeServer s((dir_ / "srv").string());
  ASSERT_GT(s.port(), 0);
  uint64_t last = 0, total = 0;
  DownloadOptions o = opts(s, "model.gguf");
  o.progress = [&](uint64_t done, uint64_t t) {
    last = done;
    total = t;
    return true;
  };
  auto r = download_file(o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(read_all(o.dest), source());
  EXPECT_EQ(r->size, source().size());
  EXPECT_EQ(r->sha256, sha256_hex(source()));
  EXPECT_EQ(r->resumed_from, 0u);
  EXPECT_EQ(last, source().size());
  EXPECT_EQ(total, source().size());
  EXPECT_FALSE(fs::exists(o.dest + ".part"));
}

TEST_F(DownloadTest, ResumesAfterDroppedConnection) {
  test::RangeServer s((dir_ / "srv").string(), {"--drop-after", "100000"});
  DownloadOptions o = opts(s, "model.gguf");
  auto first = download_file(o);
  ASSERT_FALSE(first);  // body shorter than its Content-Length
  EXPECT_FALSE(fs::exists(o.dest));
  ASSERT_TRUE(fs::exists(o.dest + ".part"));
  EXPECT_EQ(fs::file_size(o.dest + ".part"), 100000u);
  auto second = download_file(o);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->resumed_from, 100000u);
  EXPECT_EQ(read_all(o.dest), source());
}

TEST_F(DownloadTest, ServerIgnoringRangeStartsOver) {
  test::RangeServer s((dir_ / "srv").string(), {"--no-range"});
  DownloadOptions o = opts(s, "model.gguf");
  std::ofstream(o.dest + ".part", std::ios::binary) << "GGUF-stale-bytes";
  auto r = download_file(o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->resumed_from, 0u);
  EXPECT_EQ(read_all(o.dest), source());
}

TEST_F(DownloadTest, CompletePartFileIsFinished) {
  test::RangeServer s((dir_ / "srv").string());
  DownloadOptions o = opts(s, "model.gguf");
  fs::copy_file(dir_ / "srv" / "model.gguf", o.dest + ".part");
  auto r = download_file(o);  // the server answers 416 to a range past the end
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(read_all(o.dest), source());
}

TEST_F(DownloadTest, RejectsNonGguf) {
  test::RangeServer s((dir_ / "srv").string());
  DownloadOptions o = opts(s, "notes.txt");
  auto r = download_file(o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not a usable GGUF model"), std::string::npos);
  EXPECT_FALSE(fs::exists(o.dest));
  EXPECT_FALSE(fs::exists(o.dest + ".part"));
}

TEST_F(DownloadTest, RejectsWrongShaAndSize) {
  test::RangeServer s((dir_ / "srv").string());
  DownloadOptions o = opts(s, "model.gguf");
  o.expected_sha256 = std::string(64, '0');
  auto r = download_file(o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("does not match"), std::string::npos);
  EXPECT_FALSE(fs::exists(o.dest));
  o.expected_sha256 = sha256_hex(source());
  o.expected_size = 12345;
  auto r2 = download_file(o);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.error().message.find("expected 12345"), std::string::npos);
  o.expected_size = source().size();
  EXPECT_TRUE(download_file(o));
}

TEST_F(DownloadTest, MissingFileAndCancel) {
  test::RangeServer s((dir_ / "srv").string());
  auto r = download_file(opts(s, "absent.gguf"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("404"), std::string::npos) << r.error().message;
  DownloadOptions o = opts(s, "model.gguf");
  o.progress = [](uint64_t done, uint64_t) { return done == 0; };
  auto c = download_file(o);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("cancelled"), std::string::npos);
  EXPECT_FALSE(fs::exists(o.dest));
}

TEST_F(DownloadTest, RefusesOtherProtocols) {
  DownloadOptions o;
  o.url = "file:///etc/passwd";
  o.dest = (dir_ / "out" / "x.gguf").string();
  EXPECT_FALSE(download_file(o));
  EXPECT_FALSE(fs::exists(o.dest));
}

}  // namespace
}  // namespace trove
