// answer/answer_sentences.h — an answer cut into sentences, each with its citations.
//
// Sentences end at '.', '?' or '!' followed by white space (the split
// `(?<=[.?!])\s+`), and at every line break, so list items stay apart. A citation is
// a bracket of source numbers not glued to a word (one written just after the end of
// a sentence, "… days. [1] Next …", belongs to the sentence it follows): "[1]", "[1, 2]", "[1][2]", and
// "[1-3]" (a range, up to kMaxCitationRange numbers). "git-config[1]" or "heap[0]"
// are not citations; neither is "[see below]". Numbers too large for 64 bits saturate
// (they can never name a source). Linear in the answer's length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trove::answer {

inline constexpr int64_t kMaxCitationRange = 64;

struct AnswerSentence {
  uint32_t begin = 0, end = 0;     // byte span in the answer, trimmed
  std::vector<int64_t> citations;  // in order, each number once
  // The sentence with its citation brackets blanked to spaces (same length, so
  // offsets into `claim` are offsets into the sentence).
  std::string claim;
};

std::vector<AnswerSentence> split_answer(std::string_view answer);

}  // namespace trove::answer
