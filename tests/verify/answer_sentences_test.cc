// Sentence splitting and citation parsing, including hostile citations.
#include <gtest/gtest.h>

#include <limits>

#include "answer/answer_sentences.h"

namespace trove::answer {
namespace {

TEST(AnswerSentences, SplitsAtStopFollowedBySpaceAndAtLineBreaks) {
  auto s = split_answer("First claim [1]. Second? Third!\n- a list item [2]\nversion 3.7.7 is out.");
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].citations, std::vector<int64_t>{1});
  EXPECT_TRUE(s[1].citations.empty());
  EXPECT_EQ(s[3].citations, std::vector<int64_t>{2});
  // "3.7.7" has no space after its dots: one sentence.
  EXPECT_EQ(s[4].claim, "version 3.7.7 is out.");
}

TEST(AnswerSentences, CitationsAreBlankedWithOffsetsKept) {
  auto s = split_answer("Use -x here [1] [2].");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].citations, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(s[0].claim.size(), std::string("Use -x here [1] [2].").size());
  EXPECT_EQ(s[0].claim.find('['), std::string::npos);
}

TEST(AnswerSentences, ListsRangesAndDuplicates) {
  auto s = split_answer("A [1, 3]. B [2-4]. C [1][1].");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].citations, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(s[1].citations, (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(s[2].citations, (std::vector<int64_t>{1}));
}

TEST(AnswerSentences, HostileBracketsAreDefined) {
  auto s = split_answer("Zero [0]. Huge [99999999999999999999999]. Open [1. Word[1] heap[0]. Text [see below]. Rev [5-2].");
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s[0].citations, std::vector<int64_t>{0});
  EXPECT_EQ(s[1].citations, std::vector<int64_t>{std::numeric_limits<int64_t>::max()});
  EXPECT_TRUE(s[2].citations.empty());  // "[1." never closes
  EXPECT_TRUE(s[3].citations.empty());  // glued to a word: an index, not a citation
  EXPECT_TRUE(s[4].citations.empty());
  EXPECT_EQ(s[5].citations, (std::vector<int64_t>{5, 2}));  // a reversed range cites both ends
}

TEST(AnswerSentences, EmptyAndBlankAnswers) {
  EXPECT_TRUE(split_answer("").empty());
  EXPECT_TRUE(split_answer("   \n\n  ").empty());
}

}  // namespace
}  // namespace trove::answer
