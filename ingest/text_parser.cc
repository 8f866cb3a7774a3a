// ingest/text_parser.cc — plain text: decode (ingest/encoding.h), split paragraphs on
// blank lines with their line spans, and recognise the all-caps section lines of man
// pages rendered to text ("NAME", "SYNOPSIS", "DESCRIPTION") as headings.
#include <cctype>
#include <cstdio>

#include "ingest/encoding.h"
#include "ingest/parsers.h"
#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

// A man-page section line: starts at column 0, 2-50 bytes, upper-case ASCII letters
// with spaces, digits and a little punctuation, at least two letters.
bool is_section_line(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (line.size() < 2 || line.size() > 50 || line[0] == ' ' || line[0] == '\t') return false;
  int letters = 0;
  for (char ch : line) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isupper(c)) {
      ++letters;
    } else if (!(c == ' ' || std::isdigit(c) || c == '-' || c == '&' || c == '/' || c == ',')) {
      return false;
    }
  }
  return letters >= 2;
}

class TextParser {
 public:
  explicit TextParser(std::string_view text) : lines_(split_lines(text)) {
    int candidates = 0;
    for (size_t i = 0; i < lines_.size() && candidates < 3; ++i) {
      bool next_indented = i + 1 < lines_.size() && !lines_[i + 1].empty() &&
                           (lines_[i + 1][0] == ' ' || lines_[i + 1][0] == '\t');
      if (is_section_line(lines_[i]) && next_indented) ++candidates;
    }
    man_headings_ = candidates >= 3;
  }

  ParsedDocument run() {
    size_t i = 0;
    while (i < lines_.size()) {
      if (is_blank(lines_[i])) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < lines_.size() && !is_blank(lines_[end])) ++end;
      paragraph(i, end);
      i = end;
    }
    return std::move(doc_);
  }

 private:
  void paragraph(size_t begin, size_t end) {
    if (man_headings_ && is_section_line(lines_[begin])) {
      std::string h = normalize_whitespace(lines_[begin]);
      Block b;
      b.kind = BlockKind::kHeading;
      b.heading_level = 1;
      b.text = h;
      b.line_start = b.line_end = static_cast<int>(begin) + 1;
      doc_.blocks.push_back(std::move(b));
      path_ = {h};
      ++begin;
      if (begin == end) return;
    }
    std::string text;
    std::vector<uint32_t> offsets;
    for (size_t k = begin; k < end; ++k) {
      if (k > begin) offsets.push_back(static_cast<uint32_t>(text.size()));
      append_normalized(&text, lines_[k]);
    }
    if (text.empty()) return;
    Block b;
    b.text = std::move(text);
    b.line_offsets = std::move(offsets);
    b.heading_path = path_;
    b.line_start = static_cast<int>(begin) + 1;
    b.line_end = static_cast<int>(end);
    doc_.blocks.push_back(std::move(b));
  }

  std::vector<std::string_view> lines_;
  bool man_headings_ = false;
  std::vector<std::string> path_;
  ParsedDocument doc_;
};

}  // namespace

void add_decode_warnings(const Decoded& d, size_t controls_removed, ParsedDocument* doc) {
  if (d.encoding == Encoding::kLegacy && d.guessed) {
    doc->warnings.push_back("not UTF-8 and no charset declared: decoded as " + d.charset +
                            " (detected)");
  }
  if (d.replacements > 0) {
    doc->warnings.push_back(
        std::string(d.encoding == Encoding::kUtf8 ? "invalid UTF-8" : "undecodable bytes") +
        " replaced with U+FFFD at " + std::to_string(d.replacements) + " places");
  }
  if (controls_removed > 0) {
    doc->warnings.push_back("removed " + std::to_string(controls_removed) + " control characters");
  }
}

ParsedDocument parse_text(std::string_view bytes) {
  Decoded d = decode_to_utf8(bytes);
  size_t controls = clean_controls(&d.text);
  ParsedDocument doc = TextParser(d.text).run();
  doc.type = DocType::kText;
  add_decode_warnings(d, controls, &doc);
  return doc;
}

}  // namespace trove::ingest
