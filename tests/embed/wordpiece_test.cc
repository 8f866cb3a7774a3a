// tests/embed/wordpiece_test.cc — the WordPiece tokenizer against the golden files: the
// Hugging Face tokenizer's ids for ggml-vocab-bert-bge.gguf.inp, and the reference
// engine's ids (with [CLS]/[SEP]) for refs/texts_dev.txt.
#include <gtest/gtest.h>

#include "core/gguf.h"
#include "embed/wordpiece.h"
#include "tests/embed/fixture_util.h"

namespace trove {
namespace {

WordPieceTokenizer load(const std::string& rel) {
  auto file = GgufFile::open(test::fixture(rel));
  EXPECT_TRUE(file.ok()) << (file.ok() ? "" : file.error().message);
  auto tok = WordPieceTokenizer::from_gguf(*file);
  EXPECT_TRUE(tok.ok()) << (tok.ok() ? "" : tok.error().message);
  return std::move(tok).value();
}

// Splits a .inp file as llama.cpp's test-tokenizer-0 does.
std::vector<std::string> split_cases(const std::string& raw) {
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<std::string> cases;
  size_t pos = 0;
  while (pos < raw.size()) {
    const size_t next = raw.find(sep, pos);
    if (next == std::string::npos) {
      cases.push_back(raw.substr(pos));
      break;
    }
    cases.push_back(raw.substr(pos, next - pos));
    pos = next + sep.size();
  }
  return cases;
}

TEST(WordPiece, SpecialIdsAndCasing) {
  const WordPieceTokenizer tok = load("tokenizer/ggml-vocab-bert-bge.gguf");
  EXPECT_EQ(tok.vocab_size(), 30522u);
  EXPECT_EQ(tok.token_text(tok.cls_id), "[CLS]");
  EXPECT_EQ(tok.token_text(tok.sep_id), "[SEP]");
  EXPECT_EQ(tok.token_text(tok.unk_id), "[UNK]");
  EXPECT_EQ(tok.token_text(tok.pad_id), "[PAD]");
  EXPECT_TRUE(tok.lowercase());
}

TEST(WordPiece, HuggingFaceGoldenCases) {
  const WordPieceTokenizer tok = load("tokenizer/ggml-vocab-bert-bge.gguf");
  const auto cases =
      split_cases(test::read_all(test::fixture("tokenizer/ggml-vocab-bert-bge.gguf.inp")));
  const auto outs = test::read_lines(test::fixture("tokenizer/ggml-vocab-bert-bge.gguf.out"));
  ASSERT_EQ(cases.size(), outs.size());
  ASSERT_GT(cases.size(), 30u);
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto expected = test::parse_ints(outs[i]);
    EXPECT_EQ(tok.encode(cases[i], false), expected) << "case " << i << ": '" << cases[i] << "'";
    EXPECT_EQ(tok.count_tokens(cases[i]), expected.size()) << "case " << i;
  }
}

TEST(WordPiece, ReferenceDevTokens) {
  const WordPieceTokenizer tok = load("models/bert-mean-f16.gguf");
  const auto texts = test::read_lines(test::fixture("refs/texts_dev.txt"));
  const auto refs = test::read_lines(test::fixture("refs/bert.dev.tokens.txt"));
  ASSERT_EQ(texts.size(), refs.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(tok.encode(texts[i], true), test::parse_ints(refs[i])) << texts[i];
  }
}

TEST(WordPiece, TruncationKeepsSep) {
  const WordPieceTokenizer tok = load("tokenizer/ggml-vocab-bert-bge.gguf");
  const auto full = tok.encode("the quick brown fox jumps over the lazy dog", true);
  ASSERT_GT(full.size(), 6u);
  const auto cut = tok.encode("the quick brown fox jumps over the lazy dog", true, 5);
  ASSERT_EQ(cut.size(), 5u);
  EXPECT_EQ(cut.front(), tok.cls_id);
  EXPECT_EQ(cut.back(), tok.sep_id);
  EXPECT_EQ(std::vector<int32_t>(cut.begin(), cut.begin() + 4),
            std::vector<int32_t>(full.begin(), full.begin() + 4));
  EXPECT_EQ(tok.encode("the quick", false, 1).size(), 1u);
}

TEST(WordPiece, SpecialTokensInTextAndDecode) {
  const WordPieceTokenizer tok = load("tokenizer/ggml-vocab-bert-bge.gguf");
  const auto ids = tok.encode("hello [SEP] world", false);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[1], tok.sep_id);
  EXPECT_EQ(tok.decode(tok.encode("Unbelievably, it works!", true)), "unbelievably , it works !");
}

TEST(WordPiece, LongWordIsUnknownAndBadUtf8IsSafe) {
  const WordPieceTokenizer tok = load("tokenizer/ggml-vocab-bert-bge.gguf");
  EXPECT_EQ(tok.encode(std::string(101, 'a'), false), std::vector<int32_t>{tok.unk_id});
  const std::string bad = "caf\xC3 \xFF\xFE ok \xE2\x82";
  const auto ids = tok.encode(bad, false);
  EXPECT_FALSE(ids.empty());
  EXPECT_EQ(tok.count_tokens(bad), ids.size());
  EXPECT_TRUE(tok.encode("", false).empty());
}

// Hugging Face BertTokenizer is the truth where llama.cpp differs (issue 14, item 5).
namespace hf_truth {

std::vector<std::string> texts_of(const WordPieceTokenizer& tok, const std::vector<int32_t>& ids) {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (int32_t id : ids) out.emplace_back(tok.token_text(id));
  return out;
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// BertTokenizer's basic step (lowercase, so accents are stripped through NFD) turns
// each Hangul syllable into its conjoining jamo, which are neither Chinese characters
// nor marks, so a Korean word stays one word of jamo for WordPiece.
TEST(WordPieceHfTruth, HangulSyllablesBecomeNfdJamo) {
  const WordPieceTokenizer tok = load("tokenizer/ggml-vocab-bert-bge.gguf");
  // 한 = ᄒ ᅡ ᆫ, 국 = ᄀ ᅮ ᆨ, 어 = ᄋ ᅥ (U+1112 U+1161 U+11AB, U+1100 U+116E U+11A8,
  // U+110B U+1165).
  // The GGUF vocabulary spells a word-initial piece with a leading U+2581 and a
  // continuation ("##x" in vocab.txt) bare.
  const std::vector<std::string> want = {"\u2581\u1112", "\u1161", "\u11ab", "\u1100",
                                         "\u116e",       "\u11a8", "\u110b", "\u1165"};
  EXPECT_EQ(texts_of(tok, tok.encode("한국어", false)), want);
}

// WordpieceTokenizer(max_input_chars_per_word=100): a word longer than 100 characters,
// counted after normalisation, is one [UNK]; 100 characters are still split.
TEST(WordPieceHfTruth, WordsOverAHundredCharactersAreUnk) {
  const WordPieceTokenizer tok = load("tokenizer/ggml-vocab-bert-bge.gguf");
  const std::vector<int32_t> unk = {tok.unk_id};
  EXPECT_EQ(tok.encode(repeat("a", 101), false), unk);
  const auto hundred = tok.encode(repeat("a", 100), false);
  EXPECT_GT(hundred.size(), 1u);
  for (int32_t id : hundred) EXPECT_NE(id, tok.unk_id);
  // Characters, not bytes: 60 é are 120 bytes but, accents stripped, 60 letters.
  const auto accents = tok.encode(repeat("é", 60), false);
  for (int32_t id : accents) EXPECT_NE(id, tok.unk_id);
  // And after NFD: 34 three-jamo syllables are 102 characters, 33 are 99.
  EXPECT_EQ(tok.encode(repeat("한", 34), false), unk);
  const auto syllables = tok.encode(repeat("한", 33), false);
  EXPECT_EQ(syllables.size(), 99u);
  for (int32_t id : syllables) EXPECT_NE(id, tok.unk_id);
  // The count used for chunk budgets agrees with encode.
  EXPECT_EQ(tok.count_tokens(repeat("a", 101)), 1u);
}

}  // namespace hf_truth

}  // namespace
}  // namespace trove
