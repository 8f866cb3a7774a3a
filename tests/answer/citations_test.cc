// The citation check: only sources that were given may be cited, in any chunking of
// the stream.
#include "generate/citations.h"

#include <gtest/gtest.h>

namespace trove::grounded {
namespace {

TEST(Citations, ValidCitationsPassThroughAndAreListedOnce) {
  auto r = check_citations("Deposits are returned in 30 days [2]. See also [1, 2].", 3);
  EXPECT_EQ(r.text, "Deposits are returned in 30 days [2]. See also [1, 2].");
  EXPECT_EQ(r.cited, (std::vector<int>{2, 1}));
  EXPECT_TRUE(r.invalid.empty());
}

TEST(Citations, NumbersBeyondTheSourcesAreDroppedAndFlagged) {
  auto r = check_citations("It is 42 [4]. Also [0] and [1, 7].", 3);
  EXPECT_EQ(r.text, "It is 42 . Also  and [1].");
  EXPECT_EQ(r.cited, (std::vector<int>{1}));
  EXPECT_EQ(r.invalid, (std::vector<int>{4, 0, 7}));
}

TEST(Citations, BracketsThatAreNotCitationsAreUntouched) {
  for (std::string s : {"an array a[i] here", "[see below]", "[", "x [1", "[]", "[,]", "[1,]",
                        "[[1]]", "a [12345678901234567890123456789012345] b"}) {
    auto r = check_citations(s, 1);
    if (s == "[[1]]") {
      EXPECT_EQ(r.text, "[[1]]");
      EXPECT_EQ(r.cited, (std::vector<int>{1}));
    } else {
      EXPECT_EQ(r.text, s);
      EXPECT_TRUE(r.cited.empty()) << s;
    }
  }
}

TEST(Citations, StreamingInAnyChunkingGivesTheSameResult) {
  const std::string answer =
      "The VPN uses WireGuard [1][3] on port 51820 [2, 9]; keys rotate [x] yearly [5].";
  auto whole = check_citations(answer, 3);
  for (size_t step = 1; step <= 7; ++step) {
    CitationFilter f(3);
    std::string out;
    for (size_t i = 0; i < answer.size(); i += step) out += f.feed(answer.substr(i, step));
    out += f.finish();
    EXPECT_EQ(out, whole.text) << "step " << step;
    EXPECT_EQ(f.cited(), whole.cited);
    EXPECT_EQ(f.invalid(), whole.invalid);
  }
  EXPECT_EQ(whole.cited, (std::vector<int>{1, 3, 2}));
  EXPECT_EQ(whole.invalid, (std::vector<int>{9, 5}));
}

TEST(Citations, NothingIsHeldBackForever) {
  CitationFilter f(2);
  std::string out = f.feed("value [1");
  EXPECT_EQ(out, "value ");
  EXPECT_EQ(f.finish(), "[1");
}

}  // namespace
}  // namespace trove::grounded
