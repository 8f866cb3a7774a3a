// answer/claim_alignment.h — the best order-preserving match of a claim's tokens
// inside one region of a passage.
//
// Local alignment by dynamic programming: every shared key scores its weight, each
// passage token skipped between two matches costs `gap`, and crossing a passage
// sentence boundary between two matches costs `sentence_break` more, so the result
// is the most compact window that matches the most words — "parts of a temporary
// database" aligns with "parts of a :memory: database" at the word that differs, not
// with a ":memory:" three clauses back. O(claim × region) time and memory.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "answer/claim_tokens.h"

namespace trove::answer {

struct AlignParams {
  double gap = 0.1;
  double sentence_break = 1.5;
  // Two exact terms of the same class that differ (a number against another number,
  // a flag against another flag, a name against another name) align as a
  // substitution worth this much, so the window where the passage puts "=2" is found
  // for a sentence that says "=1".
  double substitution = 0.5;
};

struct Alignment {
  double score = 0;
  // (claim token index, passage token index), both increasing: same key (or one
  // token's alt_key is the other's key: then their polarity is opposite).
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  // Substitutions, in the same order.
  std::vector<std::pair<uint32_t, uint32_t>> substitutions;
};

bool keys_match(const ClaimToken& a, const ClaimToken& b);
// True when the match between `a` and `b` is through an alt_key (polarity flips).
bool matched_by_prefix_negation(const ClaimToken& a, const ClaimToken& b);
bool substitutable(const ClaimToken& a, const ClaimToken& b);

// Aligns claim tokens [claim_begin, claim_end) against passage tokens
// [region_begin, region_end).
Alignment align_claim(const std::vector<ClaimToken>& claim, size_t claim_begin, size_t claim_end,
                      const std::vector<ClaimToken>& passage, size_t region_begin, size_t region_end,
                      const AlignParams& params = {});

}  // namespace trove::answer
