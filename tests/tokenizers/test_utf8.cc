// UTF-8 helpers and the GPT-2 byte mapping.
#include <gtest/gtest.h>

#include "generate/bpe_tokenizer.h"
#include "generate/detokenizer.h"
#include "generate/unicode_props.h"

namespace trove {
namespace {

TEST(Utf8, DecodeReplacesInvalidBytesOneAtATime) {
  const std::string s = "a\xC3\xA9\xFF\xE2\x82";  // a, é, stray byte, truncated €
  size_t pos = 0;
  EXPECT_EQ(utf8_decode(s, pos), 'a');
  EXPECT_EQ(utf8_decode(s, pos), 0xE9u);
  EXPECT_EQ(utf8_decode(s, pos), 0xFFFDu);
  EXPECT_EQ(pos, 4u);
  EXPECT_EQ(utf8_decode(s, pos), 0xFFFDu);
  EXPECT_EQ(utf8_decode(s, pos), 0xFFFDu);
  EXPECT_EQ(pos, s.size());
}

TEST(Utf8, CompletePrefixHoldsBackOnlyUnfinishedCharacters) {
  EXPECT_EQ(utf8_complete_prefix("abc"), 3u);
  EXPECT_EQ(utf8_complete_prefix("ab\xE2"), 2u);
  EXPECT_EQ(utf8_complete_prefix("ab\xE2\x82"), 2u);
  EXPECT_EQ(utf8_complete_prefix("ab\xE2\x82\xAC"), 5u);
  EXPECT_EQ(utf8_complete_prefix("\xF0\x9F\x98"), 0u);
  EXPECT_EQ(utf8_complete_prefix("x\x80"), 2u);  // stray continuation: cannot complete
}

TEST(Utf8, CategoryClasses) {
  EXPECT_TRUE(cp_flags('a').letter);
  EXPECT_TRUE(cp_flags(0x65E5).letter);  // 日
  EXPECT_TRUE(cp_flags('7').number);
  EXPECT_TRUE(cp_flags(0x00BD).number);  // ½ (No)
  EXPECT_TRUE(cp_flags(0x3000).space);   // ideographic space
  EXPECT_TRUE(cp_flags(0x0301).mark);
  EXPECT_TRUE(cp_flags(0x20AC).symbol);  // €
  EXPECT_TRUE(cp_flags(',').punct);
  EXPECT_FALSE(CpFlags{}.present);
  EXPECT_EQ(cp_to_lower('Q'), static_cast<uint32_t>('q'));
  EXPECT_EQ(cp_to_lower(0x00C9), 0x00E9u);
}

TEST(BpeByteMap, Gpt2BytesToUnicode) {
  EXPECT_EQ(BpeTokenizer::byte_to_cp('A'), static_cast<uint32_t>('A'));
  EXPECT_EQ(BpeTokenizer::byte_to_cp(' '), 0x120u);   // "Ġ"
  EXPECT_EQ(BpeTokenizer::byte_to_cp('\n'), 0x10Au);  // "Ċ"
  EXPECT_EQ(BpeTokenizer::byte_to_cp(0), 0x100u);
  for (int b = 0; b < 256; ++b) {
    EXPECT_EQ(BpeTokenizer::cp_to_byte(BpeTokenizer::byte_to_cp(static_cast<uint8_t>(b))), b);
  }
  EXPECT_EQ(BpeTokenizer::cp_to_byte(0x2581), -1);
}

}  // namespace
}  // namespace trove
