// generate/pretokenize.cc — the pre-tokenizer scanners.
//
// The scanners mirror llama.cpp's unicode_regex_split_custom_gpt2/_llama3 step for
// step, including their readings of look-ahead at the end of a word (a position past
// the end has no flags at all), because the reference token ids depend on them.
#include "generate/pretokenize.h"

#include <array>
#include <cstdint>

#include "generate/unicode_props.h"

namespace trove {
namespace {

constexpr uint32_t kOutOfRange = 0xFFFFFFFF;

// The decoded text: code points, their flags, and where each starts in the bytes.
struct CpText {
  std::vector<uint32_t> cps;
  std::vector<CpFlags> flags;
  std::vector<size_t> byte_at;  // size cps.size() + 1

  explicit CpText(std::string_view text) {
    cps.reserve(text.size());
    byte_at.reserve(text.size() + 1);
    for (size_t pos = 0; pos < text.size();) {
      byte_at.push_back(pos);
      cps.push_back(utf8_decode(text, pos));
    }
    byte_at.push_back(text.size());
    flags.reserve(cps.size());
    for (uint32_t cp : cps) flags.push_back(cp_flags(cp));
  }
};

struct CpRange {
  size_t begin, end;  // code point indices
};

// Emits pieces of one range; `prev` is where the next piece starts.
class PieceSink {
 public:
  PieceSink(std::vector<CpRange>& out, size_t begin) : out_(out), prev_(begin) {}
  size_t add(size_t end) {
    const size_t len = end - prev_;
    if (len > 0) out_.push_back({prev_, end});
    prev_ = end;
    return len;
  }

 private:
  std::vector<CpRange>& out_;
  size_t prev_;
};

// Look-ups bounded to one range: outside it there is no code point and no flag.
struct Window {
  const CpText& t;
  size_t ini, end;
  uint32_t cpt(size_t p) const { return (p >= ini && p < end) ? t.cps[p] : kOutOfRange; }
  CpFlags fl(size_t p) const { return (p >= ini && p < end) ? t.flags[p] : CpFlags{}; }
};

bool is_nl(uint32_t c) {
  return c == '\r' || c == '\n';
}
bool is_other(const CpFlags& f) {
  return f.present && !(f.space || f.letter || f.number);
}

// 's|'t|'re|'ve|'m|'ll|'d (optionally case-insensitive); returns the match length.
size_t contraction_len(const Window& w, size_t pos, bool ignore_case) {
  if (w.cpt(pos) != '\'' || pos + 1 >= w.end) return 0;
  auto low = [&](size_t p) { return ignore_case ? cp_to_lower(w.cpt(p)) : w.cpt(p); };
  const uint32_t c1 = low(pos + 1);
  if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return 2;
  if (pos + 2 >= w.end) return 0;
  const uint32_t c2 = low(pos + 2);
  if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return 3;
  return 0;
}

// \s+(?!\S)|\s+ once no other alternative matched at `pos`.
size_t trailing_space_end(const Window& w, size_t pos) {
  size_t n = 0;
  while (w.fl(pos + n).space) ++n;
  if (n > 1 && w.cpt(pos + n) != kOutOfRange) return pos + n - 1;
  if (n > 0) return pos + n;
  return pos + 1;  // no alternative matched: a piece of one code point
}

void split_gpt2(const CpText& t, CpRange r, std::vector<CpRange>& out) {
  const Window w{t, r.begin, r.end};
  PieceSink sink(out, r.begin);
  for (size_t pos = r.begin; pos < r.end;) {
    const uint32_t cpt = w.cpt(pos);
    if (size_t n = contraction_len(w, pos, false)) {
      pos += sink.add(pos + n);
      continue;
    }
    CpFlags f2 = cpt == ' ' ? w.fl(pos + 1) : w.fl(pos);
    if (f2.letter || f2.number || is_other(f2)) {  // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+'
      const bool letter = f2.letter, number = f2.number;
      auto same = [&](const CpFlags& f) {
        return letter ? f.letter : number ? f.number : is_other(f);
      };
      pos += (cpt == ' ');
      while (same(f2)) f2 = w.fl(++pos);
      sink.add(pos);
      continue;
    }
    pos = trailing_space_end(w, pos);
    sink.add(pos);
  }
}

void split_llama3(const CpText& t, CpRange r, size_t max_digits, std::vector<CpRange>& out) {
  const Window w{t, r.begin, r.end};
  PieceSink sink(out, r.begin);
  for (size_t pos = r.begin; pos < r.end;) {
    const uint32_t cpt = w.cpt(pos);
    const CpFlags flags = w.fl(pos);
    if (size_t n = contraction_len(w, pos, true)) {
      pos += sink.add(pos + n);
      continue;
    }
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if (!(is_nl(cpt) || flags.number) && (flags.letter || w.fl(pos + 1).letter)) {
      ++pos;
      while (w.fl(pos).letter) ++pos;
      sink.add(pos);
      continue;
    }
    // \p{N}{1,max_digits}
    if (flags.number) {
      size_t ini = pos;
      while (w.fl(pos).number) {
        if (++pos - ini >= max_digits) {
          sink.add(pos);
          ini = pos;
        }
      }
      sink.add(pos);
      continue;
    }
    // ' ?[^\s\p{L}\p{N}]+[\r\n]*' (llama.cpp tests the unshifted flags for presence)
    CpFlags f2 = cpt == ' ' ? w.fl(pos + 1) : flags;
    if (!(f2.space || f2.letter || f2.number) && flags.present) {
      pos += (cpt == ' ');
      while (is_other(f2)) f2 = w.fl(++pos);
      while (is_nl(w.cpt(pos))) ++pos;
      sink.add(pos);
      continue;
    }
    // \s*[\r\n]+ : up to the last newline of the whitespace run
    size_t n = 0, last_nl_end = 0;
    while (w.fl(pos + n).space) {
      if (is_nl(w.cpt(pos + n))) last_nl_end = pos + n + 1;
      ++n;
    }
    pos = last_nl_end > 0 ? last_nl_end : trailing_space_end(w, pos);
    sink.add(pos);
  }
}

// Splits each range into runs where pred holds and the spans between them, as
// llama.cpp's regex split emits both matches and the text between matches.
template <class Pred>
void split_runs(const CpText& t, const std::vector<CpRange>& in, bool single, Pred pred,
                std::vector<CpRange>& out) {
  for (const CpRange& r : in) {
    PieceSink sink(out, r.begin);
    for (size_t pos = r.begin; pos < r.end;) {
      if (!pred(t, pos)) {
        ++pos;
        continue;
      }
      sink.add(pos);
      size_t e = pos + 1;
      while (!single && e < r.end && pred(t, e)) ++e;
      sink.add(e);
      pos = e;
    }
    sink.add(r.end);
  }
}

bool is_ascii_digit(const CpText& t, size_t p) {
  return t.cps[p] >= '0' && t.cps[p] <= '9';
}

// [0-9][0-9][0-9]: three-digit groups from the left; shorter tails stay as text.
void split_digit_triples(const CpText& t, const std::vector<CpRange>& in,
                         std::vector<CpRange>& out) {
  for (const CpRange& r : in) {
    PieceSink sink(out, r.begin);
    for (size_t pos = r.begin; pos < r.end;) {
      if (pos + 3 <= r.end && is_ascii_digit(t, pos) && is_ascii_digit(t, pos + 1) &&
          is_ascii_digit(t, pos + 2)) {
        sink.add(pos);
        pos += 3;
        sink.add(pos);
      } else {
        ++pos;
      }
    }
    sink.add(r.end);
  }
}

void split_default(const CpText& t, std::vector<CpRange>& ranges) {
  auto punct = [](const CpText& tt, size_t p) {
    const uint32_t c = tt.cps[p];
    return tt.flags[p].punct || c == '$' || c == '+' || c == '<' || c == '=' || c == '>' ||
           c == '^' || c == '~' || c == '|';
  };
  std::vector<CpRange> a, b;
  split_runs(t, ranges, false, punct, a);
  for (const CpRange& r : a) split_gpt2(t, r, b);
  a.clear();
  split_runs(
      t, b, false, [](const CpText& tt, size_t p) { return tt.flags[p].number; }, a);
  ranges.clear();
  split_digit_triples(t, a, ranges);
}

}  // namespace

std::optional<PreTokenizer> pretokenizer_from_name(std::string_view pre) {
  static constexpr std::array<std::string_view, 14> gpt2 = {
      "gpt-2",      "phi-2",      "jina-es",    "jina-de",      "gigachat",
      "jina-v1-en", "jina-v2-es", "jina-v2-de", "jina-v2-code", "roberta-bpe",
      "mpt",        "olmo",       "jais",       "poro-chat"};
  static constexpr std::array<std::string_view, 8> llama3 = {
      "llama3", "llama-v3", "llama-bpe", "falcon3", "dbrx", "smaug-bpe", "chatglm-bpe", "tekken"};
  static constexpr std::array<std::string_view, 4> qwen2 = {"qwen2", "deepseek-r1-qwen", "megrez",
                                                            "stablelm2"};
  static constexpr std::array<std::string_view, 7> digits = {
      "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b"};
  auto in = [&](const auto& list) {
    for (auto n : list) {
      if (n == pre) return true;
    }
    return false;
  };
  if (pre.empty() || pre == "default") return PreTokenizer::kDefault;
  if (in(gpt2)) return PreTokenizer::kGpt2;
  if (in(llama3)) return PreTokenizer::kLlama3;
  if (in(qwen2)) return PreTokenizer::kQwen2;
  if (in(digits)) return PreTokenizer::kDigitsThenGpt2;
  return std::nullopt;
}

void pretokenize(PreTokenizer rule, std::string_view text, std::vector<ByteSpan>& out) {
  if (text.empty()) return;
  const CpText t(text);
  std::vector<CpRange> ranges;
  const CpRange all{0, t.cps.size()};
  switch (rule) {
    case PreTokenizer::kGpt2:
      split_gpt2(t, all, ranges);
      break;
    case PreTokenizer::kLlama3:
      split_llama3(t, all, 3, ranges);
      break;
    case PreTokenizer::kQwen2:
      split_llama3(t, all, 1, ranges);
      break;
    case PreTokenizer::kDigitsThenGpt2: {
      std::vector<CpRange> digits;
      split_runs(
          t, {all}, true, [](const CpText& tt, size_t p) { return tt.flags[p].number; }, digits);
      for (const CpRange& r : digits) split_gpt2(t, r, ranges);
      break;
    }
    case PreTokenizer::kDefault: {
      ranges.push_back(all);
      split_default(t, ranges);
      break;
    }
  }
  out.reserve(out.size() + ranges.size());
  for (const CpRange& r : ranges) out.push_back({t.byte_at[r.begin], t.byte_at[r.end]});
}

}  // namespace trove
