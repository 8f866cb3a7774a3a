// The Unigram tokenizer against sentencepiece's own encoder: the build trains (with
// tests/data/unigram/make_unigram.py) two models on the dev corpus (one with the nmt_nfkc charsmap,
// dummy prefix, whitespace folding, byte fallback and a user-defined piece; one with
// none of those) and the ids sentencepiece gives ~450 strings each.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/gguf.h"
#include "embed/unigram.h"
#include "fixture_util.h"

namespace trove {
namespace {

UnigramTokenizer load(const std::string& name) {
  auto file = GgufFile::open(test::generated_file("unigram/" + name + ".gguf"));
  EXPECT_TRUE(file.ok()) << file.error().message;
  auto tok = UnigramTokenizer::from_gguf(*file);
  EXPECT_TRUE(tok.ok()) << tok.error().message;
  return std::move(tok).value();
}

void expect_sentencepiece_ids(const std::string& name) {
  const UnigramTokenizer tok = load(name);
  const auto cases = test::read_id_cases(test::generated_file("unigram/" + name + ".inp"),
                                         test::generated_file("unigram/" + name + ".out"));
  ASSERT_GE(cases.size(), 400u);
  size_t failures = 0;
  for (const auto& c : cases) {
    const std::vector<int32_t> got = tok.encode(c.text);
    if (got != c.ids && ++failures <= 10) {
      std::string diff;
      for (int32_t id : got) diff += std::string(tok.token_text(id)) + "|";
      diff += "  expected  ";
      for (int32_t id : c.ids) diff += std::string(tok.token_text(id)) + "|";
      ADD_FAILURE() << name << ": '" << c.text << "' normalised '" << tok.normalize(c.text)
                    << "': " << diff;
    }
  }
  EXPECT_EQ(failures, 0u) << "of " << cases.size();
}

TEST(Unigram, NfkcModelMatchesSentencepiece) {
  expect_sentencepiece_ids("unigram-nfkc");
}
TEST(Unigram, IdentityModelMatchesSentencepiece) {
  expect_sentencepiece_ids("unigram-ident");
}

TEST(Unigram, ByteFallbackOnlyWhereTheVocabularyHasBytes) {
  const UnigramTokenizer nfkc = load("unigram-nfkc");
  const UnigramTokenizer ident = load("unigram-ident");
  EXPECT_TRUE(nfkc.byte_fallback());
  EXPECT_FALSE(ident.byte_fallback());
  // A character no piece covers: four byte tokens, or one <unk> for a whole run.
  const std::vector<int32_t> bytes = nfkc.encode("\xF0\x90\x80\x80");  // U+10000
  ASSERT_GE(bytes.size(), 4u);
  for (size_t i = bytes.size() - 4; i < bytes.size(); ++i) {
    EXPECT_EQ(nfkc.token_text(bytes[i]).substr(0, 3), "<0x");
  }
  const std::vector<int32_t> unk = ident.encode("\xF0\x90\x80\x80\xF0\x90\x80\x81");
  EXPECT_EQ(unk, std::vector<int32_t>{ident.unk_id});
}

TEST(Unigram, NormaliserFlagsComeFromTheFile) {
  const UnigramTokenizer nfkc = load("unigram-nfkc");
  const UnigramTokenizer ident = load("unigram-ident");
  EXPECT_EQ(nfkc.normalize("  a   b  "),
            "\xE2\x96\x81"
            "a\xE2\x96\x81"
            "b");
  EXPECT_EQ(ident.normalize("  a   b  "),
            "\xE2\x96\x81\xE2\x96\x81"
            "a\xE2\x96\x81\xE2\x96\x81\xE2\x96\x81"
            "b\xE2\x96\x81\xE2\x96\x81");
  EXPECT_EQ(nfkc.normalize("\xEF\xBC\xA1"),
            "\xE2\x96\x81"
            "A");  // full-width A, NFKC
  EXPECT_EQ(ident.normalize("\xEF\xBC\xA1"), "\xEF\xBC\xA1");
  EXPECT_EQ(nfkc.normalize("   "), "");
}

TEST(Unigram, MalformedUtf8BecomesReplacementCharacters) {
  const UnigramTokenizer ident = load("unigram-ident");
  EXPECT_EQ(ident.normalize("a\xFF"
                            "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ident.normalize("\xE3\x81"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Unigram, ControlTokensOnlyWithSpecials) {
  const UnigramTokenizer nfkc = load("unigram-nfkc");
  ASSERT_GE(nfkc.eos_id, 0);
  const std::vector<int32_t> plain = nfkc.encode("a</s>b");
  const std::vector<int32_t> special = nfkc.encode_with_specials("a</s>b");
  EXPECT_EQ(std::count(plain.begin(), plain.end(), nfkc.eos_id), 0);
  EXPECT_EQ(std::count(special.begin(), special.end(), nfkc.eos_id), 1);
}

TEST(Unigram, WrongModelIsAnError) {
  auto file = GgufFile::open(test::fixture("models/bert-mean-f16.gguf"));
  ASSERT_TRUE(file.ok());
  auto tok = UnigramTokenizer::from_gguf(*file);
  ASSERT_FALSE(tok.ok());
  EXPECT_NE(tok.error().message.find("expected 't5'"), std::string::npos);
}

}  // namespace
}  // namespace trove
