// tests/cli/json_test.cc — the JSON writer: structure, escaping, invalid UTF-8.
#include <gtest/gtest.h>

#include "cli/json.h"

namespace trove::cli {
namespace {

std::string js(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(Json, ObjectsArraysAndCommas) {
  JsonWriter w;
  w.begin_object().key("a").value(1).key("b").begin_array().value("x").value(true).null();
  w.end_array().key("c").begin_object().end_object().end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",true,null],"c":{}})");
}

TEST(Json, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(js("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(js("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(js(std::string("\x01\x1f\x7f\0", 4)), R"("\u0001\u001f\u007f\u0000")");
}

TEST(Json, KeepsValidUtf8) {
  EXPECT_EQ(js("héllo 日本 🙂"), "\"héllo 日本 🙂\"");
}

TEST(Json, InvalidUtf8BecomesReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(js("a\xff"
               "b"),
            "\"a" + fffd + "b\"");
  EXPECT_EQ(js("\x80"), "\"" + fffd + "\"");  // stray continuation
  EXPECT_EQ(js("\xc3"), "\"" + fffd + "\"");  // truncated at the end
  EXPECT_EQ(js("\xe6\x97"
               "x"),
            "\"" + fffd + "x\"");                         // truncated in the middle
  EXPECT_EQ(js("\xc0\xaf"), "\"" + fffd + "\"");          // overlong '/'
  EXPECT_EQ(js("\xed\xa0\x80"), "\"" + fffd + "\"");      // UTF-16 surrogate
  EXPECT_EQ(js("\xf4\x90\x80\x80"), "\"" + fffd + "\"");  // above U+10FFFF
}

TEST(Json, NonFiniteNumbersAreNull) {
  JsonWriter w;
  w.begin_array().value(1.0 / 0.0).value(0.5).end_array();
  EXPECT_EQ(w.str(), "[null,0.5]");
}

}  // namespace
}  // namespace trove::cli
