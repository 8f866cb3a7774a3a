// generate/citations.cc — the streaming citation check.
#include "generate/citations.h"

#include <algorithm>
#include <cctype>

namespace trove::grounded {
namespace {

constexpr size_t kMaxCitationLength = 32;  // "[12, 13, 14]" and a little slack

bool may_continue_citation(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || c == ',' || c == ' ';
}

// Parses "[1]", "[1,2]", "[1, 2, 3]"; returns false for anything else.
bool parse_numbers(const std::string& s, std::vector<int>& out) {
  if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
  int cur = -1;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (cur > 100000) return false;
      cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
    } else if (c == ',') {
      if (cur < 0) return false;
      out.push_back(cur);
      cur = -1;
    } else if (c != ' ') {
      return false;
    }
  }
  if (cur < 0) return false;
  out.push_back(cur);
  return true;
}

void add_unique(std::vector<int>& v, int x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

}  // namespace

std::string CitationFilter::resolve(const std::string& bracket) {
  std::vector<int> nums;
  if (!parse_numbers(bracket, nums)) return bracket;
  std::string kept;
  for (int n : nums) {
    if (n >= 1 && n <= n_sources_) {
      add_unique(cited_, n);
      if (!kept.empty()) kept += ", ";
      kept += std::to_string(n);
    } else {
      add_unique(invalid_, n);
    }
  }
  return kept.empty() ? std::string() : "[" + kept + "]";
}

std::string CitationFilter::feed(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (held_.empty()) {
      if (c == '[') {
        held_ = "[";
      } else {
        out += c;
      }
      continue;
    }
    if (c == ']') {
      held_ += c;
      out += resolve(held_);
      held_.clear();
    } else if (c == '[') {  // "[[1]": release the first bracket, start again
      out += held_;
      held_ = "[";
    } else if (may_continue_citation(c) && held_.size() < kMaxCitationLength) {
      held_ += c;
    } else {
      out += held_;
      out += c;
      held_.clear();
    }
  }
  return out;
}

std::string CitationFilter::finish() {
  std::string out;
  out.swap(held_);
  return out;
}

CitationCheck check_citations(std::string_view answer, int n_sources) {
  CitationFilter f(n_sources);
  CitationCheck r;
  r.text = f.feed(answer);
  r.text += f.finish();
  r.cited = f.cited();
  r.invalid = f.invalid();
  return r;
}

}  // namespace trove::grounded
