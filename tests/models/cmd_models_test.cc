// tests/models/cmd_models_test.cc — `trove models ...` end to end: the real binary
// with a temporary --home, fixtures as models, and `pull` against a loopback mirror
// (tests/models/range_server.py) given by --base-url and by $TROVE_HF_BASE.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/models/test_server.h"

namespace {

namespace fs = std::filesystem;

struct CmdResult {
  int code = -1;
  std::string out;
};

CmdResult shell(const std::string& command) {
  CmdResult r;
  const std::string cmd = command + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = ::pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

CmdResult trove(const std::string& args) {
  return shell(std::string(TROVE_BIN) + " " + args);
}

class CmdModelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trove_cmd_models_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    home_ = "--home " + (dir_ / "home").string() + " ";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string home_;
  const std::string models_ = std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/models/";
};

TEST_F(CmdModelsTest, AddListUseInfo) {
  CmdResult empty = trove(home_ + "models list");
  EXPECT_EQ(empty.code, 1) << empty.out;
  EXPECT_NE(empty.out.find("no models yet"), std::string::npos);

  CmdResult add = trove(home_ + "models add " + models_ + "bert-mean-f16.gguf --role embed");
  ASSERT_EQ(add.code, 0) << add.out;
  EXPECT_NE(add.out.find("now the default"), std::string::npos);
  ASSERT_EQ(trove(home_ + "models add " + models_ + "nomic-bert-f16.gguf --role embed").code, 0);
  ASSERT_EQ(trove(home_ + "models add " + models_ + "qwen3-q4_k_m.gguf --role llm --name q3").code,
            0);
  CmdResult wrong = trove(home_ + "models add " + models_ + "qwen3-q4_k_m.gguf --role embed");
  EXPECT_EQ(wrong.code, 2);
  EXPECT_NE(wrong.out.find("trove: "), std::string::npos);
  EXPECT_EQ(trove(home_ + "models add " + models_ + "qwen3-q4_k_m.gguf --role bogus").code, 2);

  ASSERT_EQ(trove(home_ + "models use nomic-bert-f16").code, 0);
  EXPECT_EQ(trove(home_ + "models use missing").code, 6);  // model problem (cli/exit_codes.h)
  CmdResult list = trove(home_ + "models list --json");
  ASSERT_EQ(list.code, 0) << list.out;
  EXPECT_NE(list.out.find("\"name\":\"nomic-bert-f16\",\"role\":\"embed\",\"default\":true"),
            std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find("\"name\":\"bert-mean-f16\",\"role\":\"embed\",\"default\":false"),
            std::string::npos);
  EXPECT_NE(list.out.find("\"name\":\"q3\",\"role\":\"llm\",\"default\":true"), std::string::npos);

  CmdResult info = trove(home_ + "models info " + models_ + "llama3-bpe-q4_k_m.gguf");
  ASSERT_EQ(info.code, 0) << info.out;
  EXPECT_NE(info.out.find("llama"), std::string::npos);
  EXPECT_NE(info.out.find("llama3"), std::string::npos);  // chat template family
  EXPECT_NE(info.out.find("q6_K"), std::string::npos);
  CmdResult by_name = trove(home_ + "models info q3 --json");
  ASSERT_EQ(by_name.code, 0) << by_name.out;
  EXPECT_NE(by_name.out.find("\"arch\":\"qwen3\""), std::string::npos) << by_name.out;
  EXPECT_NE(by_name.out.find("\"chat_template\":\"chatml\""), std::string::npos);
  CmdResult bad = trove(home_ + "models info " + (dir_ / "absent.gguf").string());
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("absent.gguf"), std::string::npos);
}

TEST_F(CmdModelsTest, PullFromLocalMirror) {
  ::umask(022);  // permissive, as many users have it: trove's files must stay private
  const fs::path repo = dir_ / "srv" / "Qwen" / "Qwen2.5-0.5B-Instruct-GGUF" / "resolve" / "main";
  fs::create_directories(repo);
  fs::create_symlink(fs::absolute(models_ + "qwen2-bpe-q4_k_m.gguf"),
                     repo / "qwen2.5-0.5b-instruct-q4_k_m.gguf");
  trove::test::RangeServer s((dir_ / "srv").string(), {"--drop-after", "1000000"});
  ASSERT_GT(s.port(), 0);
  // The mirror drops the first transfer: the first pull fails and keeps the part...
  CmdResult first = trove(home_ + "models pull qwen2.5-0.5b-instruct --base-url " + s.base());
  EXPECT_EQ(first.code, 6) << first.out;  // model problem (cli/exit_codes.h)
  // Issue 11, defect 9: the partial download is private whatever the umask.
  const fs::path part = dir_ / "home" / "models" / "qwen2.5-0.5b-instruct-q4_k_m.gguf.part";
  ASSERT_TRUE(fs::exists(part));
  EXPECT_EQ(fs::status(part).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  // ...and the second, via the environment variable, resumes it.
  CmdResult second = shell("env TROVE_HF_BASE=" + s.base() + " " + TROVE_BIN + " " + home_ +
                           "models pull qwen2.5-0.5b-instruct");
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_NE(second.out.find("resumed"), std::string::npos) << second.out;
  const fs::path got = dir_ / "home" / "models" / "qwen2.5-0.5b-instruct-q4_k_m.gguf";
  ASSERT_TRUE(fs::exists(got));
  EXPECT_EQ(fs::file_size(got), fs::file_size(models_ + "qwen2-bpe-q4_k_m.gguf"));
  EXPECT_EQ(fs::status(got).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::status(dir_ / "home").permissions() & fs::perms::all, fs::perms::owner_all);
  CmdResult list = trove(home_ + "models list --json");
  EXPECT_NE(list.out.find("\"name\":\"qwen2.5-0.5b-instruct\",\"role\":\"llm\",\"default\":true"),
            std::string::npos)
      << list.out;
  CmdResult unknown = trove(home_ + "models pull no-such-model --base-url " + s.base());
  EXPECT_EQ(unknown.code, 2);
  CmdResult catalog = trove(home_ + "models pull --list");
  EXPECT_EQ(catalog.code, 0);
  EXPECT_NE(catalog.out.find("bge-small-en-v1.5"), std::string::npos);
}

}  // namespace
