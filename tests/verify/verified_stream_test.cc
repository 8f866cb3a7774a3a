// VerifiedStream: sentences checked as the answer streams give exactly what
// verify_answer gives on the whole answer, however the text is cut into pieces.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "answer/answer_sentences.h"
#include "answer/verified_stream.h"
#include "answer/verifier.h"

namespace trove::answer {
namespace {

const std::vector<SourcePassage> kSources = {
    {1, "backup.md", "Snapshots are kept for 30 days and then pruned by the nightly job."},
    {2, "vpn.md", "The WireGuard tunnel listens on UDP port 51820. It does not use TCP."},
};

void expect_same(const SentenceCheck& a, const SentenceCheck& b) {
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.start, b.start);
  EXPECT_EQ(a.end, b.end);
  EXPECT_EQ(a.citations, b.citations);
  EXPECT_EQ(a.verdict, b.verdict);
  EXPECT_EQ(a.kind, b.kind);
  ASSERT_EQ(a.evidence.size(), b.evidence.size());
  for (size_t i = 0; i < a.evidence.size(); ++i) {
    EXPECT_EQ(a.evidence[i].n, b.evidence[i].n);
    EXPECT_EQ(a.evidence[i].start, b.evidence[i].start);
    EXPECT_EQ(a.evidence[i].quote, b.evidence[i].quote);
  }
}

TEST(VerifiedStream, MatchesTheWholeAnswerForAnyPieces) {
  const std::vector<std::string> answers = {
      "Snapshots are kept for 30 days [1]. The tunnel listens on port 51820 [2].",
      "Snapshots are kept for 90 days. [1] The tunnel uses TCP [2].\nIt is fine.",
      "- Snapshots: 30 days [1]\n- Port: 51820 [2]\n\nThat is all [3].",
      "No full stop at the end [1]",
      "",
  };
  for (const std::string& text : answers) {
    const VerifyReport whole = verify_answer("q", text, kSources);
    for (size_t n : {1u, 2u, 5u, 1000u}) {
      VerifiedStream vs("q", kSources);
      std::vector<SentenceCheck> got;
      for (size_t i = 0; i < text.size(); i += n)
        for (auto& s : vs.feed(std::string_view(text).substr(i, n))) got.push_back(s.check);
      for (auto& s : vs.finish()) got.push_back(s.check);
      ASSERT_EQ(got.size(), whole.sentences.size()) << text << " / " << n;
      for (size_t i = 0; i < got.size(); ++i) expect_same(got[i], whole.sentences[i]);
      EXPECT_EQ(vs.report().supported, whole.supported);
      EXPECT_EQ(vs.report().total, whole.total);
    }
  }
}

TEST(VerifiedStream, ASentenceIsCheckedOnceTheNextOneHasBegun) {
  VerifiedStream vs("q", kSources);
  EXPECT_TRUE(vs.feed("Snapshots are kept for 30 days.").empty());
  EXPECT_TRUE(vs.feed(" [1]").empty());  // the citation may still join it
  auto done = vs.feed(" The");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].check.citations, std::vector<int64_t>({1}));
  EXPECT_EQ(done[0].check.verdict, Verdict::kSupported);
  done = vs.feed(" tunnel listens on port 51820 [2].\nNext");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_FALSE(done[0].new_line);
  done = vs.finish();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(done[0].new_line);
  EXPECT_EQ(done[0].check.verdict, Verdict::kUncited);
}

TEST(SplitAnswer, ACitationJustAfterTheFullStopBelongsToThatSentence) {
  auto ss = split_answer("Kept for 30 days. [1] Pruned nightly. [1][2] Fine.");
  ASSERT_EQ(ss.size(), 3u);
  EXPECT_EQ(ss[0].citations, std::vector<int64_t>({1}));
  EXPECT_EQ(ss[1].citations, std::vector<int64_t>({1, 2}));
  EXPECT_TRUE(ss[2].citations.empty());
  // Not a citation: stays with the next sentence.
  ss = split_answer("See below. [see] More.");
  ASSERT_EQ(ss.size(), 2u);
  EXPECT_TRUE(ss[0].citations.empty());
}

}  // namespace
}  // namespace trove::answer
