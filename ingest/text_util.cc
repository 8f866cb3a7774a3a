// ingest/text_util.cc — whitespace, control-character and UTF-8 boundary helpers.
#include "ingest/text_util.h"

#include <utility>

namespace trove::ingest {
namespace {
bool is_space_byte(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
}  // namespace

void append_normalized(std::string* out, std::string_view s) {
  bool pending_space = !out->empty() && out->back() != ' ';
  bool have_space_before = !out->empty();
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool space = is_space_byte(c);
    if (!space && c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      space = true;  // U+00A0 no-break space
      ++i;
    }
    if (space) {
      pending_space = have_space_before;
      continue;
    }
    if (c < 0x20 || c == 0x7F) continue;
    if (pending_space && !out->empty() && out->back() != ' ') out->push_back(' ');
    pending_space = false;
    have_space_before = true;
    out->push_back(static_cast<char>(c));
  }
  if (!out->empty() && out->back() == ' ') out->pop_back();
}

std::string normalize_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_normalized(&out, s);
  return out;
}

size_t clean_controls(std::string* text) {
  std::string out;
  out.reserve(text->size());
  size_t removed = 0;
  const std::string& t = *text;
  for (size_t r = 0; r < t.size(); ++r) {
    unsigned char c = static_cast<unsigned char>(t[r]);
    if (c == '\r') {
      if (r + 1 < t.size() && t[r + 1] == '\n') continue;
      out.push_back('\n');
    } else if (c == '\f') {
      out.push_back(' ');  // a page break on its own line leaves a blank line
    } else if (c == '\b' && !out.empty() && out.back() != '\n') {
      // Overstrike ("N\bN" bold, "_\bx" underline in rendered man pages): drop the
      // character being struck over, keep the one written on top.
      size_t k = out.size() - 1;
      while (k > 0 && (static_cast<unsigned char>(out[k]) & 0xC0) == 0x80) --k;
      out.resize(k);
    } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
      ++removed;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  *text = std::move(out);
  return removed;
}

size_t utf8_floor(std::string_view s, size_t i) {
  if (i >= s.size()) return s.size();
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

bool is_blank(std::string_view line) {
  for (char c : line) {
    if (!is_space_byte(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space_byte(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && is_space_byte(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string file_stem(std::string_view path) {
  if (size_t slash = path.rfind('/'); slash != std::string_view::npos)
    path.remove_prefix(slash + 1);
  if (size_t dot = path.rfind('.'); dot != std::string_view::npos && dot > 0)
    path = path.substr(0, dot);
  return std::string(path);
}

}  // namespace trove::ingest
