// ingest/markdown_parser.cc — a line-based Markdown block parser (CommonMark/GFM
// subset) that keeps structure for the chunker: headings (ATX and setext), paragraphs,
// list items, fenced/indented code, GFM tables, block quotes (flattened), HTML blocks
// (tags stripped, comments dropped) and YAML/TOML front matter.
//
// Why not a full CommonMark tree: we only need text with its heading path and line
// span. A single forward pass over lines, with container markers stripped in a loop,
// is linear in the input and has no recursion, so 10,000 nested lists or quotes and a
// 20 MB line cost no more than their size.
#include <algorithm>
#include <cctype>
#include <utility>

#include "ingest/encoding.h"
#include "ingest/outline.h"
#include "ingest/parsers.h"
#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

struct LineInfo {
  std::string_view content;  // after quote markers and indentation
  int indent = 0;            // columns of indentation (tab = 4)
  bool quoted = false;
};

LineInfo analyse(std::string_view line) {
  LineInfo li;
  // Block quote markers: up to 3 spaces then '>' and one optional space, repeated.
  size_t i = 0;
  for (;;) {
    size_t j = i;
    while (j < line.size() && j - i < 3 && line[j] == ' ') ++j;
    if (j < line.size() && line[j] == '>') {
      li.quoted = true;
      i = j + 1;
      if (i < line.size() && line[i] == ' ') ++i;
      continue;
    }
    break;
  }
  int col = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
    col = line[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
    ++i;
  }
  li.indent = col;
  li.content = line.substr(i);
  return li;
}

// Length of a list marker at the start of s ("- ", "* ", "+ ", "12. ", "3) "), or 0.
size_t list_marker(std::string_view s) {
  if (s.empty()) return 0;
  size_t n = 0;
  if (s[0] == '-' || s[0] == '*' || s[0] == '+') {
    n = 1;
  } else {
    while (n < s.size() && n < 9 && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
    if (n == 0 || n >= s.size() || (s[n] != '.' && s[n] != ')')) return 0;
    ++n;
  }
  if (n == s.size()) return n;
  if (s[n] != ' ' && s[n] != '\t') return 0;
  return n + 1;
}

bool is_thematic_break(std::string_view s) {
  char c = 0;
  int count = 0;
  for (char ch : s) {
    if (ch == ' ' || ch == '\t') continue;
    if (ch != '-' && ch != '*' && ch != '_') return false;
    if (c && ch != c) return false;
    c = ch;
    ++count;
  }
  return count >= 3;
}

// "===" → 1, "---" → 2, else 0.
int setext_level(std::string_view s) {
  s = trim(s);
  if (s.empty()) return 0;
  char c = s[0];
  if (c != '=' && c != '-') return 0;
  for (char ch : s) {
    if (ch != c) return 0;
  }
  return c == '=' ? 1 : 2;
}

// ATX heading level (1-6) with *text set, or 0.
int atx_heading(std::string_view s, std::string_view* text) {
  int n = 0;
  while (n < static_cast<int>(s.size()) && s[n] == '#') ++n;
  if (n == 0 || n > 6) return 0;
  if (static_cast<size_t>(n) < s.size() && s[n] != ' ' && s[n] != '\t') return 0;
  std::string_view t = trim(s.substr(n));
  // Optional closing sequence of '#' preceded by a space.
  size_t e = t.size();
  while (e > 0 && t[e - 1] == '#') --e;
  if (e == 0 || t[e - 1] == ' ' || t[e - 1] == '\t') t = trim(t.substr(0, e));
  *text = t;
  return n;
}

bool is_fence(std::string_view s, char* ch, size_t* len) {
  if (s.size() < 3 || (s[0] != '`' && s[0] != '~')) return false;
  size_t n = 0;
  while (n < s.size() && s[n] == s[0]) ++n;
  if (n < 3) return false;
  if (s[0] == '`' && s.substr(n).find('`') != std::string_view::npos) return false;
  *ch = s[0];
  *len = n;
  return true;
}

bool is_table_delimiter(std::string_view s) {
  s = trim(s);
  if (s.empty()) return false;
  bool dash = false, pipe = false;
  for (char c : s) {
    if (c == '-') {
      dash = true;
    } else if (c == '|') {
      pipe = true;
    } else if (c != ':' && c != ' ' && c != '\t') {
      return false;
    }
  }
  return dash && (pipe || s.find('-') != std::string_view::npos) && pipe;
}

std::string table_row(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '|') s.remove_prefix(1);
  if (!s.empty() && s.back() == '|' && (s.size() < 2 || s[s.size() - 2] != '\\'))
    s.remove_suffix(1);
  std::string row;
  size_t start = 0;
  auto add_cell = [&](size_t end) {
    if (!row.empty()) row += " | ";
    row += markdown_inline_to_text(s.substr(start, end - start));
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '|') {
      add_cell(i);
      start = i + 1;
    }
  }
  add_cell(s.size());
  return row;
}

std::string unquote(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}

// "[a, b]" or "a" → "a, b" / "a".
std::string flow_list(std::string_view v) {
  v = trim(v);
  if (v.size() < 2 || v.front() != '[' || v.back() != ']') return unquote(v);
  v = v.substr(1, v.size() - 2);
  std::string out;
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t comma = v.find(',', pos);
    if (comma == std::string_view::npos) comma = v.size();
    std::string item = unquote(v.substr(pos, comma - pos));
    if (!item.empty()) out += (out.empty() ? "" : ", ") + item;
    pos = comma + 1;
  }
  return out;
}

class MarkdownParser {
 public:
  explicit MarkdownParser(std::string_view text) : lines_(split_lines(text)) {
    last_comment_close_ = text.rfind("-->");
    text_ = text;
  }

  ParsedDocument run() {
    size_t i = front_matter();
    while (i < lines_.size()) i = line(i);
    flush();
    if (doc_.title.empty()) doc_.title = outline_.first_h1();
    if (outline_.empty() && !doc_.title.empty()) {
      emit(BlockKind::kParagraph, doc_.title, 1, 1);  // front matter only: keep it findable
    }
    doc_.blocks = outline_.take_blocks();
    return std::move(doc_);
  }

 private:
  // Returns the index of the first line after the front matter (0 when none).
  size_t front_matter() {
    if (lines_.empty()) return 0;
    std::string_view first = trim(lines_[0]);
    if (first != "---" && first != "+++") return 0;
    const bool toml = first == "+++";
    size_t end = 1;
    while (end < lines_.size()) {
      std::string_view t = trim(lines_[end]);
      if (toml ? t == "+++" : (t == "---" || t == "...")) break;
      ++end;
    }
    if (end >= lines_.size()) return 0;  // unclosed: not front matter, just text
    std::string list_key;
    for (size_t k = 1; k < end; ++k) {
      std::string_view l = lines_[k];
      std::string_view t = trim(l);
      if (t.empty() || t[0] == '#') continue;
      if (!list_key.empty() && t.size() > 1 && t[0] == '-' && (l[0] == ' ' || l[0] == '-')) {
        std::string& v = doc_.metadata[list_key];
        std::string item = unquote(t.substr(1));
        if (!item.empty()) v += (v.empty() ? "" : ", ") + item;
        continue;
      }
      list_key.clear();
      if (l[0] == ' ' || l[0] == '\t') continue;  // nested mapping: not needed
      size_t sep = l.find(toml ? '=' : ':');
      if (sep == std::string_view::npos || sep == 0) continue;
      std::string key(trim(l.substr(0, sep)));
      std::string_view value = trim(l.substr(sep + 1));
      if (value.empty()) {
        list_key = key;  // a block list may follow
        continue;
      }
      if (value.size() > 4096) value = value.substr(0, 4096);
      doc_.metadata[key] = flow_list(value);
    }
    if (auto it = doc_.metadata.find("title"); it != doc_.metadata.end()) {
      doc_.title = normalize_whitespace(it->second);
    }
    return end + 1;
  }

  size_t line(size_t i) {
    const int ln = static_cast<int>(i) + 1;
    if (in_fence_) return fence_line(i);
    LineInfo li = analyse(lines_[i]);
    if (is_blank(li.content)) {
      flush();
      blank_before_ = true;
      return i + 1;
    }
    const bool after_blank = std::exchange(blank_before_, false);
    if (li.quoted != para_quoted_) flush();
    if (li.indent >= 4 && para_.empty() && !in_list_) return indented_code(i);
    if (in_list_ && after_blank && li.indent < 2 && !list_marker(li.content)) in_list_ = false;

    char fch = 0;
    size_t flen = 0;
    std::string_view text;
    if (li.indent < 4 || in_list_) {
      if (is_fence(li.content, &fch, &flen)) {
        flush();
        in_fence_ = true, fence_char_ = fch, fence_len_ = flen, fence_indent_ = li.indent;
        code_start_ = ln + 1;
        code_.clear();
        return i + 1;
      }
      if (int level = atx_heading(li.content, &text)) {
        flush();
        heading(level, markdown_inline_to_text(text), ln, ln);
        return i + 1;
      }
      if (!para_.empty() && para_kind_ == BlockKind::kParagraph && !in_list_) {
        if (int level = setext_level(li.content)) {
          std::string t = markdown_inline_to_text(para_);
          int start = para_start_;
          para_.clear();
          heading(level, std::move(t), start, ln);
          return i + 1;
        }
      }
      if (is_thematic_break(li.content)) {
        flush();
        in_list_ = false;
        return i + 1;
      }
      if (li.content.find('|') != std::string_view::npos && i + 1 < lines_.size() &&
          is_table_delimiter(analyse(lines_[i + 1]).content)) {
        return table(i);
      }
      if (size_t m = list_marker(li.content)) {
        flush();
        std::string_view rest = li.content.substr(m);
        // Nested markers on one line ("- - - x", "1. * x"): strip them all.
        while (size_t m2 = list_marker(trim(rest))) rest = trim(rest).substr(m2);
        start_para(BlockKind::kListItem, ln, li.quoted);
        in_list_ = true;
        append_para(rest, ln);
        return i + 1;
      }
      if (li.content.substr(0, 4) == "<!--") return html_comment(i);
      if (para_.empty() && li.content[0] == '[' &&
          li.content.find("]:") != std::string_view::npos &&
          li.content.find("]:") < li.content.find(' ')) {
        return i + 1;  // link reference definition: a URL, not text
      }
    }
    if (para_.empty()) {
      start_para(in_list_ && li.indent >= 2 ? BlockKind::kListItem : BlockKind::kParagraph, ln,
                 li.quoted);
    }
    append_para(li.content, ln);
    return i + 1;
  }

  size_t fence_line(size_t i) {
    std::string_view raw = lines_[i];
    LineInfo li = analyse(raw);
    char ch = 0;
    size_t len = 0;
    if (is_fence(li.content, &ch, &len) && ch == fence_char_ && len >= fence_len_ &&
        is_blank(li.content.substr(len))) {
      emit_code(code_start_, static_cast<int>(i));
      in_fence_ = false;
      return i + 1;
    }
    // Drop the fence's own indentation from each line, keep the rest verbatim.
    size_t strip = 0;
    while (strip < raw.size() && static_cast<int>(strip) < fence_indent_ && raw[strip] == ' ')
      ++strip;
    if (static_cast<int>(i) + 1 > code_start_) code_ += '\n';  // not the first code line
    code_.append(raw.substr(strip));
    if (i + 1 == lines_.size()) {  // unclosed fence runs to the end of the document
      emit_code(code_start_, static_cast<int>(i) + 1);
      in_fence_ = false;
    }
    return i + 1;
  }

  size_t indented_code(size_t i) {
    flush();
    size_t end = i;
    size_t last_text = i;
    while (end < lines_.size()) {
      LineInfo li = analyse(lines_[end]);
      if (!is_blank(li.content) && li.indent < 4) break;
      if (!is_blank(li.content)) last_text = end;
      ++end;
    }
    code_.clear();
    for (size_t k = i; k <= last_text; ++k) {
      std::string_view raw = lines_[k];
      size_t strip = 0;
      int col = 0;
      while (strip < raw.size() && col < 4 && (raw[strip] == ' ' || raw[strip] == '\t')) {
        col = raw[strip] == '\t' ? 4 : col + 1;
        ++strip;
      }
      if (k > i) code_ += '\n';
      code_.append(raw.substr(strip));
    }
    emit_code(static_cast<int>(i) + 1, static_cast<int>(last_text) + 1);
    return last_text + 1;
  }

  size_t table(size_t i) {
    flush();
    std::string text = table_row(analyse(lines_[i]).content);
    size_t k = i + 2;  // skip the delimiter row
    while (k < lines_.size()) {
      LineInfo li = analyse(lines_[k]);
      if (is_blank(li.content) || li.content.find('|') == std::string_view::npos) break;
      text += '\n';
      text += table_row(li.content);
      ++k;
    }
    emit(BlockKind::kTable, std::move(text), static_cast<int>(i) + 1, static_cast<int>(k));
    return k;
  }

  // Comments are hidden text: drop them, but only when they are closed somewhere;
  // an unclosed "<!--" in Markdown is shown literally by renderers.
  size_t html_comment(size_t i) {
    size_t offset = static_cast<size_t>(lines_[i].data() - text_.data());
    if (last_comment_close_ == std::string_view::npos || last_comment_close_ < offset) {
      if (para_.empty()) start_para(BlockKind::kParagraph, static_cast<int>(i) + 1, false);
      append_para(lines_[i], static_cast<int>(i) + 1);
      return i + 1;
    }
    flush();
    size_t k = i;
    while (k < lines_.size() && lines_[k].find("-->") == std::string_view::npos) ++k;
    return k + 1;
  }

  void heading(int level, std::string text, int start, int end) {
    outline_.heading(level, std::move(text), start, end);
  }

  void start_para(BlockKind kind, int ln, bool quoted) {
    para_kind_ = kind;
    para_start_ = ln;
    para_quoted_ = quoted;
  }

  void append_para(std::string_view s, int ln) {
    if (!para_.empty()) para_ += '\n';
    para_.append(s);
    para_end_ = ln;
  }

  void flush() {
    if (para_.empty()) return;
    emit(para_kind_, markdown_inline_to_text(para_), para_start_, para_end_);
    para_.clear();
  }

  void emit_code(int start, int end) {
    if (!is_blank(code_)) emit(BlockKind::kCode, std::move(code_), start, std::max(start, end));
    code_.clear();
  }

  void emit(BlockKind kind, std::string text, int start, int end) {
    outline_.add(kind, std::move(text), start, end);
  }

  std::vector<std::string_view> lines_;
  std::string_view text_;
  size_t last_comment_close_ = std::string_view::npos;
  ParsedDocument doc_;
  Outline outline_;
  std::string para_;
  BlockKind para_kind_ = BlockKind::kParagraph;
  int para_start_ = 0, para_end_ = 0;
  bool para_quoted_ = false;
  bool in_list_ = false;
  bool blank_before_ = false;
  bool in_fence_ = false;
  char fence_char_ = 0;
  size_t fence_len_ = 0;
  int fence_indent_ = 0;
  int code_start_ = 0;
  std::string code_;
};

}  // namespace

ParsedDocument parse_markdown(std::string_view bytes) {
  Decoded d = decode_to_utf8(bytes);
  size_t controls = clean_controls(&d.text);
  ParsedDocument doc = MarkdownParser(d.text).run();
  doc.type = DocType::kMarkdown;
  add_decode_warnings(d, controls, &doc);
  return doc;
}

}  // namespace trove::ingest
