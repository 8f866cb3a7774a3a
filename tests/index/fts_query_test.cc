// tests/index/fts_query_test.cc — user text → FTS5 MATCH: expected translations, and
// hostile input that must never make FTS5 fail.
#include <gtest/gtest.h>

#include "index/fts_query.h"
#include "index/sqlite.h"

namespace trove::index {
namespace {

TEST(FtsQuery, WordsAreQuotedAndJoinedWithOr) {
  EXPECT_EQ(translate_query("vpn config").match, "\"vpn\" OR \"config\"");
}

TEST(FtsQuery, PhrasesStayPhrases) {
  EXPECT_EQ(translate_query("\"deposit back\" landlord").match, "\"deposit back\" OR \"landlord\"");
}

TEST(FtsQuery, PrefixStaysPrefix) {
  EXPECT_EQ(translate_query("conf*").match, "\"conf\"*");
}

TEST(FtsQuery, OperatorsAndStrayPunctuationAreDropped) {
  EXPECT_EQ(translate_query("cats AND dogs OR NOT NEAR( birds)").match,
            "\"cats\" OR \"dogs\" OR \"birds\"");
  EXPECT_EQ(translate_query("(hello), world!").match, "\"hello\" OR \"world\"");
  // Lower-case words are words.
  EXPECT_EQ(translate_query("and").match, "\"and\"");
}

TEST(FtsQuery, ColumnFiltersAndCaretsAreNotSyntax) {
  EXPECT_EQ(translate_query("title:secret ^start").match, "\"title:secret\" OR \"start\"");
}

TEST(FtsQuery, NothingSearchable) {
  EXPECT_TRUE(translate_query("").match.empty());
  EXPECT_TRUE(translate_query("  * \" ( ) - AND ").match.empty());
}

TEST(FtsQuery, UnbalancedQuoteReadsOnAsWords) {
  EXPECT_EQ(translate_query("\"open quote here").match, "\"open\" OR \"quote\" OR \"here\"");
}

TEST(FtsQuery, EmbeddedQuotesAreEscaped) {
  EXPECT_EQ(translate_query("x\"s").match, "\"x\" OR \"s\"");
  EXPECT_EQ(translate_query("x\"\"y").match, "\"x\" OR \"y\"");
}

TEST(FtsQuery, StopWordsAreDroppedOnlyWhenOtherTermsRemain) {
  EXPECT_EQ(translate_query("how do I configure the VPN").match, "\"configure\" OR \"VPN\"");
  // Nothing but stop words: keep them rather than search for nothing.
  EXPECT_EQ(translate_query("The Who").match, "\"The\" OR \"Who\"");
  // Phrases and prefixes are what the user asked for literally.
  EXPECT_EQ(translate_query("\"to be\" or").match, "\"to be\"");
  EXPECT_EQ(translate_query("th* vpn").match, "\"th\"* OR \"vpn\"");
}

// Every hostile query must run against a real FTS5 table without an error.
TEST(FtsQuery, HostileQueriesNeverFailInFts5) {
  auto db = Db::open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = 'porter unicode61');"
                       "INSERT INTO t VALUES ('configure the vpn 🙂 now', 'near and far')")
                  .ok());
  const char* hostile[] = {
      "\"",
      "\"\"",
      "\"\"\"",
      "*",
      "**",
      "conf**",
      "*conf",
      "AND",
      "OR",
      "NOT",
      "NEAR(",
      "NEAR(a b, 3)",
      "a AND",
      "AND a",
      "a OR OR b",
      "(",
      ")",
      "((a)",
      "a:b",
      "a : b",
      "-a",
      "+a",
      "^a",
      "a^",
      "🙂",
      "🙂*",
      "\"🙂\"",
      "\"unbalanced",
      "un\"balanced\" \"",
      "{a b}",
      "a NOT",
      "'; DROP TABLE t; --",
      "\\",
      "%_",
      "\xff\xfe",
      "\xc3",
      "a\0b",
      "\t\n\r",
      "ünïcödé*",
      "日本語",
      "x*y*z",
      "\"a\" * \"b\"",
      "near/3",
      "a-b-c",
      "col:\"x\"",
  };
  for (const char* q : hostile) {
    FtsQuery t = translate_query(q);
    if (t.match.empty()) continue;
    auto st = db->prepare("SELECT count(*) FROM t WHERE t MATCH ?1");
    ASSERT_TRUE(st.ok());
    st->bind(1, t.match);
    auto row = st->step();
    EXPECT_TRUE(row.ok()) << "query " << q << " → " << t.match << ": "
                          << (row.ok() ? "" : row.error().message);
  }
  // The NUL case with its real length.
  std::string with_nul("a\0\"b", 4);
  FtsQuery t = translate_query(with_nul);
  auto st = db->prepare("SELECT count(*) FROM t WHERE t MATCH ?1");
  ASSERT_TRUE(st.ok());
  st->bind(1, t.match);
  EXPECT_TRUE(st->step().ok()) << t.match;
}

TEST(FtsQuery, PrefixMatchesStemmedWords) {
  auto db = Db::open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'porter unicode61');"
                       "INSERT INTO t VALUES ('configuring the network')")
                  .ok());
  auto st = db->prepare("SELECT count(*) FROM t WHERE t MATCH ?1");
  ASSERT_TRUE(st.ok());
  st->bind(1, translate_query("conf*").match);
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_int(0), 1);
}

}  // namespace
}  // namespace trove::index
