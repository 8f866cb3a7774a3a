// Tests for ingest/ignore_rules: gitignore(5) semantics, case by case.
#include "ingest/ignore_rules.h"

#include <gtest/gtest.h>

namespace trove::ingest {
namespace {

std::optional<bool> m(const char* rules, const char* path, bool dir = false) {
  return IgnoreRules::parse(rules).match(path, dir);
}

TEST(GlobMatch, StarAndQuestionDoNotCrossSlash) {
  EXPECT_TRUE(glob_match("*.md", "notes.md"));
  EXPECT_FALSE(glob_match("*.md", "a/notes.md"));
  EXPECT_TRUE(glob_match("?.md", "x.md"));
  EXPECT_FALSE(glob_match("?.md", "xy.md"));
  EXPECT_FALSE(glob_match("a?b", "a/b"));
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_FALSE(glob_match("*", "a/b"));
}

TEST(GlobMatch, BracketExpressions) {
  EXPECT_TRUE(glob_match("[abc].txt", "b.txt"));
  EXPECT_FALSE(glob_match("[abc].txt", "d.txt"));
  EXPECT_TRUE(glob_match("[a-c]x", "cx"));
  EXPECT_TRUE(glob_match("[!a]x", "bx"));
  EXPECT_FALSE(glob_match("[!a]x", "ax"));
  EXPECT_TRUE(glob_match("file[0-9][0-9]", "file42"));
}

TEST(GlobMatch, DoubleStarSpansSegments) {
  EXPECT_TRUE(glob_match("**/foo", "foo"));
  EXPECT_TRUE(glob_match("**/foo", "a/b/foo"));
  EXPECT_TRUE(glob_match("a/**/b", "a/b"));
  EXPECT_TRUE(glob_match("a/**/b", "a/x/b"));
  EXPECT_TRUE(glob_match("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(glob_match("a/**/b", "a/x/y/c"));
  EXPECT_TRUE(glob_match("abc/**", "abc/x"));
  EXPECT_TRUE(glob_match("abc/**", "abc/x/y"));
  EXPECT_FALSE(glob_match("abc/**", "abc"));
  // "**" not alone in its segment behaves like "*".
  EXPECT_TRUE(glob_match("a**b", "axxb"));
  EXPECT_FALSE(glob_match("a**b", "a/b"));
}

TEST(GlobMatch, BackslashEscapes) {
  EXPECT_TRUE(glob_match("\\*.md", "*.md"));
  EXPECT_FALSE(glob_match("\\*.md", "x.md"));
  EXPECT_TRUE(glob_match("a\\?", "a?"));
  EXPECT_FALSE(glob_match("a\\?", "ab"));
}

TEST(GlobMatch, PathologicalPatternStaysFast) {
  std::string path(5000, 'a');
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", path));
}

TEST(IgnoreRules, UnanchoredPatternMatchesAtAnyDepth) {
  EXPECT_EQ(m("*.log", "a.log"), true);
  EXPECT_EQ(m("*.log", "dir/sub/a.log"), true);
  EXPECT_EQ(m("*.log", "a.md"), std::nullopt);
  EXPECT_EQ(m("build", "src/build", true), true);
}

TEST(IgnoreRules, LeadingOrMiddleSlashAnchors) {
  EXPECT_EQ(m("/build", "build", true), true);
  EXPECT_EQ(m("/build", "src/build", true), std::nullopt);
  EXPECT_EQ(m("doc/*.txt", "doc/a.txt"), true);
  EXPECT_EQ(m("doc/*.txt", "doc/x/a.txt"), std::nullopt);
  EXPECT_EQ(m("doc/*.txt", "other/doc/a.txt"), std::nullopt);
}

TEST(IgnoreRules, TrailingSlashMatchesDirectoriesOnly) {
  EXPECT_EQ(m("out/", "out", true), true);
  EXPECT_EQ(m("out/", "out", false), std::nullopt);
  EXPECT_EQ(m("out/", "a/out", true), true);
}

TEST(IgnoreRules, NegationLastMatchWins) {
  const char* rules = "*.log\n!keep.log\n";
  EXPECT_EQ(m(rules, "x.log"), true);
  EXPECT_EQ(m(rules, "keep.log"), false);
  EXPECT_EQ(m(rules, "dir/keep.log"), false);
  // Order matters: a later exclusion beats an earlier negation.
  EXPECT_EQ(m("!keep.log\n*.log\n", "keep.log"), true);
}

TEST(IgnoreRules, CommentsBlankLinesAndEscapes) {
  const char* rules = "# a comment\n\n\\#hash\n\\!bang\n  \ntrailing   \nspace\\ \n";
  EXPECT_EQ(m(rules, "# a comment"), std::nullopt);
  EXPECT_EQ(m(rules, "#hash"), true);
  EXPECT_EQ(m(rules, "!bang"), true);
  EXPECT_EQ(m(rules, "trailing"), true);  // unescaped trailing spaces trimmed
  EXPECT_EQ(m(rules, "space "), true);    // escaped trailing space kept
  EXPECT_EQ(m(rules, "space"), std::nullopt);
}

TEST(IgnoreRules, CrlfFilesAndEmptyInput) {
  EXPECT_EQ(m("*.tmp\r\n", "a.tmp"), true);
  EXPECT_TRUE(IgnoreRules::parse("").empty());
  EXPECT_TRUE(IgnoreRules::parse("# only\n\n").empty());
}

}  // namespace
}  // namespace trove::ingest
