// ingest/outline.cc — heading stack → heading paths (see outline.h).
#include "ingest/outline.h"

#include <algorithm>

namespace trove::ingest {

void Outline::heading(int level, std::string text, int line_start, int line_end) {
  while (!stack_.empty() && stack_.back().first >= level) stack_.pop_back();
  if (!text.empty()) {
    Block b;
    b.kind = BlockKind::kHeading;
    b.heading_level = level;
    b.text = text;
    b.heading_path = path();
    b.line_start = line_start;
    b.line_end = std::max(line_start, line_end);
    blocks_.push_back(std::move(b));
    if (level == 1 && first_h1_.empty()) first_h1_ = text;
  }
  stack_.emplace_back(level, std::move(text));
}

void Outline::add(BlockKind kind, std::string text, int line_start, int line_end) {
  if (text.empty()) return;
  Block b;
  b.kind = kind;
  b.text = std::move(text);
  b.heading_path = path();
  b.line_start = line_start;
  b.line_end = std::max(line_start, line_end);
  blocks_.push_back(std::move(b));
}

std::vector<std::string> Outline::path() const {
  std::vector<std::string> p;
  p.reserve(stack_.size());
  for (const auto& [level, text] : stack_) {
    if (!text.empty()) p.push_back(text);
  }
  return p;
}

}  // namespace trove::ingest
