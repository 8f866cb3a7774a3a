// answer/claim_words.cc — see claim_words.h.
#include "answer/claim_words.h"

#include <array>
#include <unordered_set>

namespace trove::answer {
namespace {

bool contains(const std::unordered_set<std::string_view>& set, std::string_view w) {
  return set.count(w) != 0;
}

// Pronouns, determiners, prepositions, conjunctions, auxiliaries, and
// hedging adverbs that answers add freely ("usually", "also", "just").
const std::unordered_set<std::string_view>& stop_set() {
  static const std::unordered_set<std::string_view> set = {
    "a",          "about",     "above",   "actually", "after",     "again",  "against",
    "all",        "along",     "already", "also",     "although",  "always", "am",
    "among",      "an",        "and",     "another",  "any",       "anything", "are",
    "around",     "as",        "at",      "away",     "be",        "because", "been",
    "before",     "being",     "below",   "between",  "both",      "but",    "by",
    "can",        "could",     "did",     "do",       "does",      "doing",  "done",
    "down",       "during",    "each",    "either",   "else",      "even",   "ever",
    "every",      "for",       "from",    "further",  "generally", "get",    "gets",
    "got",        "had",       "has",     "have",     "having",    "he",     "her",
    "here",       "him",       "his",     "how",      "however",   "i",      "if",
    "in",         "instead",   "into",    "is",       "it",        "its",    "itself",
    "just",       "may",       "me",      "might",    "more",      "most",   "much",
    "must",       "my",        "namely",  "normally", "now",       "of",     "off",
    "often",      "on",        "once",    "only",     "onto",      "or",     "other",
    "otherwise",  "our",       "out",     "over",     "own",       "per",    "quite",
    "rather",     "really",    "same",    "shall",    "she",       "should", "simply",
    "since",      "so",        "some",    "something", "still",    "such",   "than",
    "that",       "the",       "their",   "them",     "then",      "there",  "these",
    "they",       "this",      "those",   "though",   "through",   "thus",   "to",
    "too",        "typically", "under",   "until",    "up",        "upon",   "us",
    "usually",    "very",      "via",     "was",      "way",       "we",  "well",     "were",
    "what",       "whatever",  "when",    "where",    "whereas",   "whether", "which",
    "while",      "who",       "whom",    "whose",    "why",       "will",   "with",
    "within",     "would",     "yet",     "you",      "your",      "yourself"};
  return set;
}

const std::unordered_set<std::string_view>& clausal_set() {
  static const std::unordered_set<std::string_view> set = {
    "avoid", "avoided", "avoiding", "avoids", "can't", "cannot", "neither",
    "never", "nobody", "nor",       "not",    "nothing", "nowhere", "n't"};
  return set;
}

const std::unordered_set<std::string_view>& determiner_set() {
  static const std::unordered_set<std::string_view> set = {"no", "none", "without"};
  return set;
}

const std::unordered_set<std::string_view>& scopeend_set() {
  static const std::unordered_set<std::string_view> set = {
    "although", "but", "except", "however", "instead", "though", "unlike", "whereas",
    "while",    "whilst", "yet"};
  return set;
}

const std::unordered_set<std::string_view>& aux_set() {
  static const std::unordered_set<std::string_view> set = {
    "am",    "are",   "be",    "been",  "being", "can",   "could", "did",   "do",
    "does",  "had",   "has",   "have",  "is",    "may",   "might", "must",  "shall",
    "should", "was",  "were",  "will",  "would", "gets",  "get",   "got"};
  return set;
}

struct NumberWord {
  std::string_view word;
  int value;
};
constexpr std::array<NumberWord, 36> kNumbers = {{
    {"zero", 0},      {"two", 2},        {"three", 3},      {"four", 4},     {"five", 5},
    {"six", 6},       {"seven", 7},      {"eight", 8},      {"nine", 9},     {"ten", 10},
    {"eleven", 11},   {"twelve", 12},    {"thirteen", 13},  {"fourteen", 14}, {"fifteen", 15},
    {"sixteen", 16},  {"seventeen", 17}, {"eighteen", 18},  {"nineteen", 19}, {"twenty", 20},
    {"second", 2},    {"third", 3},      {"fourth", 4},     {"fifth", 5},    {"sixth", 6},
    {"seventh", 7},   {"eighth", 8},     {"ninth", 9},      {"tenth", 10},   {"twice", 2},
    {"thrice", 3},    {"double", 2},     {"triple", 3},     {"half", 0},     {"dozen", 12},
    {"hundred", 100},
}};

const std::unordered_set<std::string_view>& units_set() {
  static const std::unordered_set<std::string_view> set = {
    "%",       "b",       "bit",     "bits",   "byte",    "bytes",   "c",       "characters",
    "chars",   "day",     "days",    "gb",     "gib",     "ghz",     "h",       "hour",
    "hours",   "hz",      "kb",      "kib",    "khz",     "lines",   "m",       "mb",
    "mhz",     "mib",     "millisecond", "milliseconds", "min",   "minute", "minutes", "month",
    "months",  "ms",      "ns",      "percent", "pixels",  "pt",      "px",      "s",
    "sec",     "second",  "seconds", "tb",     "tib",     "times",   "us",      "week",
    "weeks",   "x",       "year",    "years"};
  return set;
}

}  // namespace

bool is_claim_stopword(std::string_view lower) { return contains(stop_set(), lower); }

NegationCue negation_cue(std::string_view lower) {
  if (contains(clausal_set(), lower)) return NegationCue::kClausal;
  if (contains(determiner_set(), lower)) return NegationCue::kDeterminer;
  return NegationCue::kNone;
}

bool ends_negation_scope(std::string_view lower) { return contains(scopeend_set(), lower); }

bool is_auxiliary(std::string_view lower) { return contains(aux_set(), lower); }

std::optional<int> number_word(std::string_view lower) {
  for (const auto& n : kNumbers) {
    if (n.word == lower) {
      if (n.word == "half") return std::nullopt;  // listed so it is never a unit
      return n.value;
    }
  }
  return std::nullopt;
}

bool is_unit_word(std::string_view lower) { return contains(units_set(), lower); }

}  // namespace trove::answer
