// Tests for ingest/chunker and the WordTokenCounter: budget, word integrity, coverage
// in order, spans, section/page boundaries, overlap and determinism, on generated docs.
#include "ingest/chunker.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/encoding.h"

namespace trove::ingest {
namespace {

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> w;
  std::istringstream in(s);
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

std::string strip_space(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\t') out.push_back(c);
  }
  return out;
}

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

Block block(BlockKind k, std::string text, std::vector<std::string> path, int page, int line) {
  Block b;
  b.kind = k;
  b.text = std::move(text);
  b.heading_path = std::move(path);
  b.page = page;
  b.line_start = line;
  b.line_end = line + 2;
  return b;
}

// A document with headings, short and long paragraphs (long ones need sentence and
// word splitting), multi-byte text and one enormous word with no spaces.
ParsedDocument generated_doc(unsigned seed, std::string* giant_out) {
  std::mt19937 rng(seed);
  const std::vector<std::string> vocab = {
      "alpha", "beta",    "gamma",  "delta", "épée",
      "naïve", "Привет",  "数据库", "x",     "internationalization",
      "a-b",   "(paren)", "end."};
  auto sentence = [&] {
    std::string s;
    int n = 3 + static_cast<int>(rng() % 25);
    for (int i = 0; i < n; ++i) s += (i ? " " : "") + vocab[rng() % vocab.size()];
    return s + ".";
  };
  ParsedDocument d;
  int line = 1;
  std::vector<std::string> path;
  for (int sec = 0; sec < 6; ++sec) {
    path = {"Chapter " + std::to_string(sec)};
    d.blocks.push_back(block(BlockKind::kHeading, path[0], {}, 0, line));
    line += 3;
    int paras = 1 + static_cast<int>(rng() % 8);
    for (int p = 0; p < paras; ++p) {
      std::string text;
      int sentences = 1 + static_cast<int>(rng() % (p == 2 ? 120 : 6));
      for (int s = 0; s < sentences; ++s) text += (s ? " " : "") + sentence();
      d.blocks.push_back(
          block(p % 3 == 1 ? BlockKind::kListItem : BlockKind::kParagraph, text, path, 0, line));
      line += 3;
    }
  }
  std::string giant;
  for (int i = 0; i < 30000; ++i) giant += (i % 3 == 0) ? "é" : (i % 3 == 1 ? "数" : "z");
  *giant_out = giant;
  d.blocks.push_back(block(BlockKind::kParagraph, "before " + giant + " after", path, 0, line));
  return d;
}

TEST(WordTokenCounter, RuleOfThumb) {
  WordTokenCounter c;
  EXPECT_EQ(c.count(""), 0);
  EXPECT_EQ(c.count("   \n\t"), 0);
  EXPECT_EQ(c.count("the cat sat"), 3);
  EXPECT_EQ(c.count("cat, sat."), 4);                 // punctuation costs one each
  EXPECT_EQ(c.count("internationalization"), 1 + 4);  // 20 bytes: 1 + ceil(14/4)
  EXPECT_EQ(c.count("数据库"), 3);                    // CJK: one per character
  // Additive across whitespace, which the packer relies on.
  EXPECT_EQ(c.count("alpha beta, gamma"), c.count("alpha") + c.count("beta,") + c.count("gamma"));
}

TEST(Chunker, InvariantsOnGeneratedDocuments) {
  WordTokenCounter counter;
  for (unsigned seed = 1; seed <= 5; ++seed) {
    for (ChunkOptions opt : {ChunkOptions{400, 60}, ChunkOptions{50, 10}, ChunkOptions{16, 0}}) {
      std::string giant;
      ParsedDocument d = generated_doc(seed, &giant);
      std::vector<Chunk> chunks = chunk_document(d, counter, opt);
      ASSERT_FALSE(chunks.empty());

      std::set<std::string> source_words;
      std::string all_body;
      for (const Block& b : d.blocks) {
        if (b.kind == BlockKind::kHeading) continue;
        for (const std::string& w : words(b.text)) source_words.insert(w);
        all_body += b.text;
      }
      std::string covered;
      for (size_t i = 0; i < chunks.size(); ++i) {
        const Chunk& c = chunks[i];
        SCOPED_TRACE("seed " + std::to_string(seed) + " max " + std::to_string(opt.max_tokens) +
                     " chunk " + std::to_string(i));
        EXPECT_EQ(c.ordinal, static_cast<int>(i));
        EXPECT_LE(c.token_count, opt.max_tokens);
        EXPECT_EQ(c.token_count, counter.count(c.text));
        EXPECT_TRUE(valid_utf8(c.text));
        // Never splits a word: every word is a source word, or a piece of the giant one.
        for (const std::string& w : words(c.text)) {
          if (!source_words.count(w)) {
            EXPECT_NE(giant.find(w), std::string::npos) << "split word: " << w;
          }
        }
        // Spans are monotone.
        if (i > 0) {
          EXPECT_GE(c.line_start, chunks[i - 1].line_start);
          EXPECT_GE(c.line_end, chunks[i - 1].line_end);
        }
        EXPECT_LE(c.line_start, c.line_end);
        // Overlap is a suffix of the previous chunk and within its budget.
        ASSERT_LE(static_cast<size_t>(c.overlap_bytes), c.text.size());
        if (c.overlap_bytes > 0) {
          ASSERT_GT(i, 0u);
          std::string tail = c.text.substr(0, static_cast<size_t>(c.overlap_bytes) - 1);
          const std::string& prev = chunks[i - 1].text;
          EXPECT_EQ(prev.substr(prev.size() - tail.size()), tail);
          EXPECT_LE(counter.count(tail), opt.overlap_tokens);
          EXPECT_EQ(c.heading_path, chunks[i - 1].heading_path);
        }
        covered += c.text.substr(static_cast<size_t>(c.overlap_bytes));
      }
      // Concatenation minus overlap covers all body text, in order.
      EXPECT_EQ(strip_space(covered), strip_space(all_body));
      // Deterministic.
      std::vector<Chunk> again = chunk_document(d, counter, opt);
      ASSERT_EQ(again.size(), chunks.size());
      for (size_t i = 0; i < chunks.size(); ++i) EXPECT_EQ(again[i].text, chunks[i].text);
    }
  }
}

TEST(Chunker, NeverCrossesSectionsOrPages) {
  ParsedDocument d;
  d.blocks.push_back(block(BlockKind::kHeading, "A", {}, 0, 1));
  d.blocks.push_back(block(BlockKind::kParagraph, "short a1", {"A"}, 0, 2));
  d.blocks.push_back(block(BlockKind::kParagraph, "short a2", {"A"}, 0, 4));
  d.blocks.push_back(block(BlockKind::kHeading, "B", {}, 0, 6));
  d.blocks.push_back(block(BlockKind::kParagraph, "short b", {"B"}, 0, 7));
  d.blocks.push_back(block(BlockKind::kParagraph, "page one", {}, 1, 0));
  d.blocks.push_back(block(BlockKind::kParagraph, "page one more", {}, 1, 0));
  d.blocks.push_back(block(BlockKind::kParagraph, "page two", {}, 2, 0));
  std::vector<Chunk> c = chunk_document(d, WordTokenCounter(), {});
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].text, "short a1\n\nshort a2");
  EXPECT_EQ(c[0].heading_path, std::vector<std::string>{"A"});
  EXPECT_EQ(c[0].line_start, 2);
  EXPECT_EQ(c[0].line_end, 6);
  EXPECT_EQ(c[1].text, "short b");
  EXPECT_EQ(c[2].text, "page one\n\npage one more");
  EXPECT_EQ(c[2].page_start, 1);
  EXPECT_EQ(c[2].page_end, 1);
  EXPECT_EQ(c[3].page_start, 2);
  for (const Chunk& ch : c) EXPECT_EQ(ch.overlap_bytes, 0);
}

TEST(Chunker, BodylessHeadingBecomesItsOwnChunk) {
  ParsedDocument d;
  d.blocks.push_back(block(BlockKind::kHeading, "Only a title", {}, 0, 1));
  d.blocks.push_back(block(BlockKind::kHeading, "Section", {}, 0, 3));
  d.blocks.push_back(block(BlockKind::kParagraph, "body", {"Section"}, 0, 5));
  std::vector<Chunk> c = chunk_document(d, WordTokenCounter(), {});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].text, "Only a title");
  EXPECT_EQ(c[1].text, "body");
}

TEST(Chunker, TwentyMegabyteWordIsCutAtCharacterBoundaries) {
  std::string giant;
  giant.reserve(20 << 20);
  while (giant.size() < (20u << 20)) giant += "ж";
  ParsedDocument d;
  d.blocks.push_back(block(BlockKind::kParagraph, giant, {}, 0, 1));
  std::vector<Chunk> c = chunk_document(d, WordTokenCounter(), {});
  ASSERT_GT(c.size(), 1u);
  size_t total = 0;
  for (const Chunk& ch : c) {
    EXPECT_LE(ch.token_count, 400);
    EXPECT_TRUE(valid_utf8(ch.text));
    total += ch.text.size() - static_cast<size_t>(ch.overlap_bytes);
  }
  EXPECT_EQ(total, giant.size());
}

}  // namespace
}  // namespace trove::ingest
