// Pre-tokenizer splits, written from the published regular expressions (expected
// words worked out by hand from each regex, not from this code).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "generate/pretokenize.h"

namespace trove {
namespace {

std::vector<std::string> words(PreTokenizer rule, std::string_view text) {
  std::vector<ByteSpan> spans;
  pretokenize(rule, text, spans);
  std::vector<std::string> out;
  size_t expect_begin = 0;
  for (const ByteSpan& s : spans) {
    EXPECT_EQ(s.begin, expect_begin);  // words tile the text
    expect_begin = s.end;
    out.emplace_back(text.substr(s.begin, s.end - s.begin));
  }
  EXPECT_EQ(expect_begin, text.size());
  return out;
}

using W = std::vector<std::string>;

TEST(Pretokenize, Gpt2) {
  EXPECT_EQ(words(PreTokenizer::kGpt2, "Hello world's  12345 !!?"),
            (W{"Hello", " world", "'s", " ", " 12345", " !!?"}));
  EXPECT_EQ(words(PreTokenizer::kGpt2, "a   \n b"), (W{"a", "   \n", " b"}));
  EXPECT_EQ(words(PreTokenizer::kGpt2, "trailing   "), (W{"trailing", "   "}));
  // Contractions are case-sensitive here, so "'" falls to the punctuation rule.
  EXPECT_EQ(words(PreTokenizer::kGpt2, "I'M"), (W{"I", "'", "M"}));
}

TEST(Pretokenize, Llama3) {
  EXPECT_EQ(words(PreTokenizer::kLlama3, "I'M 1234567 ok"),
            (W{"I", "'M", " ", "123", "456", "7", " ok"}));
  EXPECT_EQ(words(PreTokenizer::kLlama3, "x\n\n  y"), (W{"x", "\n\n", " ", " y"}));
  EXPECT_EQ(words(PreTokenizer::kLlama3, "(a)..\n"), (W{"(a", ")..\n"}));
  EXPECT_EQ(words(PreTokenizer::kLlama3, "\xe6\x97\xa5\xe6\x9c\xac 42"),
            (W{"\xe6\x97\xa5\xe6\x9c\xac", " ", "42"}));
}

TEST(Pretokenize, Qwen2DigitsOneByOne) {
  EXPECT_EQ(words(PreTokenizer::kQwen2, "v1234"), (W{"v", "1", "2", "3", "4"}));
}

TEST(Pretokenize, DigitsThenGpt2) {
  EXPECT_EQ(words(PreTokenizer::kDigitsThenGpt2, "ab 12c"), (W{"ab", " ", "1", "2", "c"}));
}

// llama.cpp's chain for tokenizer.ggml.pre = "default": punctuation runs, then the GPT-2
// rule, then \p{N}+, then three-digit groups.
TEST(Pretokenize, DefaultChain) {
  EXPECT_EQ(words(PreTokenizer::kDefault, "Hello, world 12345!"),
            (W{"Hello", ",", " world", " ", "123", "45", "!"}));
}

TEST(Pretokenize, InvalidUtf8KeptByteForByte) {
  const std::string t = "ab\xff\xfe cd";
  std::string joined;
  for (const auto& w : words(PreTokenizer::kLlama3, t)) joined += w;
  EXPECT_EQ(joined, t);
}

TEST(Pretokenize, LongInputIsLinear) {
  // 1 MB of one long "word" and of one long whitespace run must not go quadratic; a
  // quadratic scanner would take minutes here.
  for (PreTokenizer rule : {PreTokenizer::kGpt2, PreTokenizer::kLlama3, PreTokenizer::kQwen2}) {
    std::vector<ByteSpan> spans;
    pretokenize(rule, std::string(1 << 20, 'a'), spans);
    EXPECT_EQ(spans.size(), 1u);
    spans.clear();
    pretokenize(rule, std::string(1 << 20, ' '), spans);
    EXPECT_GE(spans.size(), 1u);
  }
}

TEST(Pretokenize, Names) {
  EXPECT_EQ(pretokenizer_from_name("qwen2"), PreTokenizer::kQwen2);
  EXPECT_EQ(pretokenizer_from_name("llama-bpe"), PreTokenizer::kLlama3);
  EXPECT_EQ(pretokenizer_from_name("gpt-2"), PreTokenizer::kGpt2);
  EXPECT_EQ(pretokenizer_from_name("smollm"), PreTokenizer::kDigitsThenGpt2);
  EXPECT_EQ(pretokenizer_from_name("no-such"), std::nullopt);
}

}  // namespace
}  // namespace trove
