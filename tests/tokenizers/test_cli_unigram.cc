// `trove tokenize --raw` on SentencePiece Unigram ("t5") vocabulary-only files: every
// case the build generates with tests/data/unigram/make_unigram.py (ids from
// sentencepiece itself, ~900 strings over two models) through the binary, and the
// added <s>/</s> without --raw.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/run_process.h"

namespace {

std::string data(const std::string& rel) {
  return std::string(TROVE_GENERATED_DIR) + "/unigram/" + rel;
}

std::string run(const std::string& model, const std::string& text, bool raw) {
  static const trove::testing::TempDir scratch;
  std::vector<std::string> args = {"tokenize", "--model", model};
  if (raw) args.push_back("--raw");
  args.insert(args.end(), {"--", text});
  trove::testing::ProcResult r = trove::testing::run_trove(args, scratch.path());
  EXPECT_EQ(r.rc, 0) << r.err;
  while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r.out;
}

// "1 2 3" -> "[1, 2, 3]", the way trove prints ids.
std::string as_json(const std::string& line) {
  std::istringstream in(line);
  std::string out = "[";
  for (std::string id; in >> id;) out += (out.size() > 1 ? ", " : "") + id;
  return out + "]";
}

void check_model(const std::string& name) {
  const std::string inp = trove::testing::slurp(data(name + ".inp"));
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<std::string> texts;
  for (size_t pos = 0;;) {
    const size_t next = inp.find(sep, pos);
    texts.push_back(inp.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) break;
    pos = next + sep.size();
  }
  std::ifstream out(data(name + ".out"));
  size_t checked = 0, failures = 0;
  for (const std::string& text : texts) {
    std::string line;
    ASSERT_TRUE(std::getline(out, line)) << name << ": .out has fewer lines than cases";
    const std::string got = run(data(name + ".gguf"), text, true);
    ++checked;
    if (got != as_json(line) && ++failures <= 5) {
      ADD_FAILURE() << name << " '" << text << "': " << got << " vs " << as_json(line);
    }
  }
  EXPECT_EQ(failures, 0u);
  EXPECT_GE(checked, 400u);
}

TEST(CliTokenizeUnigram, NfkcModelThroughTheBinary) {
  check_model("unigram-nfkc");
}
TEST(CliTokenizeUnigram, IdentityModelThroughTheBinary) {
  check_model("unigram-ident");
}

TEST(CliTokenizeUnigram, EosAddedAndSpecialsParsedWithoutRaw) {
  // The vocabulary has </s> = 2 and no add_eos_token key: llama.cpp's "t5" default
  // (EOS added, no BOS) applies.
  const std::string model = data("unigram-nfkc.gguf");
  const std::string raw = run(model, "Hello</s>world", true);
  const std::string full = run(model, "Hello</s>world", false);
  EXPECT_EQ(raw.find(", 2,"), std::string::npos) << raw;
  EXPECT_NE(full.find(", 2, "), std::string::npos) << full;
  EXPECT_EQ(full.substr(full.size() - 4), ", 2]") << full;
}

}  // namespace
