// ingest/chunker.h — packing a ParsedDocument's blocks into Chunks for the index.
//
// Rules (deterministic: the same document and options always give the same chunks):
// - A chunk never crosses a section boundary (a change of heading_path) or a PDF page
//   boundary: structure and citations matter more than filling the budget.
// - Consecutive blocks of one section/page are packed while the total stays within
//   max_tokens (blocks joined with "\n\n"); heading blocks are not emitted as text of
//   their own: the heading lives in Chunk::heading_path.
// - A block over the budget is split at sentence ends, then at whitespace, and only a
//   single "word" longer than the budget is cut, at a UTF-8 character boundary.
// - Overlap: a chunk that continues the previous one's section/page starts with the
//   previous chunk's trailing sentences (or words) worth at most overlap_tokens.
// - Chunk spans: page_start/page_end and line_start/line_end cover the blocks used.
#pragma once

#include <vector>

#include "ingest/document.h"
#include "ingest/token_counter.h"

namespace trove::ingest {

struct ChunkOptions {
  int max_tokens = 400;
  int overlap_tokens = 60;  // 0 disables overlap; must be < max_tokens
};

std::vector<Chunk> chunk_document(const ParsedDocument& doc, const TokenCounter& counter,
                                  const ChunkOptions& options = {});

}  // namespace trove::ingest
