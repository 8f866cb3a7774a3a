// `trove ask` end to end on a copy of samples/: extractive answers without a model,
// "not in the documents" when nothing is relevant, and with a fixture LLM (random
// weights: the text is gibberish, so the pipeline is what is checked — JSON shape,
// citations only within the given sources, the context budget, exit codes and a
// bounded peak memory).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace fs = std::filesystem;
using trove::testing::ProcResult;
using trove::testing::run_trove;
using trove::testing::TempDir;

namespace {

const std::string kShared = std::string(TROVE_SOURCE_DIR) + "/../shared";
const std::string kQwen = kShared + "/fixtures/models/qwen2-bpe-q4_k_m.gguf";
const std::string kLlama3 = kShared + "/fixtures/models/llama3-bpe-q4_k_m.gguf";

// Runs python3 on the JSON in `json` with `script` reading it as `d`; returns stdout.
std::string py(const std::string& json, const std::string& script, const std::string& scratch) {
  std::string in = scratch + "/ask.json", prog = scratch + "/check.py", out = scratch + "/py.out";
  std::ofstream(in) << json;
  std::ofstream(prog) << "import json,sys\nd=json.load(open(sys.argv[1]))\n" << script << "\n";
  std::string cmd = "python3 " + prog + " " + in + " > " + out + " 2>&1";
  int rc = std::system(cmd.c_str());
  std::string text = trove::testing::slurp(out);
  return rc == 0 ? text : "python failed: " + text;
}

class AskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() + "/home";
    docs_ = dir_.path() + "/notes";
    fs::copy(std::string(TROVE_SOURCE_DIR) + "/samples", docs_, fs::copy_options::recursive);
    auto r = run({"index", docs_, "--quiet"});
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  ProcResult run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--home", home_});
    return run_trove(args, dir_.path());
  }
  TempDir dir_;
  std::string home_, docs_;
};

TEST_F(AskTest, WithoutAModelTheAnswerIsTheBestPassagesAndAHint) {
  auto r = run({"ask", "--json", "WireGuard tunnel"});
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string check = py(r.out,
                         "s=d['sources']\n"
                         "assert d['extractive'] is True and d['model'] is None\n"
                         "assert len(s)>=1 and [x['n'] for x in s]==list(range(1,len(s)+1))\n"
                         "assert all(x['text'] and x['path'] for x in s)\n"
                         "assert s[0]['text'] in d['answer']\n"
                         "assert 'wireguard' in (s[0]['text']+s[0]['heading']).lower()\n"
                         "print('ok')",
                         dir_.path());
  EXPECT_EQ(check, "ok\n");
  auto human = run({"ask", "WireGuard tunnel"});
  EXPECT_EQ(human.rc, 0);
  EXPECT_NE(human.out.find("Sources:"), std::string::npos);
  EXPECT_NE(human.err.find("trove models"), std::string::npos);  // how to add a model
}

TEST_F(AskTest, NothingRelevantSaysSoAndExitsOne) {
  for (const std::string q : {"zzxqv flibbertigibbet", "what is the of and"}) {
    auto r = run({"ask", q, "--model", kQwen});
    EXPECT_EQ(r.rc, 1) << q << "\n" << r.err;
    EXPECT_NE(r.out.find("do not contain"), std::string::npos) << r.out;
  }
}

TEST_F(AskTest, ModelAnswerCitesOnlyGivenSourcesAndReportsTimings) {
  auto r = run({"ask", "--json", "--model", kQwen, "--max-tokens", "24",
                "how is the backup copied off-site"});
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string check =
      py(r.out,
         "s=d['sources']; n=len(s)\n"
         "assert d['extractive'] is False and d['model']=='qwen2-bpe-q4_k_m.gguf'\n"
         "assert n>=1 and all(1<=c<=n for c in d['citations'])\n"
         "assert all(c<1 or c>n for c in d['invalid_citations'])\n"
         "t=d['timings']\n"
         "assert t['prompt_tokens']>0 and 0<t['generated_tokens']<=24\n"
         "for k in ('retrieval_ms','prompt_ms','generation_ms','tokens_per_s'): assert k in t\n"
         "print('ok')",
         dir_.path());
  EXPECT_EQ(check, "ok\n");
}

TEST_F(AskTest, PassagesArePackedIntoTheContextMinusTheAnswerBudget) {
  auto wide = run(
      {"ask", "--json", "--model", kLlama3, "--max-tokens", "8", "backup restic NAS WireGuard"});
  auto tight = run({"ask", "--json", "--model", kLlama3, "--ctx", "384", "--max-tokens", "64",
                    "backup restic NAS WireGuard"});
  ASSERT_EQ(wide.rc, 0) << wide.err;
  ASSERT_EQ(tight.rc, 0) << tight.err;
  EXPECT_EQ(py(tight.out, "print(d['timings']['prompt_tokens'] + 64 <= 384)", dir_.path()),
            "True\n");
  int n_wide = std::stoi(py(wide.out, "print(len(d['sources']))", dir_.path()));
  int n_tight = std::stoi(py(tight.out, "print(len(d['sources']))", dir_.path()));
  EXPECT_LT(n_tight, n_wide);
  EXPECT_GE(n_tight, 1);

  auto none = run({"ask", "--model", kLlama3, "--ctx", "64", "--max-tokens", "64", "backup"});
  EXPECT_EQ(none.rc, 2);
  EXPECT_NE(none.err.find("--ctx"), std::string::npos) << none.err;
}

TEST_F(AskTest, UnknownModelOrEmptyLibraryIsAnError) {
  auto r = run({"ask", "--model", "no-such-model", "backup"});
  EXPECT_EQ(r.rc, 2);
  auto empty = run_trove({"--home", dir_.path() + "/empty-home", "ask", "backup"}, dir_.path());
  EXPECT_EQ(empty.rc, 2);
  EXPECT_NE(empty.err.find("trove index"), std::string::npos);
}

TEST_F(AskTest, PeakMemoryStaysWithinModelPlusKvCachePlus200MB) {
  const int64_t ctx = 1024;
  pid_t pid =
      trove::testing::spawn_trove({"--home", home_, "ask", "--json", "--model", kLlama3, "--ctx",
                                   std::to_string(ctx), "--max-tokens", "16", "backup restic NAS"},
                                  dir_.path() + "/mem.out", dir_.path() + "/mem.err");
  int status = 0;
  struct rusage ru {};
  ASSERT_EQ(::wait4(pid, &status, 0, &ru), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << trove::testing::slurp(dir_.path() + "/mem.err");
  // KV cache of the fixture (2 layers, 2 kv heads x 64 dims, F16 K and V) at this
  // context; the bound is the issue's: model file + KV cache + 200 MB.
  const int64_t kv = ctx * 2 * (int64_t{2} * 64) * 2 * 2;
  const int64_t bound_kb =
      (static_cast<int64_t>(fs::file_size(kLlama3)) + kv + (200ll << 20)) / 1024;
  EXPECT_LE(ru.ru_maxrss, bound_kb);
}

}  // namespace
