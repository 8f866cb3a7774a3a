// ingest/markdown_parser.cc — Markdown through md4c (CommonMark + GFM tables, task
// lists, strikethrough, permissive autolinks), turned into Blocks for the chunker.
//
// - Front matter (ingest/front_matter.h) is cut off first and goes to the metadata.
// - Headings feed the outline; paragraphs, block quotes (flattened) and HTML blocks
//   (tags stripped, comments, scripts and styles dropped) are paragraphs.
// - A list item is one kListItem block; its nested items are kept inside it, one per
//   line, indented by depth ("- " marker), so a passage shows the nesting. Task items
//   start "[x] " or "[ ] ".
// - Fenced code keeps its text verbatim; its info string ("python") is the first line.
// - Tables: one row per line, cells separated by " | ", the header row first.
// - Links keep their URL after the text, "text (https://...)", so URLs are searchable
//   (autolinks whose text is the URL are not doubled); images keep their alt text.
// Line spans come from md4c's text pointers into the input (md4c reports no lines).
// md4c is linear on the pathological inputs (deep nesting, unclosed emphasis, link
// reference floods); nothing here recurses.
#include <md4c.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "ingest/encoding.h"
#include "ingest/front_matter.h"
#include "ingest/outline.h"
#include "ingest/parsers.h"
#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

// Removes tags, comments and script/style content from raw HTML, linearly.
std::string strip_tags(std::string_view html) {
  std::string out;
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      size_t lt = html.find('<', i);
      if (lt == std::string_view::npos) lt = html.size();
      out.append(html.substr(i, lt - i));
      i = lt;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      size_t e = html.find("-->", i + 4);
      i = e == std::string_view::npos ? html.size() : e + 3;
      continue;
    }
    size_t gt = html.find('>', i);
    if (gt == std::string_view::npos) break;
    std::string tag;
    for (size_t k = i + 1; k < gt && k < i + 12 && std::isalpha(static_cast<unsigned char>(html[k])); ++k)
      tag.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(html[k]))));
    i = gt + 1;
    if (tag == "script" || tag == "style") {
      size_t close = html.find("</", i);
      while (close != std::string_view::npos) {
        std::string_view rest = html.substr(close + 2, tag.size());
        std::string low;
        for (char c : rest) low.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        if (low == tag) break;
        close = html.find("</", close + 2);
      }
      i = close == std::string_view::npos ? html.size() : close;
    }
    out += ' ';
  }
  return out;
}

class MarkdownParser {
 public:
  MarkdownParser(std::string_view text, int line_offset)
      : text_(text), line_offset_(line_offset) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') line_starts_.push_back(i + 1);
  }

  bool run(Outline* outline) {
    outline_ = outline;
    MD_PARSER p{};
    p.abi_version = 0;
    p.flags = MD_DIALECT_GITHUB;
    p.enter_block = [](MD_BLOCKTYPE t, void* d, void* u) {
      return static_cast<MarkdownParser*>(u)->enter_block(t, d);
    };
    p.leave_block = [](MD_BLOCKTYPE t, void* d, void* u) {
      return static_cast<MarkdownParser*>(u)->leave_block(t, d);
    };
    p.enter_span = [](MD_SPANTYPE t, void* d, void* u) {
      return static_cast<MarkdownParser*>(u)->enter_span(t, d);
    };
    p.leave_span = [](MD_SPANTYPE t, void* d, void* u) {
      return static_cast<MarkdownParser*>(u)->leave_span(t, d);
    };
    p.text = [](MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* u) {
      return static_cast<MarkdownParser*>(u)->on_text(t, s, n);
    };
    return md_parse(text_.data(), static_cast<MD_SIZE>(text_.size()), &p, this) == 0;
  }

 private:
  struct Item {
    std::string text;     // this item's own text
    std::string nested;   // its nested items, already rendered as lines
    int start = 0, end = 0;
  };

  static std::string attr_text(const MD_ATTRIBUTE& a) {
    return a.text ? std::string(a.text, a.size) : std::string();
  }

  // 1-based line (in the original file) of a pointer into the text; 0 if outside.
  int line_of(const char* p) const {
    if (p < text_.data() || p > text_.data() + text_.size()) return 0;
    size_t off = static_cast<size_t>(p - text_.data());
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), off);
    return static_cast<int>(it - line_starts_.begin()) + line_offset_;
  }

  void note_line(int ln) {
    if (ln == 0) return;
    if (start_ == 0 || ln < start_) start_ = ln;
    end_ = std::max(end_, ln);
  }

  int enter_block(MD_BLOCKTYPE t, void* detail) {
    switch (t) {
      case MD_BLOCK_LI: {
        flush_item_text();
        items_.emplace_back();
        auto* d = static_cast<MD_BLOCK_LI_DETAIL*>(detail);
        if (d && d->is_task) items_.back().text = d->task_mark == ' ' ? "[ ] " : "[x] ";
        break;
      }
      case MD_BLOCK_CODE: {
        begin();
        in_code_ = true;
        auto* d = static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
        if (d) code_info_ = normalize_whitespace(attr_text(d->info));
        break;
      }
      case MD_BLOCK_HTML:
        begin();
        in_html_ = true;
        break;
      case MD_BLOCK_TABLE:
        begin();
        in_table_ = true;
        table_.clear();
        break;
      case MD_BLOCK_TR:
        row_.clear();
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        buf_.clear();
        break;
      case MD_BLOCK_H:
      case MD_BLOCK_P:
        if (!in_table_ && items_.empty()) begin();
        break;
      default:
        break;
    }
    return 0;
  }

  int leave_block(MD_BLOCKTYPE t, void* detail) {
    switch (t) {
      case MD_BLOCK_H: {
        auto* d = static_cast<MD_BLOCK_H_DETAIL*>(detail);
        int level = d ? static_cast<int>(d->level) : 1;
        int end = end_;
        if (end > 0 && setext_underline(end)) ++end;  // "Title\n=====" spans both lines
        if (items_.empty()) {
          outline_->heading(level, normalize_whitespace(buf_), start_, end);
          reset();
        } else {
          append_to_item();
        }
        break;
      }
      case MD_BLOCK_P:
        if (in_table_) break;
        if (!items_.empty()) {
          append_to_item();
        } else {
          emit(BlockKind::kParagraph, normalize_whitespace(buf_));
        }
        break;
      case MD_BLOCK_LI:
        leave_item();
        break;
      case MD_BLOCK_CODE: {
        in_code_ = false;
        std::string code = buf_;
        while (!code.empty() && (code.back() == '\n' || code.back() == ' ')) code.pop_back();
        if (!code_info_.empty()) code = code_info_ + "\n" + code;
        code_info_.clear();
        if (!items_.empty()) {
          buf_ = code;
          append_to_item();
        } else {
          emit(BlockKind::kCode, std::move(code));
        }
        break;
      }
      case MD_BLOCK_HTML: {
        in_html_ = false;
        std::string text = normalize_whitespace(strip_tags(buf_));
        if (!items_.empty()) {
          buf_ = text;
          append_to_item();
        } else {
          emit(BlockKind::kParagraph, std::move(text));
        }
        break;
      }
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        if (!row_.empty()) row_ += " | ";
        row_ += normalize_whitespace(buf_);
        buf_.clear();
        break;
      case MD_BLOCK_TR:
        if (row_.find_first_not_of(" |") != std::string::npos) {
          if (!table_.empty()) table_ += '\n';
          table_ += row_;
        }
        row_.clear();
        break;
      case MD_BLOCK_TABLE:
        in_table_ = false;
        buf_ = table_;
        if (!items_.empty()) {
          append_to_item();
        } else {
          emit(BlockKind::kTable, std::move(table_));
        }
        table_.clear();
        break;
      default:
        break;
    }
    return 0;
  }

  int enter_span(MD_SPANTYPE t, void* detail) {
    if (t == MD_SPAN_A) {
      auto* d = static_cast<MD_SPAN_A_DETAIL*>(detail);
      links_.push_back({d ? attr_text(d->href) : std::string(), buf_.size()});
    }
    return 0;
  }

  int leave_span(MD_SPANTYPE t, void*) {
    if (t == MD_SPAN_A && !links_.empty()) {
      Link l = std::move(links_.back());
      links_.pop_back();
      std::string shown = normalize_whitespace(std::string_view(buf_).substr(std::min(l.at, buf_.size())));
      std::string bare = l.href;
      if (bare.rfind("mailto:", 0) == 0) bare = bare.substr(7);
      if (!l.href.empty() && l.href[0] != '#' && shown != l.href && shown != bare)
        buf_ += " (" + l.href + ")";
    }
    return 0;
  }

  int on_text(MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n) {
    std::string_view v(s, n);
    note_line(line_of(s));
    if (n > 0) note_line(line_of(s + n - 1));
    switch (t) {
      case MD_TEXT_NULLCHAR:
        append_utf8(&buf_, 0xFFFD);
        break;
      case MD_TEXT_BR:
        buf_ += '\n';
        break;
      case MD_TEXT_SOFTBR:
        buf_ += in_code_ ? '\n' : ' ';
        break;
      case MD_TEXT_ENTITY:
        if (decode_entity(v, 0, &buf_) == 0) buf_.append(v);
        break;
      case MD_TEXT_HTML:
        if (in_html_) buf_.append(v);  // inline tags are markup, not text
        break;
      default:
        buf_.append(v);
        break;
    }
    return 0;
  }

  bool setext_underline(int line) const {
    size_t idx = static_cast<size_t>(line - line_offset_);  // 0-based index of the next line
    if (idx >= line_starts_.size()) return false;
    size_t b = line_starts_[idx];
    size_t e = idx + 1 < line_starts_.size() ? line_starts_[idx + 1] : text_.size();
    std::string_view l = trim(text_.substr(b, e - b));
    return !l.empty() && l.find_first_not_of(l[0] == '=' ? "=" : "-") == std::string_view::npos &&
           (l[0] == '=' || l[0] == '-');
  }

  void begin() {
    if (items_.empty()) reset();
  }
  void reset() {
    buf_.clear();
    start_ = end_ = 0;
  }

  void emit(BlockKind kind, std::string text) {
    outline_->add(kind, std::move(text), start_, end_);
    reset();
  }

  // Text seen so far inside the innermost item (tight lists have no paragraph).
  void flush_item_text() {
    if (items_.empty()) return;
    append_to_item();
  }

  void append_to_item() {
    Item& it = items_.back();
    std::string t = normalize_whitespace(buf_);
    if (!t.empty()) {
      if (!it.text.empty() && it.text.back() != ' ') it.text += ' ';
      it.text += t;
    }
    buf_.clear();
  }

  void leave_item() {
    append_to_item();
    Item it = std::move(items_.back());
    items_.pop_back();
    std::string text = normalize_whitespace(it.text);
    if (!it.nested.empty()) text += it.nested;
    if (items_.empty()) {
      buf_.clear();
      outline_->add(BlockKind::kListItem, std::move(text), start_, end_);
      start_ = end_ = 0;
      return;
    }
    // Nested: one indented line in the parent (depth capped so 1,500 levels stay linear).
    size_t depth = std::min<size_t>(items_.size(), 8);
    items_.back().nested += "\n" + std::string(depth * 2, ' ') + "- " + text;
  }

  struct Link {
    std::string href;
    size_t at;
  };

  std::string_view text_;
  int line_offset_;
  std::vector<size_t> line_starts_;
  Outline* outline_ = nullptr;
  std::string buf_, row_, table_, code_info_;
  std::vector<Item> items_;
  std::vector<Link> links_;
  int start_ = 0, end_ = 0;
  bool in_code_ = false, in_html_ = false, in_table_ = false;
};

}  // namespace

ParsedDocument parse_markdown(std::string_view bytes) {
  Decoded d = decode_to_utf8(bytes);
  size_t controls = clean_controls(&d.text);
  ParsedDocument doc;
  std::vector<std::string_view> lines = split_lines(d.text);
  size_t fm = read_front_matter(lines, &doc.metadata);
  size_t body_at = 0;
  for (size_t k = 0; k < fm && k < lines.size(); ++k) body_at += lines[k].size() + 1;
  std::string_view body = std::string_view(d.text).substr(std::min(body_at, d.text.size()));
  Outline outline;
  if (!MarkdownParser(body, static_cast<int>(fm)).run(&outline)) {
    doc.fail = FailReason::kParseError;
    doc.fail_detail = "md4c could not parse the Markdown";
    return doc;
  }
  if (auto it = doc.metadata.find("title"); it != doc.metadata.end())
    doc.title = normalize_whitespace(it->second);
  if (doc.title.empty()) doc.title = outline.first_h1();
  if (outline.empty() && !doc.title.empty()) {
    outline.add(BlockKind::kParagraph, doc.title, 1, 1);  // front matter only: keep it findable
  }
  doc.blocks = outline.take_blocks();
  doc.type = DocType::kMarkdown;
  add_decode_warnings(d, controls, &doc);
  return doc;
}

}  // namespace trove::ingest
