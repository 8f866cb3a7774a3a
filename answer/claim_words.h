// answer/claim_words.h — the closed word classes the claim verifier reasons with.
//
// All lookups take lower-case ASCII. The lists are English function words, not
// vocabulary of any document: a word here never decides support by itself, it only
// says how another word is read (skipped, negated, counted, or a unit after a number).
#pragma once

#include <optional>
#include <string_view>

namespace trove::answer {

// Function words and vague adverbs that carry no claim of their own ("the", "is",
// "also", "usually"). Negation cues are handled apart and are not in this list.
bool is_claim_stopword(std::string_view lower);

enum class NegationCue {
  kNone,
  kClausal,     // not, never, cannot, n't, nor: scope runs to the clause boundary
  kDeterminer,  // no, without, none: scope runs to the next verb group or boundary
};
NegationCue negation_cue(std::string_view lower);

// Words after which a negation scope ends even without punctuation: contrastive and
// concessive conjunctions ("but", "although", "whereas").
bool ends_negation_scope(std::string_view lower);

// Auxiliaries and copulas ("is", "are", "will", "can"): they end a determiner scope,
// so in "no disk file is opened" the negation covers "disk file".
bool is_auxiliary(std::string_view lower);

// "two" → 2, "second" → 2 … "twenty" → 20. "one"/"first" are left out: they are far
// more often pronouns and ordinal adjectives than counts.
std::optional<int> number_word(std::string_view lower);

// Units that qualify a number ("bytes", "bit", "ms", "days", "%").
bool is_unit_word(std::string_view lower);

}  // namespace trove::answer
