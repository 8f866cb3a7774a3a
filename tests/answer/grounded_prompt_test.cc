// Packing passages into a token budget and the wording of the grounded prompt.
#include "generate/grounded_prompt.h"

#include <gtest/gtest.h>

namespace trove::grounded {
namespace {

// A stand-in tokenizer: one token per whitespace-separated word.
int count_words(std::string_view s) {
  int n = 0;
  bool in = false;
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

Passage words(const std::string& label, int n) {
  std::string t;
  for (int i = 0; i < n; ++i) t += (i ? " w" : "w") + std::to_string(i);
  return {label, t};
}

TEST(GroundedPrompt, KeepsPassagesInRankOrderWhileTheyFit) {
  std::vector<Passage> ranked = {words("a.md", 10), words("b.md", 10), words("c.md", 10)};
  // Each block costs 10 words + "[n]" + label = 12 tokens.
  auto kept = pack_passages(ranked, count_words, 25);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].label, "a.md");
  EXPECT_EQ(kept[1].label, "b.md");
  EXPECT_EQ(pack_passages(ranked, count_words, 1000).size(), 3u);
}

TEST(GroundedPrompt, ALowerRankedShortPassageDoesNotJumpTheQueue) {
  std::vector<Passage> ranked = {words("a.md", 10), words("big.md", 100), words("c.md", 1)};
  auto kept = pack_passages(ranked, count_words, 40);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].label, "a.md");
}

TEST(GroundedPrompt, AnOversizedTopPassageIsCutAtAWordBoundaryToFit) {
  std::vector<Passage> ranked = {words("long.md", 500)};
  auto kept = pack_passages(ranked, count_words, 50);
  ASSERT_EQ(kept.size(), 1u);
  std::string block = "[1] long.md\n" + kept[0].text + "\n\n";
  EXPECT_LE(count_words(block), 50);
  EXPECT_GE(count_words(block), 45);                     // it uses the budget, not a sliver of it
  EXPECT_EQ(ranked[0].text.rfind(kept[0].text, 0), 0u);  // a prefix of the original
  EXPECT_NE(kept[0].text.back(), ' ');
  EXPECT_EQ(ranked[0].text[kept[0].text.size()], ' ');  // cut exactly before a space
}

TEST(GroundedPrompt, UserPromptNumbersSourcesAndEndsWithTheQuestion) {
  std::vector<Passage> ps = {{"notes/vpn.md, lines 1-4", "WireGuard on port 51820."},
                             {"lease.pdf, page 2", "The deposit is returned within 30 days."}};
  std::string u = grounded_user_prompt("When is the deposit returned?", ps);
  EXPECT_NE(u.find("[1] notes/vpn.md, lines 1-4\nWireGuard on port 51820."), std::string::npos);
  EXPECT_NE(u.find("[2] lease.pdf, page 2\nThe deposit is returned within 30 days."),
            std::string::npos);
  EXPECT_LT(u.find("[2]"), u.find("Question: When is the deposit returned?"));
  EXPECT_NE(grounded_system_prompt().find("[1]"), std::string::npos);
  EXPECT_NE(grounded_system_prompt().find("do not contain"), std::string::npos);
}

TEST(GroundedPrompt, NothingFitsInAZeroBudget) {
  EXPECT_TRUE(pack_passages({words("a.md", 3)}, count_words, 0).empty());
}

}  // namespace
}  // namespace trove::grounded
