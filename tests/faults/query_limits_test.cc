// tests/faults/query_limits_test.cc — issue 15, fault 3: a 130 KB query took 92 s.
// Queries over the limit get a clear error; a query at the limit, made of repeated and
// distinct words, is answered. The 30 s bounds are hang guards (the old cost was
// minutes), not speed targets: those live in bench/.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../cli/run_process.h"

namespace trove::testing {
namespace {

namespace fs = std::filesystem;

class QueryLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() + "/home";
    const std::string src = dir_.path() + "/src";
    fs::create_directories(src);
    for (int i = 0; i < 30; ++i) {
      std::ofstream(src + "/n" + std::to_string(i) + ".txt")
          << "Note " << i << " about the wireguard tunnel and word" << i << " things.\n";
    }
    auto r = run_trove({"--home", home_, "index", src}, dir_.path());
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  ProcResult search(const std::string& q) {
    return run_trove({"--home", home_, "search", "--mode", "lexical", q}, dir_.path());
  }
  TempDir dir_;
  std::string home_;
};

TEST_F(QueryLimits, AHugeQueryIsRefusedAtOnceSayingTheLimit) {
  // 120 KB: one argv string may hold at most 128 KiB (MAX_ARG_STRLEN).
  std::string q;
  for (int i = 0; q.size() < size_t{120} * 1024; ++i) {
    q += "word" + std::to_string(i % 5000) + " tunnel ";
  }
  ProcResult r = search(q);
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_NE(r.err.find("8192"), std::string::npos) << r.err;
  EXPECT_LT(r.seconds, 30.0);
}

TEST_F(QueryLimits, AQueryAtTheLimitIsAnsweredQuickly) {
  std::string q;
  for (int i = 0;; ++i) {
    std::string w = "word" + std::to_string(i % 600) + " ";
    if (q.size() + w.size() > 8192) break;
    q += w;
  }
  ProcResult r = search(q);
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("n1"), std::string::npos) << r.out;
  EXPECT_LT(r.seconds, 30.0);
}

}  // namespace
}  // namespace trove::testing
