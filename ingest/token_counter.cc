// ingest/token_counter.cc — the vocabulary-free token estimate (rule in token_counter.h).
#include "ingest/token_counter.h"

#include <cstdint>

namespace trove::ingest {
namespace {

bool is_cjk(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) ||  // Hiragana, Katakana
         (c >= 0x3400 && c <= 0x9FFF) ||  // CJK ideographs
         (c >= 0xAC00 && c <= 0xD7AF) ||  // Hangul
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x3000 && c <= 0x303F) || (c >= 0x20000 && c <= 0x2FFFF);
}

// Decodes one code point at s[i] (invalid bytes count as one code point each).
char32_t next_cp(std::string_view s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[*i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (*i + len > s.size()) len = 1;
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) cp = cp << 6 | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += len;
  return cp;
}

}  // namespace

int WordTokenCounter::count(std::string_view text) const {
  int64_t tokens = 0;
  size_t word_bytes = 0;  // bytes of the word being read
  auto end_word = [&] {
    if (word_bytes > 0) tokens += 1 + (word_bytes > 6 ? (word_bytes - 6 + 3) / 4 : 0);
    word_bytes = 0;
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    char32_t c = next_cp(text, &i);
    bool ascii_alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool letter_like = ascii_alnum || (c >= 0xC0 && !is_cjk(c) && !(c >= 0x2000 && c <= 0x2BFF));
    if (letter_like) {
      word_bytes += i - start;
      continue;
    }
    end_word();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0)
      continue;
    ++tokens;  // punctuation, symbol or CJK character
  }
  end_word();
  return tokens > INT32_MAX ? INT32_MAX : static_cast<int>(tokens);
}

}  // namespace trove::ingest
