// `trove verify` end to end: JSON in on stdin, verdicts out, errors for bad input.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli/run_process.h"

namespace {

using trove::testing::TempDir;

struct VerifyRun {
  int rc = -1;
  std::string out, err;
};

VerifyRun verify_with_stdin(const std::string& input, const std::vector<std::string>& args) {
  TempDir dir;
  std::string in_path = dir.path() + "/in", out_path = dir.path() + "/out", err_path = dir.path() + "/err";
  std::ofstream(in_path, std::ios::binary) << input;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(::open(in_path.c_str(), O_RDONLY), 0);
    ::dup2(::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 1);
    ::dup2(::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 2);
    std::vector<std::string> all = {TROVE_BIN, "verify"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(all.size());
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(TROVE_BIN, argv.data());
    ::_exit(127);
  }
  VerifyRun r;
  r.rc = trove::testing::wait_exit(pid);
  r.out = trove::testing::slurp(out_path);
  r.err = trove::testing::slurp(err_path);
  return r;
}

const char* kInput = R"({"question": "How long are snapshots kept?",
  "answer": "Snapshots are kept for 30 days [1]. They are kept for 90 days [1]. Ask the admin.",
  "sources": [{"n": 1, "label": "backup.md", "text": "Snapshots are kept for 30 days and then pruned by the nightly job."}]})";

TEST(VerifyCli, JsonCarriesVerdictsAndEvidenceInsideThePassage) {
  VerifyRun r = verify_with_stdin(kInput, {"--json"});
  EXPECT_EQ(r.rc, 1) << r.err;  // not every sentence is supported
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["sentences"].size(), 3u);
  EXPECT_EQ(j["total"], 3);
  EXPECT_EQ(j["supported"], 1);
  const auto& s0 = j["sentences"][0];
  EXPECT_EQ(s0["verdict"], "supported");
  EXPECT_EQ(s0["citations"], nlohmann::json::array({1}));
  ASSERT_FALSE(s0["evidence"].empty());
  std::string passage = "Snapshots are kept for 30 days and then pruned by the nightly job.";
  for (const auto& e : s0["evidence"]) {
    size_t start = e["start"].get<size_t>(), end = e["end"].get<size_t>();
    ASSERT_LE(end, passage.size());
    EXPECT_EQ(passage.substr(start, end - start), e["quote"].get<std::string>());
  }
  EXPECT_EQ(j["sentences"][1]["verdict"], "unsupported");
  EXPECT_EQ(j["sentences"][1]["kind"], "wrong-number");
  EXPECT_EQ(j["sentences"][2]["verdict"], "uncited");
}

TEST(VerifyCli, ReadableReportMarksEachSentence) {
  VerifyRun r = verify_with_stdin(kInput, {"--show-evidence"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.out.find("wrong-number"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("uncited"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 of 3 sentences supported"), std::string::npos) << r.out;
}

TEST(VerifyCli, AllSupportedExitsZero) {
  VerifyRun r = verify_with_stdin(R"({"answer": "Snapshots are kept for 30 days [1].",
    "sources": [{"n": 1, "text": "Snapshots are kept for 30 days."}]})", {});
  EXPECT_EQ(r.rc, 0) << r.out << r.err;
}

TEST(VerifyCli, BadInputIsAClearError) {
  struct Case {
    std::string input, says;
  };
  for (const Case& c : std::vector<Case>{
           {"not json", "not valid JSON"},
           {"[1, 2]", "one JSON object"},
           {R"({"sources": []})", "\"answer\""},
           {R"({"answer": "x"})", "\"sources\""},
           {R"({"answer": "x", "sources": [{"text": "t"}]})", "\"n\""},
           {R"({"answer": "x", "sources": [{"n": 1}]})", "\"text\""},
           {R"({"answer": "x", "sources": [{"n": 1, "text": "a"}, {"n": 1, "text": "b"}]})", "twice"},
           {"{\"answer\": \"\xff\", \"sources\": []}", "UTF-8"},
       }) {
    VerifyRun r = verify_with_stdin(c.input, {"--json"});
    EXPECT_EQ(r.rc, 2) << c.input;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.input << " → " << r.err;
    EXPECT_TRUE(r.out.empty());
  }
}

}  // namespace
