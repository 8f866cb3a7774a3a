// index/fts_query.cc — user query → FTS5 MATCH expression (see fts_query.h).
#include "index/fts_query.h"

#include "index/stopwords.h"

#include <array>
#include <unordered_set>

namespace trove::index {
namespace {

bool is_space(unsigned char c) {
  return c <= 0x20 || c == 0x7f;
}  // controls split words
bool is_word_byte(unsigned char c) {
  // Any non-ASCII byte may belong to a letter; FTS5's unicode61 tokenizer decides.
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool has_word_byte(std::string_view s) {
  for (unsigned char c : s)
    if (is_word_byte(c)) return true;
  return false;
}

bool is_operator(std::string_view w) {
  static constexpr std::array<std::string_view, 4> kOps = {"AND", "OR", "NOT", "NEAR"};
  for (auto op : kOps)
    if (w == op) return true;
  return false;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    // A control byte (NUL above all) could end the string early inside FTS5's parser.
    out += is_space(static_cast<unsigned char>(c)) ? ' ' : c;
  }
  out += '"';
  return out;
}

std::string_view trim_punct(std::string_view w) {
  while (!w.empty() && !is_word_byte(static_cast<unsigned char>(w.front()))) w.remove_prefix(1);
  while (!w.empty() && !is_word_byte(static_cast<unsigned char>(w.back()))) w.remove_suffix(1);
  return w;
}

class Builder {
 public:
  void add_word(std::string_view raw) {
    bool prefix = !raw.empty() && raw.back() == '*';
    std::string_view w = trim_punct(raw);
    if (w.empty() || is_operator(w) || !has_word_byte(w)) return;
    // "foo*bar" or "NEAR(" leftovers: inner '*' and '(' are plain separators in a string.
    if (!prefix && is_stop_word(w)) {
      stop_words_.emplace_back(w);  // kept only if the query has nothing else
      return;
    }
    emit(quoted(w) + (prefix ? "*" : ""), w);
  }
  void add_phrase(std::string_view p) {
    if (!has_word_byte(p)) return;
    emit(quoted(p), p);
  }
  FtsQuery done() {
    if (q_.match.empty())
      for (const auto& w : stop_words_) emit(quoted(w), w);
    return std::move(q_);
  }

 private:
  void emit(const std::string& expr, std::string_view term) {
    // A term ORed twice adds nothing to the ranking but its cost: keep each once, so a
    // long pasted query costs what its distinct words cost.
    if (!seen_.insert(expr).second) return;
    if (!q_.match.empty()) q_.match += " OR ";
    q_.match += expr;
    q_.terms.emplace_back(term);
  }
  FtsQuery q_;
  std::vector<std::string> stop_words_;
  std::unordered_set<std::string> seen_;
};

}  // namespace

FtsQuery translate_query(std::string_view text) {
  Builder b;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c == '"') {
      size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {  // unbalanced: read on as words
        ++i;
        continue;
      }
      b.add_phrase(text.substr(i + 1, close - i - 1));
      i = close + 1;
      continue;
    }
    size_t j = i;
    while (j < n && !is_space(static_cast<unsigned char>(text[j])) && text[j] != '"') ++j;
    b.add_word(text.substr(i, j - i));
    i = j;
  }
  return b.done();
}

}  // namespace trove::index
