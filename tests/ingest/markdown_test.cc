// Tests for the Markdown parser (ingest/markdown_parser.cc, md4c underneath) on
// hand-written inputs, including pathological ones that must stay linear.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "ingest/parse.h"
#include "ingest/parsers.h"

namespace trove::ingest {
namespace {

ParsedDocument md(const std::string& s, const std::string& name = "doc.md") {
  return parse_bytes(s, DocType::kMarkdown, name);
}

std::vector<BlockKind> kinds(const ParsedDocument& d) {
  std::vector<BlockKind> k;
  for (const Block& b : d.blocks) k.push_back(b.kind);
  return k;
}

std::string text_of(const std::string& markdown) {
  ParsedDocument d = md(markdown);
  std::string s;
  for (const Block& b : d.blocks) s += (s.empty() ? "" : "\n") + b.text;
  return s;
}

TEST(MarkdownInline, LinksKeepTheirUrlsImagesTheirAltText) {
  EXPECT_EQ(text_of("see [the docs](http://x.org/a_(b)) now"), "see the docs (http://x.org/a_(b)) now");
  EXPECT_EQ(text_of("![a cat](cat.png) and [ref][1]\n\n[1]: http://r.example/"),
            "a cat and ref (http://r.example/)");
  EXPECT_EQ(text_of("**bold** and *it* and __u__ and ~~gone~~"), "bold and it and u and gone");
  EXPECT_EQ(text_of("keep snake_case_name and 2 * 3"), "keep snake_case_name and 2 * 3");
  EXPECT_EQ(text_of("run `a *b* [c](d)` here"), "run a *b* [c](d) here");
  EXPECT_EQ(text_of("x <span class=\"k\">y</span> z"), "x y z");
  // An autolink's text is its URL: not doubled. A bare www. link is a link too (GFM).
  EXPECT_EQ(text_of("auto <https://example.org/p>"), "auto https://example.org/p");
  EXPECT_EQ(text_of("a &amp; b &lt;c&gt; &#233; &#x263A; &eacute;"), "a & b <c> é ☺ é");
  EXPECT_EQ(text_of("escaped \\*star\\* and array[0]"), "escaped *star* and array[0]");
}

TEST(Markdown, TaskListsNestedListsAndCodeInfoStrings) {
  ParsedDocument d = md("- [x] done thing\n- [ ] open thing\n  - sub one\n    - sub two\n\n"
                        "```js title=x\nlet a = 1;\n```\n");
  ASSERT_EQ(d.blocks.size(), 3u);
  EXPECT_EQ(d.blocks[0].text, "[x] done thing");
  EXPECT_EQ(d.blocks[1].text, "[ ] open thing\n  - sub one\n    - sub two");
  EXPECT_EQ(d.blocks[1].line_start, 2);
  EXPECT_EQ(d.blocks[1].line_end, 4);
  EXPECT_EQ(d.blocks[2].kind, BlockKind::kCode);
  EXPECT_EQ(d.blocks[2].text, "js title=x\nlet a = 1;");
}

TEST(Markdown, HeadingsBuildPathsAndTitleFallsBackToFirstH1) {
  ParsedDocument d =
      md("intro\n\n# Top\n\ntext a\n\nSub\n---\n\ntext b\n\n### Deep ###\n\ntext c\n\n# "
         "Next\n\ntext d\n");
  ASSERT_EQ(d.fail, FailReason::kNone);
  EXPECT_EQ(d.title, "Top");
  std::vector<std::vector<std::string>> paths;
  for (const Block& b : d.blocks) {
    if (b.kind == BlockKind::kParagraph) paths.push_back(b.heading_path);
  }
  std::vector<std::vector<std::string>> want = {
      {}, {"Top"}, {"Top", "Sub"}, {"Top", "Sub", "Deep"}, {"Next"}};
  EXPECT_EQ(paths, want);
  // Setext heading spans its two lines.
  for (const Block& b : d.blocks) {
    if (b.kind == BlockKind::kHeading && b.text == "Sub") {
      EXPECT_EQ(b.line_start, 7);
      EXPECT_EQ(b.line_end, 8);
      EXPECT_EQ(b.heading_level, 2);
    }
  }
}

TEST(Markdown, FrontMatterTitleAndTags) {
  ParsedDocument d =
      md("---\ntitle: \"My Notes\"\ntags: [alpha, beta]\nauthors:\n  - Ann\n  - Bob\n---\n# "
         "Heading\n\nBody.\n");
  EXPECT_EQ(d.title, "My Notes");
  EXPECT_EQ(d.metadata["tags"], "alpha, beta");
  EXPECT_EQ(d.metadata["authors"], "Ann, Bob");
  ASSERT_EQ(d.blocks.size(), 2u);
  EXPECT_EQ(d.blocks[1].text, "Body.");
  EXPECT_EQ(d.blocks[1].line_start, 10);
  // Block-list tags, TOML front matter, and no title at all.
  EXPECT_EQ(md("---\ntags:\n- x\n- y\n---\ntext\n").metadata["tags"], "x, y");
  EXPECT_EQ(md("+++\ntitle = \"Toml\"\n+++\ntext\n").title, "Toml");
  EXPECT_EQ(md("just text\n", "dir/file-name.md").title, "file-name");
}

TEST(Markdown, UnclosedFrontMatterIsText) {
  ParsedDocument d = md("---\ntitle: x\nno end here\n");
  ASSERT_EQ(d.fail, FailReason::kNone);
  EXPECT_EQ(d.title, "doc");
  EXPECT_NE(d.blocks.back().text.find("no end here"), std::string::npos);
}

TEST(Markdown, ListsCodeTablesQuotes) {
  std::string s =
      "- one\n- two\n  continued\n  - nested\n1. first\n2) second\n\n"
      "```python\ndef f(x):\n    return *x*  # kept verbatim\n```\n\n"
      "    indented code\n    line 2\n\n"
      "| Name | Value |\n|:-----|------:|\n| a \\| b | **1** |\n| c | [link](u) |\n\n"
      "> quoted *text*\n> more\n\n<div>html <b>block</b></div>\n\n<!-- hidden\ncomment "
      "-->\nafter\n";
  ParsedDocument d = md(s);
  ASSERT_EQ(d.fail, FailReason::kNone);
  // "1." and "2)" are two lists (different delimiters); the nested item stays in its parent.
  std::vector<BlockKind> want = {BlockKind::kListItem,  BlockKind::kListItem,  BlockKind::kListItem,
                                 BlockKind::kListItem,  BlockKind::kCode,      BlockKind::kCode,
                                 BlockKind::kTable,     BlockKind::kParagraph, BlockKind::kParagraph,
                                 BlockKind::kParagraph};
  ASSERT_EQ(kinds(d), want);
  EXPECT_EQ(d.blocks[0].text, "one");
  EXPECT_EQ(d.blocks[1].text, "two continued\n  - nested");
  EXPECT_EQ(d.blocks[3].text, "second");
  EXPECT_EQ(d.blocks[4].text, "python\ndef f(x):\n    return *x*  # kept verbatim");
  EXPECT_EQ(d.blocks[4].line_start, 9);
  EXPECT_EQ(d.blocks[4].line_end, 10);
  EXPECT_EQ(d.blocks[5].text, "indented code\nline 2");
  EXPECT_EQ(d.blocks[6].text, "Name | Value\na | b | 1\nc | link (u)");
  EXPECT_EQ(d.blocks[6].line_start, 16);
  EXPECT_EQ(d.blocks[6].line_end, 19);
  EXPECT_EQ(d.blocks[7].text, "quoted text more");
  EXPECT_EQ(d.blocks[8].text, "html block");
  EXPECT_EQ(d.blocks[9].text, "after");
}

TEST(Markdown, UnclosedFenceRunsToEnd) {
  ParsedDocument d = md("text\n\n```\ncode a\ncode b\n");
  ASSERT_EQ(d.blocks.size(), 2u);
  EXPECT_EQ(d.blocks[1].kind, BlockKind::kCode);
  EXPECT_EQ(d.blocks[1].text, "code a\ncode b");
}

double seconds_to_parse(const std::string& s) {
  auto t0 = std::chrono::steady_clock::now();
  ParsedDocument d = md(s);
  EXPECT_EQ(d.fail, FailReason::kNone);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Pathological inputs: these would take minutes (or overflow the stack) in a
// quadratic or recursive parser. The bound is generous; the point is "not quadratic".
TEST(Markdown, PathologicalInputsAreLinear) {
  std::string nested_lists, nested_quotes, emphasis, brackets;
  for (int i = 0; i < 10000; ++i)
    nested_lists += std::string(static_cast<size_t>(i % 200) * 2, ' ') + "- item\n";
  nested_quotes = std::string(10000, '>') + " deep\n";
  for (int i = 0; i < 10000; ++i)
    nested_quotes += std::string(static_cast<size_t>(i), '>').substr(0, 50) + " q\n";
  for (int i = 0; i < 200000; ++i) emphasis += "*a _b `c [d ";
  brackets = std::string(200000, '[') + std::string(200000, ']') + std::string(100000, '<') +
             std::string(100000, '`');
  std::string one_line(5 << 20, 'x');
  for (size_t i = 0; i < one_line.size(); i += 7) one_line[i] = ' ';
  for (const std::string* s : {&nested_lists, &nested_quotes, &emphasis, &brackets, &one_line}) {
    EXPECT_LT(seconds_to_parse(*s), 10.0);
  }
}

}  // namespace
}  // namespace trove::ingest
