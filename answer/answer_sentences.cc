// answer/answer_sentences.cc — see answer_sentences.h.
#include "answer/answer_sentences.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>

namespace trove::answer {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int64_t parse_saturating(std::string_view digits) {
  int64_t v = 0;
  for (char c : digits) {
    int d = c - '0';
    if (v > (std::numeric_limits<int64_t>::max() - d) / 10) return std::numeric_limits<int64_t>::max();
    v = v * 10 + d;
  }
  return v;
}

// Parses the bracket starting at s[0] == '['. Returns its length and numbers, or
// nullopt when it is not a citation.
std::optional<size_t> parse_bracket(std::string_view s, std::vector<int64_t>& numbers) {
  size_t i = 1;
  std::vector<int64_t> found;
  bool expect_number = true;
  while (i < s.size()) {
    char c = s[i];
    if (c == ']') {
      if (expect_number || found.empty()) return std::nullopt;
      for (int64_t n : found) {
        if (std::find(numbers.begin(), numbers.end(), n) == numbers.end()) numbers.push_back(n);
      }
      return i + 1;
    }
    if (expect_number) {
      if (c == ' ') {
        ++i;
        continue;
      }
      if (!is_digit(c)) return std::nullopt;
      size_t j = i;
      while (j < s.size() && is_digit(s[j])) ++j;
      int64_t a = parse_saturating(s.substr(i, j - i));
      i = j;
      if (i < s.size() && (s[i] == '-' || s[i] == static_cast<char>(0xE2))) {
        // A range "1-3" (or with an en dash, E2 80 93).
        size_t dash = s[i] == '-' ? 1 : 3;
        if (dash == 3 && !(i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                           static_cast<unsigned char>(s[i + 2]) == 0x93)) {
          return std::nullopt;
        }
        size_t k = i + dash;
        size_t e = k;
        while (e < s.size() && is_digit(s[e])) ++e;
        if (e == k) return std::nullopt;
        int64_t b = parse_saturating(s.substr(k, e - k));
        i = e;
        if (b >= a && b - a < kMaxCitationRange) {
          for (int64_t n = a; n <= b; ++n) found.push_back(n);
        } else {
          // A reversed or huge range is no list of sources: cite both ends, so a
          // number that does not exist is reported as out of range.
          found.push_back(a);
          found.push_back(b);
        }
      } else {
        found.push_back(a);
      }
      expect_number = false;
      continue;
    }
    if (c == ',' || c == ';') {
      expect_number = true;
      ++i;
      continue;
    }
    if (c == ' ') {
      ++i;
      continue;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

AnswerSentence make_sentence(std::string_view answer, size_t b, size_t e) {
  while (b < e && is_space(static_cast<unsigned char>(answer[b]))) ++b;
  while (e > b && is_space(static_cast<unsigned char>(answer[e - 1]))) --e;
  AnswerSentence s;
  s.begin = static_cast<uint32_t>(b);
  s.end = static_cast<uint32_t>(e);
  s.claim = std::string(answer.substr(b, e - b));
  for (size_t i = 0; i < s.claim.size(); ++i) {
    if (s.claim[i] != '[') continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(s.claim[i - 1])) || s.claim[i - 1] == '_')) {
      continue;  // "git-config[1]", "heap[0]"
    }
    auto len = parse_bracket(std::string_view(s.claim).substr(i), s.citations);
    if (!len) continue;
    std::fill(s.claim.begin() + static_cast<std::ptrdiff_t>(i),
              s.claim.begin() + static_cast<std::ptrdiff_t>(i + *len), ' ');
    i += *len - 1;
  }
  return s;
}

// "Kept 30 days. [1] Pruned nightly.": a citation right after the end of a sentence
// (on the same line) belongs to that sentence, not to the next one. Returns the end of
// the brackets that follow `at` (only spaces between), or `at` when none do.
size_t trailing_citations_end(std::string_view answer, size_t at) {
  size_t end = at;
  size_t k = at;
  std::vector<int64_t> ignored;
  for (;;) {
    while (k < answer.size() && (answer[k] == ' ' || answer[k] == '\t')) ++k;
    if (k >= answer.size() || answer[k] != '[') return end;
    auto len = parse_bracket(answer.substr(k), ignored);
    if (!len) return end;
    k += *len;
    end = k;
  }
}

}  // namespace

std::vector<AnswerSentence> split_answer(std::string_view answer) {
  std::vector<AnswerSentence> out;
  size_t start = 0;
  auto emit = [&](size_t end) {
    AnswerSentence s = make_sentence(answer, start, end);
    if (s.end > s.begin) out.push_back(std::move(s));
  };
  for (size_t i = 0; i < answer.size(); ++i) {
    char c = answer[i];
    if (c == '\n') {
      emit(i);
      start = i + 1;
      continue;
    }
    if ((c == '.' || c == '?' || c == '!') && i + 1 < answer.size() &&
        is_space(static_cast<unsigned char>(answer[i + 1]))) {
      const size_t end = trailing_citations_end(answer, i + 1);
      emit(end);
      start = end;
      i = end - 1;
    }
  }
  emit(answer.size());
  return out;
}

}  // namespace trove::answer
