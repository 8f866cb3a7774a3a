// generate/bpe_tokenizer.cc — rank-ordered merging over token ids, per word.
#include "generate/bpe_tokenizer.h"

#include <queue>

#include "core/log.h"
#include "generate/unicode_props.h"

namespace trove {
namespace {

struct Symbol {
  int32_t id;
  int prev, next;
  size_t n;  // bytes covered; 0 once merged into the left neighbour
};

struct Bigram {
  int32_t rank;
  int left, right;
  size_t size;
};

// Lowest rank first; on ties the leftmost pair.
struct BigramLess {
  bool operator()(const Bigram& l, const Bigram& r) const {
    return l.rank > r.rank || (l.rank == r.rank && l.left > r.left);
  }
};

uint64_t pair_key(int32_t l, int32_t r) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(l)) << 32) | static_cast<uint32_t>(r);
}

bool printable_byte(int b) {
  return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
}

}  // namespace

uint32_t BpeTokenizer::byte_to_cp(uint8_t b) {
  if (printable_byte(b)) return b;
  // The other bytes take code points 256, 257, ... in byte order.
  uint32_t n = 0;
  for (int k = 0; k < b; ++k) n += printable_byte(k) ? 0 : 1;
  return 256 + n;
}

int BpeTokenizer::cp_to_byte(uint32_t cp) {
  static const std::array<int, 324> table = [] {
    std::array<int, 324> t;
    t.fill(-1);
    for (int b = 0; b < 256; ++b) t[byte_to_cp(static_cast<uint8_t>(b))] = b;
    return t;
  }();
  return cp < table.size() ? table[cp] : -1;
}

Result<std::unique_ptr<Tokenizer>> BpeTokenizer::create(const GgufFile& file, Vocab vocab) {
  const auto pre = pretokenizer_from_name(vocab.pre);
  if (!pre) {
    return make_error(file.path() + ": tokenizer.ggml.pre is '" + vocab.pre +
                      "', which trove does not implement (known: gpt-2, llama-bpe, qwen2, "
                      "smollm and their aliases)");
  }
  std::unique_ptr<BpeTokenizer> tok(new BpeTokenizer(std::move(vocab), *pre));
  TROVE_TRY(tok->load_merges(file));
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

BpeTokenizer::BpeTokenizer(Vocab vocab, PreTokenizer pre) : Tokenizer(std::move(vocab)), pre_(pre) {
  for (int b = 0; b < 256; ++b) {
    std::string s;
    utf8_append(s, byte_to_cp(static_cast<uint8_t>(b)));
    byte_tokens_[static_cast<size_t>(b)] = vocab_.find(s);
  }
}

Status BpeTokenizer::load_merges(const GgufFile& file) {
  auto merges = file.get_string_array("tokenizer.ggml.merges");
  if (!merges) return merges.error();
  merges_.reserve(merges->size() * 2);
  size_t skipped = 0;
  std::string joined;
  for (size_t i = 0; i < merges->size(); ++i) {
    const std::string_view m = (*merges)[i];
    // The separator is the first space after the first character: "Ġ Ġ" is valid.
    const size_t sp = m.size() > 1 ? m.find(' ', 1) : std::string_view::npos;
    if (sp == std::string_view::npos) {
      ++skipped;
      continue;
    }
    const std::string_view a = m.substr(0, sp), b = m.substr(sp + 1);
    joined.assign(a);
    joined += b;
    const int32_t la = vocab_.find(a), lb = vocab_.find(b), res = vocab_.find(joined);
    if (la < 0 || lb < 0 || res < 0) {
      ++skipped;  // a merge whose parts are not tokens can never apply to token ids
      continue;
    }
    merges_.try_emplace(pair_key(la, lb), Merge{static_cast<int32_t>(i), res});
  }
  if (skipped > 0) {
    log_debug(file.path() + ": skipped " + std::to_string(skipped) +
              " merges whose parts are not in the vocabulary");
  }
  return {};
}

const BpeTokenizer::Merge* BpeTokenizer::find_merge(int32_t left, int32_t right) const {
  auto it = merges_.find(pair_key(left, right));
  return it == merges_.end() ? nullptr : &it->second;
}

void BpeTokenizer::encode_word(std::string_view word, std::vector<int32_t>& out) const {
  if (vocab_.ignore_merges) {
    std::string mapped;
    for (char c : word) utf8_append(mapped, byte_to_cp(static_cast<uint8_t>(c)));
    if (const int32_t id = vocab_.find(mapped); id >= 0) {
      out.push_back(id);
      return;
    }
  }
  std::vector<Symbol> syms;
  syms.reserve(word.size());
  for (size_t i = 0; i < word.size(); ++i) {
    const int idx = static_cast<int>(i);
    syms.push_back({byte_tokens_[static_cast<unsigned char>(word[i])], idx - 1,
                    i + 1 == word.size() ? -1 : idx + 1, 1});
  }
  std::priority_queue<Bigram, std::vector<Bigram>, BigramLess> queue;
  auto try_add = [&](int l, int r) {
    if (l < 0 || r < 0) return;
    const Symbol& a = syms[static_cast<size_t>(l)];
    const Symbol& b = syms[static_cast<size_t>(r)];
    if (a.id < 0 || b.id < 0) return;
    if (const Merge* m = find_merge(a.id, b.id)) queue.push({m->rank, l, r, a.n + b.n});
  };
  for (int i = 1; i < static_cast<int>(syms.size()); ++i) try_add(i - 1, i);
  while (!queue.empty()) {
    const Bigram bg = queue.top();
    queue.pop();
    Symbol& l = syms[static_cast<size_t>(bg.left)];
    Symbol& r = syms[static_cast<size_t>(bg.right)];
    if (l.n == 0 || r.n == 0 || l.n + r.n != bg.size) continue;  // stale pair
    l.id = find_merge(l.id, r.id)->result;
    l.n += r.n;
    r.n = 0;
    l.next = r.next;
    if (r.next >= 0) syms[static_cast<size_t>(r.next)].prev = bg.left;
    try_add(l.prev, bg.left);
    try_add(bg.left, l.next);
  }
  for (const Symbol& s : syms) {
    if (s.n > 0 && s.id >= 0) out.push_back(s.id);
  }
}

void BpeTokenizer::encode_fragment(std::string_view text, bool /*after_special*/,
                                   std::vector<int32_t>& out) const {
  std::vector<ByteSpan> words;
  pretokenize(pre_, text, words);
  for (const ByteSpan& w : words) encode_word(text.substr(w.begin, w.end - w.begin), out);
}

std::string BpeTokenizer::normal_token_text(int32_t id) const {
  const std::string& t = vocab_.tokens[static_cast<size_t>(id)];
  std::string out;
  out.reserve(t.size());
  for (size_t pos = 0; pos < t.size();) {
    const size_t start = pos;
    const int b = cp_to_byte(utf8_decode(t, pos));
    if (b >= 0) {
      out += static_cast<char>(b);
    } else {
      out.append(t, start, pos - start);  // not a byte stand-in: keep as written
    }
  }
  return out;
}

}  // namespace trove
