// tests/cli/printable_test.cc — cli/printable.h: names and text never drive the terminal.
#include "cli/printable.h"

#include <gtest/gtest.h>

namespace trove::cli {
namespace {

TEST(Printable, ValidUtf8PassesUnchanged) {
  EXPECT_EQ(printable("notes/café — 日本語 🙂.md"), "notes/café — 日本語 🙂.md");
}

TEST(Printable, EscapeSequencesAreNeutralised) {
  EXPECT_EQ(printable("\x1b[31mred.md"), "\\x1b[31mred.md");
  EXPECT_EQ(printable("a\rb\nc\td\x7f"), "a\\rb\\nc\\td\\x7f");
}

TEST(Printable, C1ControlsAreEscaped) {
  // U+009B is CSI on terminals that honour 8-bit controls.
  EXPECT_EQ(printable("x\xc2\x9b"
                      "31m"),
            "x\\xc2\\x9b31m");
  EXPECT_EQ(printable("\xc2\xa0"), "\xc2\xa0");  // U+00A0 is printable
}

TEST(Printable, InvalidUtf8IsEscapedBytewise) {
  EXPECT_EQ(printable("caf\xe9.txt"), "caf\\xe9.txt");               // Latin-1 name
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(printable("\xe2\x82"), "\\xe2\\x82");                    // truncated
  EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

}  // namespace
}  // namespace trove::cli
