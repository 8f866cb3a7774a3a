// tests/faults/line_span_test.cc — issue 15, fault 8: a text file without blank lines
// (one paragraph of thousands of lines) was cited as "lines 1-N" for every chunk. Each
// chunk must carry the line span of its own text.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/parse.h"
#include "ingest/token_counter.h"

namespace trove::ingest {
namespace {

// Line i (1-based) holds the words "w<i>a w<i>b w<i>c ... .": every word names its line.
std::string numbered_lines(int n, int words_per_line) {
  std::string s;
  for (int i = 1; i <= n; ++i) {
    for (int k = 0; k < words_per_line; ++k) {
      s += "w" + std::to_string(i) + static_cast<char>('a' + k);
      s += k + 1 == words_per_line ? ".\n" : " ";
    }
  }
  return s;
}

int line_of_word(std::string_view word) {
  // "w123b" or "w123b." -> 123
  size_t i = 1, j = 1;
  while (j < word.size() && word[j] >= '0' && word[j] <= '9') ++j;
  return std::stoi(std::string(word.substr(i, j - i)));
}

void expect_spans_match_text(const std::vector<Chunk>& chunks, int total_lines) {
  ASSERT_GT(chunks.size(), 5u);
  for (const Chunk& c : chunks) {
    SCOPED_TRACE("chunk " + std::to_string(c.ordinal));
    int lo = total_lines + 1, hi = 0;
    size_t i = 0;
    while (i < c.text.size()) {
      while (i < c.text.size() && (c.text[i] == ' ' || c.text[i] == '\n')) ++i;
      size_t e = i;
      while (e < c.text.size() && c.text[e] != ' ' && c.text[e] != '\n') ++e;
      if (e > i && c.text[i] == 'w') {
        int line = line_of_word(std::string_view(c.text).substr(i, e - i));
        lo = std::min(lo, line);
        hi = std::max(hi, line);
      }
      i = e;
    }
    ASSERT_LE(lo, hi);
    EXPECT_EQ(c.line_start, lo);
    EXPECT_EQ(c.line_end, hi);
    EXPECT_LT(c.line_end - c.line_start, total_lines / 4);
  }
}

TEST(LineSpans, ATextFileWithoutBlankLinesGetsOneSpanPerChunk) {
  const int n = 3000;
  ParsedDocument d = parse_bytes(numbered_lines(n, 6), DocType::kText, "long.txt");
  ASSERT_EQ(d.fail, FailReason::kNone);
  WordTokenCounter counter;
  ChunkOptions opt;
  opt.max_tokens = 120;
  opt.overlap_tokens = 20;
  expect_spans_match_text(chunk_document(d, counter, opt), n);
}

TEST(LineSpans, OneLongSentencePerLineIsSplitWithItsOwnLines) {
  // No sentence ends inside the chunk budget: pieces come from the word splitter.
  std::string s;
  const int n = 2000;
  for (int i = 1; i <= n; ++i) {
    s += "w" + std::to_string(i) + "a w" + std::to_string(i) + "b\n";
  }
  ParsedDocument d = parse_bytes(s, DocType::kText, "words.txt");
  ASSERT_EQ(d.fail, FailReason::kNone);
  WordTokenCounter counter;
  ChunkOptions opt;
  opt.max_tokens = 100;
  opt.overlap_tokens = 0;
  expect_spans_match_text(chunk_document(d, counter, opt), n);
}

}  // namespace
}  // namespace trove::ingest
