// cli/suggest.h — "did you mean" for mistyped commands and flags (git's style: the
// closest candidates by edit distance, only when they are close).
#pragma once

#include <string>
#include <vector>

namespace trove::cli {

// Optimal-string-alignment distance (insert, delete, substitute, swap neighbours).
int edit_distance(const std::string& a, const std::string& b);

// The candidates within a distance that grows with the word's length (at most 2 for
// short words, 3 for long ones), closest first; empty when none is close.
std::vector<std::string> close_matches(const std::string& word,
                                       const std::vector<std::string>& candidates);

}  // namespace trove::cli
