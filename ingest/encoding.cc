// ingest/encoding.cc — BOM/UTF-16 sniffing, UTF-8 validation and repair, and the
// Windows-1251 / Windows-1252 fallback (see encoding.h for the rules).
#include "ingest/encoding.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace trove::ingest {
namespace {

// Code points for bytes 0x80..0xFF (generated from Python's codecs; 0xFFFD = undefined).
constexpr std::array<char16_t, 128> kCp1251 = {
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039,
    0x040A, 0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0, 0x040E, 0x045E, 0x0408,
    0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB,
    0x0458, 0x0405, 0x0455, 0x0457, 0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
    0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F, 0x0420, 0x0421, 0x0422, 0x0423,
    0x0424, 0x0425, 0x0426, 0x0427, 0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
    0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437, 0x0438, 0x0439, 0x043A, 0x043B,
    0x043C, 0x043D, 0x043E, 0x043F, 0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
    0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F};

// Windows-1252 differs from Latin-1 only in 0x80..0x9F.
constexpr std::array<char16_t, 32> kCp1252Low = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

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

Decoded decode_8bit(std::string_view b, Encoding e) {
  Decoded d;
  d.encoding = e;
  d.text.reserve(b.size() + b.size() / 2);
  for (size_t i = 0; i < b.size(); ++i) {
    uint8_t c = byte_at(b, i);
    if (c < 0x80) {
      d.text.push_back(static_cast<char>(c));
      continue;
    }
    char32_t u = c;
    if (e == Encoding::kWindows1251) {
      u = kCp1251[c - 0x80];
    } else if (c < 0xA0) {
      u = kCp1252Low[c - 0x80];
    }
    if (u == 0xFFFD) ++d.replacements;
    append_utf8(&d.text, u);
  }
  return d;
}

// Russian text in Windows-1251 is runs of bytes >= 0xC0; Latin-1 text has isolated
// accented letters between ASCII ones. Count high bytes that have a high neighbour.
Encoding guess_legacy(std::string_view b) {
  size_t high = 0, cyr = 0, paired = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    uint8_t c = byte_at(b, i);
    if (c < 0x80) continue;
    ++high;
    if (c >= 0xC0 || c == 0xA8 || c == 0xB8) ++cyr;
    bool prev_high = i > 0 && byte_at(b, i - 1) >= 0xC0;
    bool next_high = i + 1 < b.size() && byte_at(b, i + 1) >= 0xC0;
    if (prev_high || next_high) ++paired;
  }
  if (high > 0 && cyr * 10 >= high * 7 && paired * 2 >= high) return Encoding::kWindows1251;
  return Encoding::kWindows1252;
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
    case Encoding::kWindows1251:
      return "windows-1251";
    case Encoding::kWindows1252:
      return "windows-1252";
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
    case Encoding::kWindows1251:
    case Encoding::kWindows1252:
      return decode_8bit(b, e);
    case Encoding::kUtf8:
    case Encoding::kUtf8Bom:
      d = repair_utf8(b);
      break;
  }
  d.encoding = e;
  return d;
}

Decoded decode_to_utf8(std::string_view b) {
  size_t bom = 0;
  Encoding e = sniff_unicode(b, &bom);
  if (e != Encoding::kUtf8) return decode_as(b.substr(bom), e);
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
    Decoded d;
    d.text.assign(b);
    return d;
  }
  if (valid_multi > 0 && invalid * 10 < high) return decode_as(b, Encoding::kUtf8);
  return decode_8bit(b, guess_legacy(b));
}

}  // namespace trove::ingest
