// ingest/encoding.cc — BOM/UTF-16 sniffing, UTF-8 validation and repair, declared
// charsets through iconv and undeclared legacy ones through uchardet (see encoding.h).
#include "ingest/encoding.h"

#include <iconv.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>

namespace trove::ingest {
namespace {

uint8_t byte_at(std::string_view s, size_t i) {
  return static_cast<uint8_t>(s[i]);
}

Decoded decode_utf16(std::string_view b, bool big_endian) {
  Decoded d;
  d.text.reserve(b.size());
  size_t n = b.size() / 2;
  for (size_t k = 0; k < n; ++k) {
    uint8_t x = byte_at(b, 2 * k), y = byte_at(b, 2 * k + 1);
    char32_t u = big_endian ? (x << 8 | y) : (y << 8 | x);
    if (u >= 0xD800 && u <= 0xDBFF && k + 1 < n) {
      uint8_t x2 = byte_at(b, 2 * k + 2), y2 = byte_at(b, 2 * k + 3);
      char32_t lo = big_endian ? (x2 << 8 | y2) : (y2 << 8 | x2);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        append_utf8(&d.text, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        ++k;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) {
      u = 0xFFFD;
      ++d.replacements;
    }
    append_utf8(&d.text, u);
  }
  if (b.size() % 2) {
    append_utf8(&d.text, 0xFFFD);
    ++d.replacements;
  }
  return d;
}

Decoded decode_utf32(std::string_view b, bool big_endian) {
  Decoded d;
  d.text.reserve(b.size());
  size_t n = b.size() / 4;
  for (size_t k = 0; k < n; ++k) {
    uint32_t v = 0;
    for (int j = 0; j < 4; ++j) {
      uint32_t byte = byte_at(b, 4 * k + (big_endian ? j : 3 - j));
      v = v << 8 | byte;
    }
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
      v = 0xFFFD;
      ++d.replacements;
    }
    append_utf8(&d.text, static_cast<char32_t>(v));
  }
  if (b.size() % 4) {
    append_utf8(&d.text, 0xFFFD);
    ++d.replacements;
  }
  return d;
}

Decoded repair_utf8(std::string_view b) {
  Decoded d;
  d.text.reserve(b.size());
  size_t i = 0;
  while (i < b.size()) {
    size_t run = i;
    while (run < b.size() && byte_at(b, run) < 0x80) ++run;  // ASCII fast path
    d.text.append(b.data() + i, run - i);
    i = run;
    if (i >= b.size()) break;
    size_t len = utf8_sequence_length(b, i);
    if (len == 0) {
      append_utf8(&d.text, 0xFFFD);
      ++d.replacements;
      ++i;
      // Continuation bytes of the same broken sequence count once.
      while (i < b.size() && (byte_at(b, i) & 0xC0) == 0x80) ++i;
    } else {
      d.text.append(b.data() + i, len);
      i += len;
    }
  }
  return d;
}

// Legacy labels → the iconv charset to decode with: the Windows supersets that
// real files use under the ISO/IANA names (a "Shift_JIS" file from Windows has NEC
// and IBM extensions; "gb2312" pages are GBK; "EUC-KR" is mostly CP949 in practice).
std::string iconv_name(std::string_view label) {
  std::string l;
  for (char c : label) {
    if (c == '"' || c == '\'' || c == ' ') continue;
    l.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (l == "SHIFT_JIS" || l == "SHIFT-JIS" || l == "SJIS" || l == "X-SJIS" || l == "MS_KANJI" ||
      l == "WINDOWS-31J" || l == "CSSHIFTJIS")
    return "CP932";
  if (l == "GB2312" || l == "GBK" || l == "X-GBK" || l == "CP936" || l == "EUC-CN" ||
      l == "CSGB2312" || l == "HZ-GB-2312")
    return l == "HZ-GB-2312" ? "HZ" : "GB18030";
  if (l == "EUC-KR" || l == "KS_C_5601-1987" || l == "KSC5601" || l == "UHC" || l == "CSEUCKR")
    return "CP949";
  if (l == "BIG5" || l == "BIG-5" || l == "X-X-BIG5" || l == "CN-BIG5" || l == "CSBIG5")
    return "BIG5-HKSCS";
  if (l == "ISO-8859-1" || l == "LATIN1" || l == "ISO8859-1" || l == "L1" || l == "US-ASCII" ||
      l == "ASCII")
    return "WINDOWS-1252";  // what browsers do: 0x80-0x9F are Windows punctuation
  if (l == "X-MAC-CYRILLIC" || l == "MAC-CYRILLIC") return "MACCYRILLIC";
  if (l == "IBM855") return "CP855";
  if (l == "IBM866") return "CP866";
  return l;
}

bool iconv_decode(std::string_view b, const std::string& charset, Decoded* out) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  // iconv_open's failure value is (iconv_t)-1: the cast is its API.
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;  // NOLINT(performance-no-int-to-ptr)
  Decoded d;
  d.encoding = Encoding::kLegacy;
  d.charset = charset;
  d.text.reserve(b.size() * 2);
  std::string buf(16384, '\0');
  char* in = const_cast<char*>(b.data());  // iconv's signature; the input is not written
  size_t in_left = b.size();
  while (in_left > 0) {
    char* o = buf.data();
    size_t o_left = buf.size();
    size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    d.text.append(buf.data(), buf.size() - o_left);
    if (r != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) continue;
    // EILSEQ (a byte the charset does not map) or EINVAL (a sequence cut at the end).
    append_utf8(&d.text, 0xFFFD);
    ++d.replacements;
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state
  }
  // Flush a stateful encoding's final shift sequence.
  char* o = buf.data();
  size_t o_left = buf.size();
  iconv(cd, nullptr, nullptr, &o, &o_left);
  d.text.append(buf.data(), buf.size() - o_left);
  iconv_close(cd);
  *out = std::move(d);
  return true;
}

bool is_utf8_label(std::string_view label) {
  std::string l;
  for (char c : label) l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return l == "utf-8" || l == "utf8" || l == "unicode-1-1-utf-8" || l == "us-ascii" || l == "ascii";
}

}  // namespace

const char* encoding_name(Encoding e) {
  switch (e) {
    case Encoding::kUtf8:
      return "UTF-8";
    case Encoding::kUtf8Bom:
      return "UTF-8 (BOM)";
    case Encoding::kUtf16Le:
      return "UTF-16LE";
    case Encoding::kUtf16Be:
      return "UTF-16BE";
    case Encoding::kUtf32Le:
      return "UTF-32LE";
    case Encoding::kUtf32Be:
      return "UTF-32BE";
    case Encoding::kLegacy:
      return "legacy";
  }
  return "?";
}

void append_utf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t utf8_sequence_length(std::string_view s, size_t i) {
  uint8_t c = byte_at(s, i);
  if (c < 0x80) return 1;
  size_t len;
  char32_t min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  char32_t cp = c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    uint8_t cc = byte_at(s, i + k);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

Encoding sniff_unicode(std::string_view b, size_t* bom_length) {
  *bom_length = 0;
  auto starts = [&](std::string_view p) { return b.substr(0, p.size()) == p; };
  using namespace std::string_view_literals;
  if (starts("\xEF\xBB\xBF"sv)) return *bom_length = 3, Encoding::kUtf8Bom;
  if (starts("\xFF\xFE\x00\x00"sv)) return *bom_length = 4, Encoding::kUtf32Le;
  if (starts("\x00\x00\xFE\xFF"sv)) return *bom_length = 4, Encoding::kUtf32Be;
  if (starts("\xFF\xFE"sv)) return *bom_length = 2, Encoding::kUtf16Le;
  if (starts("\xFE\xFF"sv)) return *bom_length = 2, Encoding::kUtf16Be;
  // BOM-less UTF-16: mostly-ASCII text has a NUL in every other byte.
  size_t n = std::min<size_t>(b.size(), 4096) & ~size_t{1};
  if (n >= 16) {
    size_t even_nul = 0, odd_nul = 0;
    for (size_t i = 0; i < n; i += 2) {
      even_nul += b[i] == 0;
      odd_nul += b[i + 1] == 0;
    }
    size_t pairs = n / 2;
    if (even_nul * 10 >= pairs * 7 && odd_nul * 20 <= pairs) return Encoding::kUtf16Be;
    if (odd_nul * 10 >= pairs * 7 && even_nul * 20 <= pairs) return Encoding::kUtf16Le;
  }
  return Encoding::kUtf8;
}

Decoded decode_as(std::string_view b, Encoding e) {
  Decoded d;
  switch (e) {
    case Encoding::kUtf16Le:
      d = decode_utf16(b, false);
      break;
    case Encoding::kUtf16Be:
      d = decode_utf16(b, true);
      break;
    case Encoding::kUtf32Le:
      d = decode_utf32(b, false);
      break;
    case Encoding::kUtf32Be:
      d = decode_utf32(b, true);
      break;
    case Encoding::kLegacy:
      iconv_decode(b, "WINDOWS-1252", &d);
      return d;
    case Encoding::kUtf8:
    case Encoding::kUtf8Bom:
      d = repair_utf8(b);
      break;
  }
  d.encoding = e;
  return d;
}

std::string detect_charset(std::string_view b) {
  uchardet_t ud = uchardet_new();
  if (!ud) return {};
  std::string cs;
  // uchardet settles within the first few hundred KiB; more only costs time.
  std::string_view sample = b.substr(0, 1 << 20);
  if (uchardet_handle_data(ud, sample.data(), sample.size()) == 0) {
    uchardet_data_end(ud);
    if (const char* c = uchardet_get_charset(ud)) cs = c;
  }
  uchardet_delete(ud);
  if (cs == "ASCII" || cs == "UTF-8") return {};  // not a legacy charset after all
  return cs.empty() ? cs : iconv_name(cs);
}

bool decode_charset(std::string_view b, std::string_view charset, Decoded* out) {
  if (is_utf8_label(charset)) {
    *out = decode_as(b, Encoding::kUtf8);
    return true;
  }
  return iconv_decode(b, iconv_name(charset), out);
}

Decoded decode_to_utf8(std::string_view b, std::string_view declared) {
  size_t bom = 0;
  Encoding e = sniff_unicode(b, &bom);
  if (e != Encoding::kUtf8) return decode_as(b.substr(bom), e);
  Decoded d;
  if (!declared.empty() && !is_utf8_label(declared) && decode_charset(b, declared, &d)) return d;
  // Classify the high bytes: part of valid UTF-8 sequences or not.
  size_t valid_multi = 0, invalid = 0, high = 0;
  for (size_t i = 0; i < b.size();) {
    uint8_t c = byte_at(b, i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = utf8_sequence_length(b, i);
    if (len == 0) {
      ++invalid, ++high, ++i;
    } else {
      ++valid_multi, high += len, i += len;
    }
  }
  if (invalid == 0) {
    d.text.assign(b);
    return d;
  }
  if (valid_multi > 0 && invalid * 10 < high) return decode_as(b, Encoding::kUtf8);
  std::string cs = detect_charset(b);
  if (cs.empty() || !iconv_decode(b, cs, &d)) iconv_decode(b, "WINDOWS-1252", &d);
  d.guessed = true;
  return d;
}

}  // namespace trove::ingest
