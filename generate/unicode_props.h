// generate/unicode_props.h — the Unicode facts the tokenizers need, and nothing more.
//
// UTF-8 decoding that never fails (an invalid byte becomes U+FFFD and is consumed
// alone, as llama.cpp does, so pre-tokenizers see the same code points), the general
// category classes the pre-tokenizer rules test (\p{L}, \p{N}, \s, ...), and simple
// lower-casing. Categories come from ICU at run time, so no tables live in the repo.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace trove {

// The classes the pre-tokenizer scanners ask about; a code point has one category
// class plus the separate White_Space property.
struct CpFlags {
  // True for every real code point (assigned or not); false only for the "past the end"
  // value the scanners read beyond a word, mirroring llama.cpp's zero flags there.
  bool present = false;
  bool letter = false;  // \p{L}
  bool number = false;  // \p{N}
  bool mark = false;    // \p{M}
  bool punct = false;   // \p{P}
  bool symbol = false;  // \p{S}
  bool space = false;   // \s (Unicode White_Space)
};

CpFlags cp_flags(uint32_t cp);
uint32_t cp_to_lower(uint32_t cp);

// Decodes one code point at `pos`, advancing it. Invalid or truncated sequences yield
// U+FFFD and advance by one byte.
uint32_t utf8_decode(std::string_view s, size_t& pos);
void utf8_append(std::string& out, uint32_t cp);
// Length of the UTF-8 sequence that starts with this lead byte (1 for stray bytes).
inline size_t utf8_seq_len(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

}  // namespace trove
