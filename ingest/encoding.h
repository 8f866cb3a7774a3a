// ingest/encoding.h — turning a file's bytes of unknown encoding into UTF-8.
//
// Order of decisions (first that applies):
//  1. BOM: UTF-8, UTF-32 LE/BE, UTF-16 LE/BE → decoded, BOM dropped.
//  2. No BOM but NUL in every other byte over the sample → UTF-16 LE/BE.
//  3. Valid UTF-8 → kept as is.
//  4. Mostly UTF-8 (invalid sequences are under 10% of the bytes >= 0x80 and
//     there is at least one valid multi-byte sequence) → each invalid sequence becomes
//     U+FFFD and is counted in `replacements`.
//  5. Otherwise an 8-bit legacy encoding, chosen by a byte histogram: Windows-1251 when
//     most high bytes are Cyrillic letters (0xC0-0xFF, and 0xA8/0xB8 Ё/ё) standing
//     next to another high byte — Russian words are runs of such bytes — otherwise
//     Windows-1252 (a superset of Latin-1's printable range), where accented letters
//     stand alone between ASCII letters. Bytes undefined in the chosen code page become
//     U+FFFD and are counted.
// Nothing is ever dropped silently: every replacement is counted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace trove::ingest {

enum class Encoding {
  kUtf8,
  kUtf8Bom,
  kUtf16Le,
  kUtf16Be,
  kUtf32Le,
  kUtf32Be,
  kWindows1251,
  kWindows1252
};
const char* encoding_name(Encoding e);  // "UTF-8", "UTF-16LE", "windows-1251", ...

struct Decoded {
  std::string text;  // UTF-8
  Encoding encoding = Encoding::kUtf8;
  size_t replacements = 0;  // invalid sequences / unmapped bytes turned into U+FFFD
};

// BOM or BOM-less UTF-16 sniffing only (steps 1-2); kUtf8 when neither applies.
Encoding sniff_unicode(std::string_view bytes, size_t* bom_length);

Decoded decode_to_utf8(std::string_view bytes);

// Decodes with a known encoding (skipping the heuristic).
Decoded decode_as(std::string_view bytes, Encoding e);

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
size_t utf8_sequence_length(std::string_view s, size_t i);

void append_utf8(std::string* out, char32_t cp);

}  // namespace trove::ingest
