// `trove tokenize` end to end: ids printed as a JSON array, BOS/CLS/SEP and special
// tokens only without --raw, BERT vocabularies through WordPiece.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

std::string fixture(const std::string& rel) {
  return std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/" + rel;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs the binary and returns its stdout without the trailing newline.
std::string trove_tokenize(const std::string& model, const std::string& text, bool raw) {
  const std::string cmd = std::string(TROVE_BIN) + " tokenize --model " +
                          shell_quote(fixture(model)) + (raw ? " --raw " : " ") + "-- " +
                          shell_quote(text);
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return "popen failed";
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int rc = pclose(p);
  EXPECT_EQ(rc, 0) << cmd;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

TEST(CliTokenize, DecoderVocabularies) {
  // Ids from refs/*.dev.jsonl for the first prompt.
  EXPECT_EQ(trove_tokenize("models/llama-spm-q8_0.gguf", "Hello world, this is", false),
            "[1, 15043, 3186, 29892, 445, 338]");
  EXPECT_EQ(trove_tokenize("models/llama-spm-q8_0.gguf", "Hello world, this is", true),
            "[15043, 3186, 29892, 445, 338]");
  EXPECT_EQ(trove_tokenize("models/qwen2-bpe-q4_k_m.gguf", "Hello world, this is", false),
            "[15496, 995, 11, 428, 318]");
}

TEST(CliTokenize, SpecialTokensOnlyWithoutRaw) {
  const std::string parsed =
      trove_tokenize("models/qwen2-bpe-q4_k_m.gguf", "<|im_start|>user", false);
  const std::string raw = trove_tokenize("models/qwen2-bpe-q4_k_m.gguf", "<|im_start|>user", true);
  EXPECT_EQ(parsed.rfind("[50257, ", 0), 0u) << parsed;
  EXPECT_EQ(raw.find("50257"), std::string::npos) << raw;
}

TEST(CliTokenize, BertUsesWordPiece) {
  EXPECT_EQ(
      trove_tokenize("models/bert-mean-f16.gguf", first_line(fixture("refs/texts_dev.txt")), false),
      first_line(fixture("refs/bert.dev.tokens.txt")));
}

TEST(CliTokenize, MissingModelIsAnError) {
  const std::string cmd =
      std::string(TROVE_BIN) + " tokenize --model /nonexistent.gguf x 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  const int rc = pclose(p);
  EXPECT_EQ(WEXITSTATUS(rc), 2);
}

}  // namespace
