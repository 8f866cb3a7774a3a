// tests/serve/json_schema_test.cc — the servers' JSON (serve/json_schema.h).
#include <gtest/gtest.h>

#include <cmath>

#include "serve/json_schema.h"

namespace trove::serve {
namespace {

TEST(JsonSchema, SnippetSpansAlternatePlainAndMatched) {
  const std::string s = std::string("the ") + index::kMatchOpen + "wireguard" +
                        index::kMatchClose + " tunnel\non " + index::kMatchOpen + "router" +
                        index::kMatchClose;
  json spans = snippet_spans(s);
  ASSERT_EQ(spans.size(), 5u);
  EXPECT_EQ(spans[0], "the ");
  EXPECT_EQ(spans[1], "wireguard");
  EXPECT_EQ(spans[2], " tunnel on ");
  EXPECT_EQ(spans[3], "router");
  EXPECT_EQ(spans[4], "");
  EXPECT_EQ(plain_snippet(s), "the wireguard tunnel on router");
}

TEST(JsonSchema, UnbalancedMarkersKeepTheAlternation) {
  const std::string s = std::string("a") + index::kMatchClose + "b" + index::kMatchOpen + "c";
  json spans = snippet_spans(s);
  ASSERT_EQ(spans.size() % 2, 1u);
  std::string joined;
  for (const auto& p : spans) joined += p.get<std::string>();
  EXPECT_EQ(joined, "abc");
}

TEST(JsonSchema, HitHasTheCliFieldsAndNullSpans) {
  index::SearchHit h;
  h.chunk_id = 42;
  h.path = "/n/a.md";
  h.line_start = 3;
  h.line_end = 9;
  h.text = "body";
  json j = hit_json(h, Snippet::kWithSpans);
  for (const char* k : {"chunk_id", "path", "rel_path", "title", "type", "heading", "page_start",
                        "page_end", "line_start", "line_end", "score", "snippet", "snippet_spans",
                        "text"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_TRUE(j["page_start"].is_null());
  EXPECT_EQ(j["line_end"], 9);
  EXPECT_FALSE(hit_json(h, Snippet::kNone).contains("snippet"));
  EXPECT_TRUE(hit_json(h, Snippet::kPlain).contains("snippet"));
  EXPECT_FALSE(hit_json(h, Snippet::kPlain).contains("snippet_spans"));
  // Keys in the order the CLI has always printed them.
  EXPECT_EQ(dump(hit_json(h, Snippet::kNone)).substr(0, 31), R"({"chunk_id":42,"path":"/n/a.md")");
}

TEST(JsonSchema, SnippetFoldsWhitespaceLikeTheTerminal) {
  // Line breaks and tabs become one space; none at the start, none after a space.
  EXPECT_EQ(plain_snippet("\nleading\n\tand\r\nmore \nend\n"), "leading and more end ");
}

TEST(JsonSchema, InvalidUtf8IsReplacedNotThrown) {
  json j = {{"path", std::string("bad\xff\xfe name")}};
  std::string out;
  EXPECT_NO_THROW(out = dump(j));
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(JsonSchema, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(dump(json("a\"b\\c")), R"("a\"b\\c")");
  EXPECT_EQ(dump(json("\n\r\t\b\f")), R"("\n\r\t\b\f")");
  EXPECT_EQ(dump(json(std::string("\x01\x1f\0", 3))), R"("\u0001\u001f\u0000")");
  EXPECT_EQ(dump(json("héllo 日本 🙂")), "\"héllo 日本 🙂\"");
}

// One U+FFFD per maximal ill-formed subsequence (Unicode 15, §3.9 U+FFFD substitution).
TEST(JsonSchema, InvalidUtf8BecomesOneReplacementPerBadSequence) {
  const std::string fffd = "\xEF\xBF\xBD";
  auto d = [](const std::string& s) { return dump(json(s)); };
  EXPECT_EQ(d("a\xff" "b"), "\"a" + fffd + "b\"");
  EXPECT_EQ(d("\x80"), "\"" + fffd + "\"");              // stray continuation
  EXPECT_EQ(d("\xc3"), "\"" + fffd + "\"");              // truncated at the end
  EXPECT_EQ(d("\xe6\x97" "x"), "\"" + fffd + "x\"");      // truncated in the middle
  EXPECT_EQ(d("ok\xe6\x97"), "\"ok" + fffd + "\"");       // truncated at the end, 2 of 3
}

TEST(JsonSchema, MeasuredNumbersHaveSixDigitsAndNonFiniteIsNull) {
  EXPECT_EQ(dump(number(0.123456789)), "0.123457");
  EXPECT_EQ(dump(number(1234.5678)), "1234.57");
  EXPECT_EQ(dump(number(0.5)), "0.5");
  EXPECT_EQ(dump(number(0.0)), "0");
  EXPECT_EQ(dump(number(42.0000001)), "42");
  EXPECT_TRUE(number(1.0 / 0.0).is_null());
  EXPECT_TRUE(number(std::nan("")).is_null());
}

// What `trove ask --json` prints and what the servers reply: the verifier's verdict
// on every sentence, and whether strict left it out.
TEST(JsonSchema, AnswerCarriesEverySentencesVerdict) {
  answer::Answer a;
  a.kind = answer::AnswerKind::kGenerated;
  a.generated = "Kept 30 days [1]. Kept 90 days [1].";
  a.text = "Kept 30 days [1].";
  a.strict = true;
  a.cited = {1};
  index::SearchHit src;
  src.chunk_id = 7;
  src.path = "/n/backup.md";
  src.text = "Snapshots are kept for 30 days.";
  a.sources = {src};
  answer::SentenceCheck ok;
  ok.text = "Kept 30 days [1].";
  ok.start = 0;
  ok.end = 17;
  ok.citations = {1};
  ok.verdict = answer::Verdict::kSupported;
  ok.coverage = 1;
  ok.evidence.push_back({1, 23, 30, "30 days"});
  answer::SentenceCheck bad = ok;
  bad.text = "Kept 90 days [1].";
  bad.start = 18;
  bad.end = 35;
  bad.verdict = answer::Verdict::kUnsupported;
  bad.kind = answer::UnsupportedKind::kWrongNumber;
  bad.reason = "the source says 30, not 90";
  bad.evidence.clear();
  a.verification.sentences = {ok, bad};
  a.verification.supported = 1;
  a.verification.total = 2;

  json j = answer_json(a);
  EXPECT_EQ(j["answer"], "Kept 30 days [1].");
  EXPECT_EQ(j["generated"], a.generated);
  EXPECT_TRUE(j["strict"].get<bool>());
  EXPECT_FALSE(j["abstained"].get<bool>());
  EXPECT_EQ(j["supported"], 1);
  EXPECT_EQ(j["total"], 2);
  ASSERT_EQ(j["sentences"].size(), 2u);
  const json& s0 = j["sentences"][0];
  EXPECT_EQ(s0["verdict"], "supported");
  EXPECT_TRUE(s0["kind"].is_null());
  EXPECT_TRUE(s0["shown"].get<bool>());
  ASSERT_EQ(s0["evidence"].size(), 1u);
  EXPECT_EQ(s0["evidence"][0]["quote"], "30 days");
  EXPECT_EQ(s0["evidence"][0]["start"], 23);
  const json& s1 = j["sentences"][1];
  EXPECT_EQ(s1["verdict"], "unsupported");
  EXPECT_EQ(s1["kind"], "wrong-number");
  EXPECT_EQ(s1["reason"], "the source says 30, not 90");
  EXPECT_FALSE(s1["shown"].get<bool>());
  EXPECT_EQ(s1["start"], 18);
  ASSERT_EQ(j["sources"].size(), 1u);
  EXPECT_EQ(j["sources"][0]["n"], 1);
  EXPECT_EQ(j["sources"][0]["chunk_id"], 7);
  EXPECT_TRUE(j["thinking"].is_null());
}

TEST(JsonSchema, ExtractiveAnswerHasNoVerification) {
  answer::Answer a;
  a.kind = answer::AnswerKind::kExtractive;
  a.text = "passage";
  json j = answer_json(a);
  EXPECT_TRUE(j["extractive"].get<bool>());
  EXPECT_FALSE(j.contains("sentences"));
  EXPECT_FALSE(j.contains("generated"));
  EXPECT_TRUE(j["model"].is_null());
}

}  // namespace
}  // namespace trove::serve
