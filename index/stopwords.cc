// index/stopwords.cc — see stopwords.h.
#include "index/stopwords.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace trove::index {
namespace {

// Sorted, lower case: searched with binary_search.
constexpr std::array<std::string_view, 72> kStopWords = {
    "a",    "about", "all",  "an",    "and",  "any",  "are",   "as",    "at",     "be",    "been",
    "but",  "by",    "can",  "could", "did",  "do",   "does",  "for",   "from",   "had",   "has",
    "have", "how",   "i",    "if",    "in",   "into", "is",    "it",    "its",    "me",    "my",
    "no",   "not",   "of",   "on",    "or",   "our",  "said",  "say",   "should", "so",    "some",
    "than", "that",  "the",  "their", "them", "then", "there", "these", "they",   "this",  "those",
    "to",   "up",    "us",   "was",   "we",   "were", "what",  "when",  "where",  "which", "who",
    "why",  "will",  "with", "would", "you",  "your"};

}  // namespace

bool is_stop_word(std::string_view word) {
  if (word.empty() || word.size() > 6) return false;
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::binary_search(kStopWords.begin(), kStopWords.end(), std::string_view(lower));
}

}  // namespace trove::index
