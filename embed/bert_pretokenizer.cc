// embed/bert_pretokenizer.cc — see bert_pretokenizer.h.
#include "embed/bert_pretokenizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <cassert>
#include <cstdint>

namespace trove {
namespace {

enum class CharClass : uint8_t { kDrop, kSpace, kPunct, kWord, kUpper };

// Classes of the 128 ASCII code points, so plain English never reaches ICU.
constexpr std::array<CharClass, 128> make_ascii_table() {
  std::array<CharClass, 128> t{};
  for (int c = 0; c < 128; ++c) {
    CharClass k = CharClass::kWord;
    if (c < 0x20 || c == 0x7f) k = CharClass::kDrop;  // NUL and other Cc
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') k = CharClass::kSpace;
    // BERT treats every ASCII non-alphanumeric printable as punctuation ($, +, ^ ...).
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
        (c >= 123 && c <= 126)) {
      k = CharClass::kPunct;
    }
    if (c >= 'A' && c <= 'Z') k = CharClass::kUpper;
    t[static_cast<size_t>(c)] = k;
  }
  return t;
}
constexpr std::array<CharClass, 128> kAscii = make_ascii_table();

// The ranges Hugging Face's Rust tokenizer uses (note 0x2B920, not 0x2B820).
bool is_cjk_ideograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool is_other_category(char32_t c) {
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_C_MASK) != 0;
}

CharClass classify_non_ascii(char32_t c) {
  const auto cp = static_cast<UChar32>(c);
  if (u_isUWhiteSpace(cp)) return CharClass::kSpace;
  if ((U_GET_GC_MASK(cp) & U_GC_P_MASK) != 0) return CharClass::kPunct;
  return CharClass::kWord;
}

// Builds words into a BertWords, tracking the one in progress.
class WordBuilder {
 public:
  explicit WordBuilder(BertWords& out) : out_(out) {}
  ~WordBuilder() { finish(); }
  WordBuilder(const WordBuilder&) = delete;
  WordBuilder& operator=(const WordBuilder&) = delete;

  void append(char32_t cp) {
    if (!open_) {
      open_ = true;
      start_ = out_.text.size();
      n_chars_ = 0;
    }
    if (cp < 0x80) {
      out_.text.push_back(static_cast<char>(cp));
    } else {
      append_utf8(cp, out_.text);
    }
    ++n_chars_;
  }
  void finish() {
    if (!open_) return;
    out_.words.push_back({start_, out_.text.size() - start_, n_chars_});
    open_ = false;
  }
  void single(char32_t cp) {
    finish();
    append(cp);
    finish();
  }

 private:
  BertWords& out_;
  bool open_ = false;
  size_t start_ = 0;
  size_t n_chars_ = 0;
};

const icu::Normalizer2* nfd_instance() {
  static const icu::Normalizer2* nfd = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    assert(U_SUCCESS(status) && n != nullptr);  // ICU's data is part of the library
    return n;
  }();
  return nfd;
}

// Lower-case as Rust's char::to_lowercase (full mapping, no context): only U+0130
// maps to two code points.
template <class Sink>
void lower_into(char32_t c, Sink&& sink) {
  if (c == 0x130) {
    sink(U'i');
    sink(char32_t{0x307});
    return;
  }
  sink(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))));
}

// The normalised form of one non-ASCII code point: NFD minus Mn, lower-cased.
template <class Sink>
void normalise_uncased(char32_t c, Sink&& sink) {
  icu::UnicodeString decomposition;
  if (!nfd_instance()->getDecomposition(static_cast<UChar32>(c), decomposition)) {
    if (u_charType(static_cast<UChar32>(c)) != U_NON_SPACING_MARK) lower_into(c, sink);
    return;
  }
  for (int32_t i = 0; i < decomposition.length();) {
    const UChar32 d = decomposition.char32At(i);
    i += U16_LENGTH(d);
    if (u_charType(d) == U_NON_SPACING_MARK) continue;
    lower_into(static_cast<char32_t>(d), sink);
  }
}

void place(char32_t cp, WordBuilder& words) {
  switch (cp < 0x80 ? kAscii[cp] : classify_non_ascii(cp)) {
    case CharClass::kDrop:
      break;
    case CharClass::kSpace:
      words.finish();
      break;
    case CharClass::kPunct:
      words.single(cp);
      break;
    case CharClass::kWord:
    case CharClass::kUpper:
      words.append(cp);
      break;
  }
}

}  // namespace

char32_t next_code_point(std::string_view s, size_t* pos) {
  const auto b0 = static_cast<uint8_t>(s[*pos]);
  if (b0 < 0x80) {
    ++*pos;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07;
  } else {
    ++*pos;
    return 0xFFFD;
  }
  if (*pos + static_cast<size_t>(len) > s.size()) {
    ++*pos;
    return 0xFFFD;
  }
  for (int i = 1; i < len; ++i) {
    const auto b = static_cast<uint8_t>(s[*pos + static_cast<size_t>(i)]);
    if ((b & 0xC0) != 0x80) {
      ++*pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are malformed too.
  static constexpr char32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*pos;
    return 0xFFFD;
  }
  *pos += static_cast<size_t>(len);
  return cp;
}

void append_utf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void bert_pretokenize(std::string_view text, bool uncased, BertWords& out) {
  WordBuilder words(out);
  for (size_t pos = 0; pos < text.size();) {
    const char32_t cp = next_code_point(text, &pos);
    if (cp < 0x80) {
      const CharClass k = kAscii[cp];
      place(k == CharClass::kUpper && uncased ? cp + 32 : cp, words);
      continue;
    }
    // Clean text first: the other categories go even when they are White_Space (U+0085).
    if (cp == 0xFFFD || is_other_category(cp)) continue;
    if (is_cjk_ideograph(cp)) {
      words.finish();
      if (uncased) {
        normalise_uncased(cp, [&](char32_t c) { words.append(c); });
      } else {
        words.append(cp);
      }
      words.finish();
      continue;
    }
    if (uncased) {
      normalise_uncased(cp, [&](char32_t c) { place(c, words); });
    } else {
      place(cp, words);
    }
  }
}

}  // namespace trove
