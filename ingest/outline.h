// ingest/outline.h — the heading stack shared by the structured parsers (Markdown,
// HTML): turns a stream of headings and text blocks into Blocks with heading paths.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ingest/document.h"

namespace trove::ingest {

class Outline {
 public:
  // A heading closes the open headings of the same or a deeper level. An empty
  // heading still closes them but is neither emitted nor part of any path.
  void heading(int level, std::string text, int line_start, int line_end);

  // Appends a block under the current headings; empty text is dropped.
  void add(BlockKind kind, std::string text, int line_start, int line_end);

  std::vector<std::string> path() const;
  const std::string& first_h1() const { return first_h1_; }
  std::vector<Block> take_blocks() { return std::move(blocks_); }
  bool empty() const { return blocks_.empty(); }

 private:
  std::vector<std::pair<int, std::string>> stack_;  // open headings (level, text)
  std::vector<Block> blocks_;
  std::string first_h1_;
};

}  // namespace trove::ingest
