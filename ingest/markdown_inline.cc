// ingest/markdown_inline.cc — Markdown inline markup to plain text, in one linear pass.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

#include "ingest/encoding.h"
#include "ingest/parsers.h"
#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

constexpr char kDrop = '\x01';  // marks bytes of out to delete in the final pass

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n';
}

// Finds `c` at or after `from`, caching the answer so repeated look-ups for
// unmatched openers stay linear overall.
struct NextFinder {
  std::string_view s;
  char c;
  size_t cached = 0;
  bool valid = false;
  size_t find(size_t from) {
    if (!valid || cached < from) {
      cached = s.find(c, from);
      valid = true;
    }
    return cached;
  }
};

// The ')' closing the link destination that opens at s[open], allowing balanced
// parentheses inside (URLs like wiki/Foo_(bar)); the scan is bounded so unmatched
// openers cost O(1) each.
size_t balanced_paren(std::string_view s, size_t open) {
  int depth = 0;
  size_t limit = std::min(s.size(), open + 2048);
  for (size_t k = open; k < limit; ++k) {
    if (s[k] == '(') {
      ++depth;
    } else if (s[k] == ')' && --depth == 0) {
      return k;
    } else if (s[k] == '\n' || (s[k] == ' ' && depth == 1 && k + 1 < limit && s[k + 1] != '"')) {
      break;  // destinations hold no spaces except before a "title"
    }
  }
  return std::string_view::npos;
}

}  // namespace

size_t decode_entity(std::string_view s, size_t i, std::string* out) {
  size_t semi = s.substr(i, 12).find(';');
  if (semi == std::string_view::npos || semi < 2) return 0;
  std::string_view name = s.substr(i + 1, semi - 1);
  struct Named {
    const char* name;
    char32_t cp;
  };
  static constexpr Named kNamed[] = {
      {"amp", '&'},       {"lt", '<'},     {"gt", '>'},    {"quot", '"'},     {"apos", '\''},
      {"nbsp", 0xA0},     {"copy", 0xA9},  {"reg", 0xAE},  {"mdash", 0x2014}, {"ndash", 0x2013},
      {"hellip", 0x2026}, {"laquo", 0xAB}, {"raquo", 0xBB}};
  for (const Named& n : kNamed) {
    if (name == n.name) {
      append_utf8(out, n.cp);
      return semi + 1;
    }
  }
  if (name[0] != '#') return 0;
  bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
  std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 7) return 0;
  char32_t v = 0;
  for (char c : digits) {
    int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
            : hex && std::isxdigit(static_cast<unsigned char>(c))
                ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                : -1;
    if (d < 0) return 0;
    v = v * (hex ? 16 : 10) + static_cast<char32_t>(d);
  }
  if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) v = 0xFFFD;
  append_utf8(out, v);
  return semi + 1;
}

std::string markdown_inline_to_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::vector<size_t> open;  // out positions of '[' (or "![") still unmatched
  NextFinder close_paren{s, ')'}, close_bracket{s, ']'}, close_angle{s, '>'};
  // no_closer[n]: no run of n backticks after some earlier opener, hence none after any
  // later one either (the scan only moves forward): keeps unmatched runs linear.
  bool no_closer[17] = {};
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1]))) {
      out.push_back(s[i + 1]);
      i += 2;
      continue;
    }
    if (c == '`') {
      size_t n = 0;
      while (i + n < s.size() && s[i + n] == '`') ++n;
      size_t close = std::string_view::npos;
      if (n <= 16 && !no_closer[n]) {
        close = s.find(std::string(n, '`'), i + n);
        if (close == std::string_view::npos) no_closer[n] = true;
      }
      if (close == std::string_view::npos) {
        out.append(n, '`');
        i += n;
        continue;
      }
      out.append(s.substr(i + n, close - (i + n)));
      i = close;
      while (i < s.size() && s[i] == '`') ++i;
      continue;
    }
    if (c == '!' && i + 1 < s.size() && s[i + 1] == '[') {
      open.push_back(out.size());
      out += "![";
      i += 2;
      continue;
    }
    if (c == '[') {
      open.push_back(out.size());
      out.push_back('[');
      ++i;
      continue;
    }
    if (c == ']' && !open.empty()) {
      size_t at = open.back();
      open.pop_back();
      size_t next = i + 1;
      size_t end = std::string_view::npos;
      if (next < s.size() && s[next] == '(') {
        end = balanced_paren(s, next);
        if (end == std::string_view::npos) end = close_paren.find(next);
      } else if (next < s.size() && s[next] == '[') {
        end = close_bracket.find(next + 1);
      }
      if (end != std::string_view::npos) {
        if (out[at] == '!') out[at + 1] = kDrop;  // "![" of an image
        out[at] = kDrop;
        i = end + 1;
        continue;
      }
      out.push_back(']');
      ++i;
      continue;
    }
    if (c == '<' && i + 1 < s.size() &&
        (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/' ||
         s[i + 1] == '!')) {
      size_t gt = close_angle.find(i + 1);
      if (gt != std::string_view::npos && gt - i < 4096) {
        std::string_view inner = s.substr(i + 1, gt - i - 1);
        if (inner.find("://") != std::string_view::npos &&
            inner.find(' ') == std::string_view::npos) {
          out.append(inner);  // autolink: the URL is the text
        } else {
          out.push_back(' ');  // a tag separates words
        }
        i = gt + 1;
        continue;
      }
    }
    if (c == '*' || c == '_' || c == '~') {
      size_t n = 0;
      while (i + n < s.size() && s[i + n] == c) ++n;
      char before = i > 0 ? s[i - 1] : ' ';
      char after = i + n < s.size() ? s[i + n] : ' ';
      bool keep = (is_ws(before) && is_ws(after)) ||                    // "a * b"
                  (c == '_' && is_alnum(before) && is_alnum(after)) ||  // snake_case
                  (c == '~' && n == 1);                                 // ~user
      if (keep) out.append(n, c);
      i += n;
      continue;
    }
    if (c == '&') {
      if (size_t used = decode_entity(s, i, &out)) {
        i += used;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  std::string clean;
  clean.reserve(out.size());
  for (char ch : out) {
    if (ch != kDrop) clean.push_back(ch);
  }
  return normalize_whitespace(clean);
}

}  // namespace trove::ingest
