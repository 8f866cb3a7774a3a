// generate/spm_tokenizer.cc — score-ordered merging over a linked list of pieces.
#include "generate/spm_tokenizer.h"

#include <cstdio>
#include <queue>
#include <unordered_map>

#include "generate/unicode_props.h"

namespace trove {
namespace {

constexpr std::string_view kSpace = "\xe2\x96\x81";  // U+2581

struct Symbol {
  int prev, next;
  size_t off, n;  // n == 0: merged into its left neighbour
};

struct Bigram {
  int left, right;
  float score;
  size_t size;
};

// Highest score first; on ties the leftmost pair (SentencePiece's order).
struct BigramLess {
  bool operator()(const Bigram& l, const Bigram& r) const {
    return l.score < r.score || (l.score == r.score && l.left > r.left);
  }
};

class SpmSession {
 public:
  SpmSession(const Vocab& v, const std::array<int32_t, 256>& bytes) : v_(v), bytes_(bytes) {}

  void run(std::string_view text, std::vector<int32_t>& out) {
    text_ = text;
    syms_.clear();
    queue_ = {};
    rev_merge_.clear();
    for (size_t off = 0; off < text_.size();) {
      const size_t n =
          std::min(utf8_seq_len(static_cast<unsigned char>(text_[off])), text_.size() - off);
      const int idx = static_cast<int>(syms_.size());
      syms_.push_back({idx - 1, off + n == text_.size() ? -1 : idx + 1, off, n});
      off += n;
    }
    for (int i = 1; i < static_cast<int>(syms_.size()); ++i) try_add(i - 1, i);
    while (!queue_.empty()) {
      const Bigram b = queue_.top();
      queue_.pop();
      Symbol& l = syms_[static_cast<size_t>(b.left)];
      Symbol& r = syms_[static_cast<size_t>(b.right)];
      if (l.n == 0 || r.n == 0 || l.n + r.n != b.size) continue;  // stale pair
      l.n += r.n;
      r.n = 0;
      l.next = r.next;
      if (r.next >= 0) syms_[static_cast<size_t>(r.next)].prev = b.left;
      try_add(l.prev, b.left);
      try_add(b.left, l.next);
    }
    if (syms_.empty()) return;
    for (int i = 0; i != -1; i = syms_[static_cast<size_t>(i)].next) {
      resegment(syms_[static_cast<size_t>(i)], out);
    }
  }

 private:
  std::string_view piece(size_t off, size_t n) const { return text_.substr(off, n); }

  void try_add(int left, int right) {
    if (left == -1 || right == -1) return;
    const Symbol& l = syms_[static_cast<size_t>(left)];
    const std::string_view s = piece(l.off, l.n + syms_[static_cast<size_t>(right)].n);
    const int32_t id = v_.find(s);
    if (id < 0) return;
    const float score = v_.scores.empty() ? 0.0f : v_.scores[static_cast<size_t>(id)];
    queue_.push({left, right, score, s.size()});
    rev_merge_[s] = {left, right};
  }

  // A merged piece that is not itself a token is split back into the pair that made
  // it, down to single characters, which become byte tokens if need be.
  void resegment(const Symbol& sym, std::vector<int32_t>& out) {
    const std::string_view s = piece(sym.off, sym.n);
    if (const int32_t id = v_.find(s); id >= 0) {
      out.push_back(id);
      return;
    }
    auto it = rev_merge_.find(s);
    if (it == rev_merge_.end()) {
      for (char c : s) {
        const int32_t b = bytes_[static_cast<unsigned char>(c)];
        if (b >= 0) out.push_back(b);
      }
      return;
    }
    const auto [l, r] = it->second;
    resegment(syms_[static_cast<size_t>(l)], out);
    resegment(syms_[static_cast<size_t>(r)], out);
  }

  const Vocab& v_;
  const std::array<int32_t, 256>& bytes_;
  std::string_view text_;
  std::vector<Symbol> syms_;
  std::priority_queue<Bigram, std::vector<Bigram>, BigramLess> queue_;
  std::unordered_map<std::string_view, std::pair<int, int>> rev_merge_;
};

}  // namespace

Result<std::unique_ptr<Tokenizer>> SpmTokenizer::create(Vocab vocab) {
  return std::unique_ptr<Tokenizer>(new SpmTokenizer(std::move(vocab)));
}

SpmTokenizer::SpmTokenizer(Vocab vocab) : Tokenizer(std::move(vocab)) {
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    int32_t id = vocab_.find(name);
    if (id < 0) id = vocab_.find(std::string(1, static_cast<char>(b)));
    byte_tokens_[static_cast<size_t>(b)] = id >= 0 ? id : vocab_.unk;
  }
  split_at_words_ = true;
  for (const std::string& t : vocab_.tokens) {
    for (size_t p = t.find(kSpace, 1); p != std::string::npos; p = t.find(kSpace, p + 1)) {
      if (p < kSpace.size() || t.compare(p - kSpace.size(), kSpace.size(), kSpace) != 0) {
        split_at_words_ = false;  // some token has "x▁": merges may cross word starts
        break;
      }
    }
    if (!split_at_words_) break;
  }
}

void SpmTokenizer::encode_fragment(std::string_view text, bool after_special,
                                   std::vector<int32_t>& out) const {
  std::string escaped;
  escaped.reserve(text.size() * 2 + 3);
  if (vocab_.add_space_prefix && after_special) escaped += kSpace;
  for (char c : text) {
    if (c == ' ') {
      escaped += kSpace;
    } else {
      escaped += c;
    }
  }
  SpmSession session(vocab_, byte_tokens_);
  if (!split_at_words_) {
    session.run(escaped, out);
    return;
  }
  // No token joins a character to a following "▁", so merging never crosses the start
  // of a word: each word is merged alone, which keeps the queue small on long texts.
  size_t start = 0;
  for (size_t i = kSpace.size(); i + kSpace.size() <= escaped.size(); ++i) {
    if (escaped.compare(i, kSpace.size(), kSpace) == 0 &&
        escaped.compare(i - kSpace.size(), kSpace.size(), kSpace) != 0) {
      if (i > start) session.run(std::string_view(escaped).substr(start, i - start), out);
      start = i;
    }
  }
  session.run(std::string_view(escaped).substr(start), out);
}

std::string SpmTokenizer::normal_token_text(int32_t id) const {
  const std::string& t = vocab_.tokens[static_cast<size_t>(id)];
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size();) {
    if (t.compare(i, kSpace.size(), kSpace) == 0) {
      out += ' ';
      i += kSpace.size();
    } else {
      out += t[i++];
    }
  }
  return out;
}

}  // namespace trove
