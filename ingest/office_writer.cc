// ingest/office_writer.cc — shared block assembly for DOCX and ODT (see office_writer.h).
#include "ingest/office_writer.h"

#include <algorithm>

#include "ingest/text_util.h"

namespace trove::ingest {

void OfficeWriter::begin_text() {
  buffers_.emplace_back();
}

std::string& OfficeWriter::text() {
  if (buffers_.empty()) {
    scratch_.clear();
    return scratch_;
  }
  return buffers_.back();
}

std::string OfficeWriter::end_text() {
  if (buffers_.empty()) return {};
  std::string s = std::move(buffers_.back());
  buffers_.pop_back();
  return s;
}

void OfficeWriter::paragraph(BlockKind kind, int heading_level, const std::string& raw) {
  std::string text;
  if (kind == BlockKind::kCode) {
    std::string_view t = trim(raw);
    text.assign(t);
  } else {
    text = normalize_whitespace(raw);
  }
  if (!tables_.empty() && tables_.back().cell_open) {
    std::string& cell = tables_.back().cell;
    if (!text.empty()) {
      if (!cell.empty()) cell += ' ';
      cell += normalize_whitespace(text);
    }
    return;
  }
  if (kind == BlockKind::kHeading) {
    outline_.heading(std::clamp(heading_level, 1, 6), std::move(text), 0, 0);
  } else {
    outline_.add(kind, std::move(text), 0, 0);
  }
  flush_notes();
}

void OfficeWriter::begin_table() {
  tables_.emplace_back();
}

void OfficeWriter::begin_row() {
  if (!tables_.empty()) tables_.back().cells.clear();
}

void OfficeWriter::begin_cell() {
  if (tables_.empty()) return;
  tables_.back().cell.clear();
  tables_.back().cell_open = true;
}

void OfficeWriter::end_cell() {
  if (tables_.empty()) return;
  Table& t = tables_.back();
  t.cells.push_back(std::move(t.cell));
  t.cell.clear();
  t.cell_open = false;
}

void OfficeWriter::end_row() {
  if (tables_.empty()) return;
  Table& t = tables_.back();
  bool any = std::any_of(t.cells.begin(), t.cells.end(), [](const auto& c) { return !c.empty(); });
  if (any) {
    std::string row;
    for (size_t i = 0; i < t.cells.size(); ++i) {
      if (i) row += " | ";
      row += t.cells[i];
    }
    t.rows.push_back(std::move(row));
  }
  t.cells.clear();
}

void OfficeWriter::end_table() {
  if (tables_.empty()) return;
  Table t = std::move(tables_.back());
  tables_.pop_back();
  std::string joined;
  for (const auto& r : t.rows) {
    if (!joined.empty()) joined += '\n';
    joined += r;
  }
  if (!tables_.empty() && tables_.back().cell_open) {  // nested: flatten into the cell
    std::string& cell = tables_.back().cell;
    if (!joined.empty()) {
      if (!cell.empty()) cell += ' ';
      cell += normalize_whitespace(joined);
    }
    return;
  }
  outline_.add(BlockKind::kTable, std::move(joined), 0, 0);
  flush_notes();
}

void OfficeWriter::note(const std::string& label, const std::string& text) {
  std::string t = normalize_whitespace(text);
  if (t.empty()) return;
  pending_notes_.push_back(label + ": " + t);
  if (tables_.empty() && buffers_.empty()) flush_notes();
}

void OfficeWriter::flush_notes() {
  if (!tables_.empty()) return;  // after the whole table
  for (auto& n : pending_notes_) outline_.add(BlockKind::kParagraph, std::move(n), 0, 0);
  pending_notes_.clear();
}

void OfficeWriter::header_footer(const std::string& label, const std::string& text) {
  std::string t = normalize_whitespace(text);
  if (t.empty() || !seen_extras_.insert(t).second) return;
  Block b;
  b.kind = BlockKind::kParagraph;
  b.text = label + ": " + t;
  b.heading_path = {label};
  extras_.push_back(std::move(b));
}

std::vector<Block> OfficeWriter::finish() {
  while (!tables_.empty()) end_table();  // a truncated part: keep what was read
  flush_notes();
  std::vector<Block> blocks = outline_.take_blocks();
  for (auto& b : extras_) blocks.push_back(std::move(b));
  return blocks;
}

}  // namespace trove::ingest
