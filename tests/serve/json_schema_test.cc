// tests/serve/json_schema_test.cc — the servers' JSON (serve/json_schema.h).
#include <gtest/gtest.h>

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
  json j = hit_json(h, true);
  for (const char* k : {"chunk_id", "path", "rel_path", "title", "type", "heading", "page_start",
                        "page_end", "line_start", "line_end", "score", "snippet", "text"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_TRUE(j["page_start"].is_null());
  EXPECT_EQ(j["line_end"], 9);
  EXPECT_FALSE(hit_json(h, false).contains("snippet"));
}

TEST(JsonSchema, InvalidUtf8IsReplacedNotThrown) {
  json j = {{"path", std::string("bad\xff\xfe name")}};
  std::string out;
  EXPECT_NO_THROW(out = dump(j));
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);
}

}  // namespace
}  // namespace trove::serve
