// generate/unicode_props.cc — ICU-backed code point classes and UTF-8 helpers.
#include "generate/unicode_props.h"

#include <unicode/uchar.h>

#include <array>

namespace trove {
namespace {

CpFlags flags_from_icu(uint32_t cp) {
  CpFlags f;
  const auto c = static_cast<UChar32>(cp);
  switch (static_cast<UCharCategory>(u_charType(c))) {
    case U_UNASSIGNED:
      break;
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      f.letter = true;
      break;
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      f.number = true;
      break;
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
      f.mark = true;
      break;
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
      f.punct = true;
      break;
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL:
    case U_OTHER_SYMBOL:
      f.symbol = true;
      break;
    default:
      break;  // separators, controls, format, private use, surrogates
  }
  f.present = true;
  f.space = u_isUWhiteSpace(c) != 0;
  return f;
}

// ASCII dominates real text, so its classes are computed once.
const std::array<CpFlags, 128>& ascii_table() {
  static const std::array<CpFlags, 128> table = [] {
    std::array<CpFlags, 128> t{};
    for (uint32_t c = 0; c < 128; ++c) t[c] = flags_from_icu(c);
    return t;
  }();
  return table;
}

}  // namespace

CpFlags cp_flags(uint32_t cp) {
  if (cp < 128) return ascii_table()[cp];
  if (cp > 0x10FFFF) return CpFlags{};
  return flags_from_icu(cp);
}

uint32_t cp_to_lower(uint32_t cp) {
  if (cp < 128) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  return static_cast<uint32_t>(u_tolower(static_cast<UChar32>(cp)));
}

uint32_t utf8_decode(std::string_view s, size_t& pos) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  const size_t n = utf8_seq_len(b0);
  if (n == 1 || pos + n > s.size()) {
    ++pos;
    return 0xFFFD;
  }
  uint32_t cp = b0 & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[pos + k]);
    if ((b & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  pos += n;
  return cp;
}

void utf8_append(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace trove
