// ingest/office_writer.h — turns the paragraph/table/note events of a word-processor
// document (DOCX, ODT) into Blocks, so both parsers share one set of rules:
//
//  - headings feed the Outline (heading paths for citations);
//  - a paragraph inside a table cell becomes part of that cell; a table is one kTable
//    block, one row per line, cells separated by " | ", the header row first as it is;
//    a table nested in a cell is flattened into the cell's text;
//  - footnotes, endnotes and comments are marked ("Footnote 2: ...", "Comment (Ann):
//    ...") and placed right after the paragraph (or table) that refers to them, so a
//    passage and its note land in the same chunk;
//  - page headers and footers are added once each at the end ("Header: ...").
//
// Paragraph text is collected by the parser into a buffer from begin_text(); nested
// paragraphs (text boxes inside a paragraph) get their own buffer on a stack.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "ingest/document.h"
#include "ingest/outline.h"

namespace trove::ingest {

class OfficeWriter {
 public:
  // Paragraph text buffers (a stack: a text box inside a paragraph opens its own).
  void begin_text();
  std::string& text();  // the innermost open buffer (a scratch one when none is open)
  std::string end_text();

  // A finished paragraph: kHeading with a level 1..9 (clamped to 6), kListItem,
  // kCode (newlines kept) or kParagraph.
  void paragraph(BlockKind kind, int heading_level, const std::string& text);

  void begin_table();
  void begin_row();
  void begin_cell();
  void end_cell();
  void end_row();
  void end_table();
  bool in_table() const { return !tables_.empty(); }

  // A note or comment referred to from the current paragraph: "Footnote 3: text".
  void note(const std::string& label, const std::string& text);
  // Page header/footer text, kept once per distinct text.
  void header_footer(const std::string& label, const std::string& text);

  bool empty() const { return outline_.empty() && extras_.empty(); }
  std::vector<Block> finish();

 private:
  struct Table {
    std::vector<std::string> rows;
    std::vector<std::string> cells;
    std::string cell;
    bool cell_open = false;
  };
  void flush_notes();

  std::vector<std::string> buffers_;
  std::string scratch_;
  std::vector<Table> tables_;
  std::vector<std::string> pending_notes_;
  std::vector<Block> extras_;
  std::set<std::string> seen_extras_;
  Outline outline_;
};

}  // namespace trove::ingest
