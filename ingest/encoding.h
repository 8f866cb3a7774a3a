// ingest/encoding.h — turning bytes of unknown encoding into UTF-8.
//
// Order of decisions (first that applies):
//  1. BOM: UTF-8, UTF-32 LE/BE, UTF-16 LE/BE → decoded, BOM dropped.
//  2. No BOM but NUL in every other byte over the sample → UTF-16 LE/BE.
//  3. A declared charset (HTML <meta>, XML declaration, a MIME part's charset=) that
//     iconv knows → decoded with it. A declared UTF-8/ASCII is only believed when the
//     bytes are UTF-8 (pages that say UTF-8 and are Windows-1251 are common).
//  4. Valid UTF-8 → kept as is.
//  5. Mostly UTF-8 (invalid sequences are under 10% of the bytes >= 0x80 and there is
//     at least one valid multi-byte sequence) → each invalid sequence becomes U+FFFD
//     and is counted in `replacements`.
//  6. Otherwise uchardet names the legacy charset (Shift_JIS, EUC-JP, GB18030, Big5,
//     EUC-KR, KOI8-R, Windows-125x, ISO-8859-*, ...) and iconv decodes it; when
//     uchardet cannot tell, Windows-1252 (every byte maps to a character).
// Nothing is ever dropped silently: every undecodable byte becomes U+FFFD, counted.
// Thread-safety: every function is safe to call from several threads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace trove::ingest {

enum class Encoding { kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be, kUtf32Le, kUtf32Be, kLegacy };
const char* encoding_name(Encoding e);  // "UTF-8", "UTF-16LE", ...; "legacy" for kLegacy

struct Decoded {
  std::string text;  // UTF-8
  Encoding encoding = Encoding::kUtf8;
  std::string charset;      // for kLegacy: the iconv name used ("SHIFT_JIS", "WINDOWS-1251")
  bool guessed = false;     // kLegacy chosen by detection, not declared
  size_t replacements = 0;  // invalid sequences / unmapped bytes turned into U+FFFD
};

// BOM or BOM-less UTF-16 sniffing only (steps 1-2); kUtf8 when neither applies.
Encoding sniff_unicode(std::string_view bytes, size_t* bom_length);

// `declared`: a charset label from the file or message ("" when none); see rule 3.
Decoded decode_to_utf8(std::string_view bytes, std::string_view declared = {});

// Decodes with a known Unicode encoding (skipping detection); kLegacy → Windows-1252.
Decoded decode_as(std::string_view bytes, Encoding e);

// Decodes with a named charset through iconv (labels as in HTML/MIME: "iso-8859-1",
// "Shift_JIS", "gb2312", "ks_c_5601-1987", ...). False when iconv has no such charset.
bool decode_charset(std::string_view bytes, std::string_view charset, Decoded* out);

// uchardet's guess for bytes that are not UTF-8: an iconv-usable name, or "" when it
// cannot tell. ASCII-only input gives "".
std::string detect_charset(std::string_view bytes);

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
size_t utf8_sequence_length(std::string_view s, size_t i);

void append_utf8(std::string* out, char32_t cp);

}  // namespace trove::ingest
