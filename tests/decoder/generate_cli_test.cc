// tests/decoder/generate_cli_test.cc — `trove generate --json` end to end: the prompt
// is tokenized as the reference did (BOS, special tokens), and greedy generation
// follows the reference continuation for as long as the reference's steps are
// unambiguous (top-1/top-2 margin >= 0.1 x std of the logits).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/decoder/json_lite.h"

namespace trove {
namespace {

using testing::Json;

const std::string kFixtures = std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/";

struct ProcessResult {
  int status = -1;
  std::string out;
};

// Runs argv without a shell (prompts hold quotes and newlines) and captures stdout.
ProcessResult run_trove(const std::vector<std::string>& args) {
  int fd[2];
  if (pipe(fd) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fd[1], STDOUT_FILENO);
    close(fd[0]);
    close(fd[1]);
    std::vector<char*> argv;
    argv.reserve(args.size());
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fd[1]);
  ProcessResult r;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd[0], buf, sizeof buf)) > 0) r.out.append(buf, static_cast<size_t>(n));
  close(fd[0]);
  int st = 0;
  waitpid(pid, &st, 0);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

double stddev(const std::vector<float>& v) {
  double mean = 0, var = 0;
  for (float x : v) mean += x;
  mean /= static_cast<double>(v.size());
  for (float x : v) var += (x - mean) * (x - mean);
  return std::sqrt(var / static_cast<double>(v.size()));
}

void check_against(const std::string& model, const std::string& refs_file) {
  const std::vector<Json> refs = testing::read_jsonl(kFixtures + "refs/" + refs_file);
  ASSERT_FALSE(refs.empty());
  const Json& ref = refs.front();
  std::vector<std::string> args = {
      TROVE_BIN,  "generate",        "--model", kFixtures + "models/" + model,
      "--prompt", ref["prompt"].str, "-n",      "16",
      "--json",   "--top-logits",    "2",       "-t",
      "2"};
  if (ref["parse_special"].b) args.push_back("--special");
  const ProcessResult r = run_trove(args);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto out = testing::parse_json(r.out);
  ASSERT_TRUE(out.has_value()) << r.out;
  EXPECT_EQ((*out)["prompt_tokens"].ints(), ref["tokens"].ints());

  const double min_margin = 0.1 * stddev(ref["last_logits"].floats());
  const Json& steps = (*out)["steps"];
  const Json& greedy = ref["greedy"];
  ASSERT_EQ(steps.size(), greedy.size());
  bool all_clear = true;
  for (size_t i = 0; i < greedy.size(); ++i) {
    const Json& top5 = greedy[i]["top5"];
    if (top5[0][1].num - top5[1][1].num < min_margin) {
      all_clear = false;  // free-running generation may rightly diverge from here
      break;
    }
    ASSERT_EQ(steps[i]["token"].num, greedy[i]["token"].num) << "step " << i;
    ASSERT_EQ(steps[i]["top"].size(), 2u);
    EXPECT_EQ(steps[i]["top"][0][0].num, greedy[i]["token"].num);
  }
  if (all_clear && ref.has("greedy_text")) {
    EXPECT_EQ((*out)["text"].str, ref["greedy_text"].str);
  }
}

TEST(GenerateCli, LlamaSpmPrompt) {
  check_against("llama-spm-q8_0.gguf", "llama-spm-q8_0.dev.jsonl");
}
TEST(GenerateCli, Qwen2ChatPrompt) {
  check_against("qwen2-bpe-q4_k_m.gguf", "qwen2-bpe-q4_k_m.chat.jsonl");
}
TEST(GenerateCli, Llama3ChatPrompt) {
  check_against("llama3-bpe-q4_k_m.gguf", "llama3-bpe-q4_k_m.chat.jsonl");
}

TEST(GenerateCli, PromptOverTheContextExitsWithTwo) {
  const ProcessResult r =
      run_trove({TROVE_BIN, "generate", "--model", kFixtures + "models/llama-spm-q8_0.gguf",
                 "--prompt", "one two three four five six seven eight nine ten", "--ctx", "4"});
  EXPECT_EQ(r.status, 2);
}

TEST(GenerateCli, MissingModelExitsWithTwo) {
  const ProcessResult r =
      run_trove({TROVE_BIN, "generate", "--model", "/nonexistent.gguf", "--prompt", "x"});
  EXPECT_EQ(r.status, 2);
}

}  // namespace
}  // namespace trove
