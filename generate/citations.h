// generate/citations.h — checking that an answer cites only sources it was given.
//
// CitationFilter sits between the token stream and the terminal. Text that could be
// the start of a citation ("[", "[1", "[1, 2") is held back until it is complete;
// then every number is checked against 1..n_sources. Valid citations pass through,
// invalid numbers are dropped from the text and recorded, so the user never sees a
// source that does not exist. Anything that turns out not to be a citation ("[see
// below]") is released unchanged.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trove::grounded {

class CitationFilter {
 public:
  explicit CitationFilter(int n_sources) : n_sources_(n_sources) {}

  // Feed generated text; returns the text safe to print now.
  std::string feed(std::string_view text);
  // End of generation: returns whatever is still held back.
  std::string finish();

  // Distinct valid source numbers in order of first citation.
  const std::vector<int>& cited() const { return cited_; }
  // Numbers that were cited but do not exist (each once, in order seen).
  const std::vector<int>& invalid() const { return invalid_; }

 private:
  std::string resolve(const std::string& bracket);
  int n_sources_;
  std::string held_;  // a possible citation in progress, starting with '['
  std::vector<int> cited_;
  std::vector<int> invalid_;
};

// Whole-text convenience: filtered text plus the lists.
struct CitationCheck {
  std::string text;
  std::vector<int> cited;
  std::vector<int> invalid;
};
CitationCheck check_citations(std::string_view answer, int n_sources);

}  // namespace trove::grounded
