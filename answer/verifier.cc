// answer/verifier.cc — see verifier.h.
//
// Per sentence: tokens (claim_tokens.h) → for each cited passage, the few passage
// sentences that share the most of its words, widened by one sentence each side →
// the best local alignment there (claim_alignment.h) → checks on what aligned and
// what did not: coverage, exact terms, swapped terms, negation.
#include "answer/verifier.h"

#include <algorithm>
#include <cstdio>
#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <tuple>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "answer/answer_sentences.h"
#include "answer/claim_alignment.h"
#include "answer/claim_tokens.h"
#include "answer/claim_words.h"
#include "answer/stemmer.h"
#include "core/str_cat.h"

namespace trove::answer {
namespace {

constexpr size_t kClaimPiece = 64;        // longer sentences are checked piece by piece
constexpr size_t kCandidateSentences = 4;  // passage sentences tried per claim
constexpr size_t kMaxPositions = 4096;     // occurrences of one key looked at
constexpr size_t kWrongSourceCandidates = 6;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

uint64_t char_offset(std::string_view text, size_t byte) {
  uint64_t n = 0;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

struct PreparedSource {
  const SourcePassage* source = nullptr;
  TokenizedText tt;
  std::unordered_map<std::string, std::vector<uint32_t>> positions;  // key → token indices
  std::unordered_set<std::string> numbers;  // every number key, inside atoms too
  std::unordered_set<std::string> stems;    // every word stem, inside atoms too
  std::set<std::pair<std::string, std::string>> number_units;
  std::unordered_set<std::string> units;    // units that follow some number
  std::unordered_set<std::string> label_stems;  // the words of its label (the document's path)
  std::string lower;                        // for atom lookups
  std::vector<std::pair<uint32_t, uint32_t>> negated_runs;  // [begin, end) token runs under a negation
};

PreparedSource prepare(const SourcePassage& s, Stemmer& stemmer) {
  PreparedSource p;
  p.source = &s;
  p.tt = tokenize_for_claims(s.text, stemmer);
  for (uint32_t i = 0; i < p.tt.tokens.size(); ++i) {
    const ClaimToken& t = p.tt.tokens[i];
    auto& v = p.positions[t.key];
    if (v.size() < kMaxPositions) v.push_back(i);
    if (!t.alt_key.empty()) {
      auto& alt = p.positions[t.alt_key];
      if (alt.size() < kMaxPositions) alt.push_back(i);
    }
    if (t.kind == TokenKind::kNumber) p.numbers.insert(t.key);
    if (t.kind == TokenKind::kWord) p.stems.insert(t.key);
  }
  for (const auto& n : p.tt.side_numbers) p.numbers.insert(n);
  for (const auto& w : p.tt.side_words) p.stems.insert(stemmer.stem(w));
  for (const auto& nu : p.tt.number_units) {
    p.number_units.insert({nu.number, nu.unit});
    p.units.insert(nu.unit);
  }
  p.lower = lower_ascii(s.text);
  // "python3.11-doc/library/base64.html" names Python: a passage need not repeat
  // the product its document is about.
  for (size_t i = 0; i < s.label.size();) {
    size_t j = i;
    while (j < s.label.size() && std::isalpha(static_cast<unsigned char>(s.label[j]))) ++j;
    if (j - i >= 2) p.label_stems.insert(stemmer.stem(lower_ascii(std::string_view(s.label).substr(i, j - i))));
    i = j == i ? i + 1 : j;
  }
  for (uint32_t i = 0; i < p.tt.tokens.size();) {
    if (!p.tt.tokens[i].negated) {
      ++i;
      continue;
    }
    uint32_t j = i;
    while (j < p.tt.tokens.size() && p.tt.tokens[j].negated && p.tt.tokens[j].sentence == p.tt.tokens[i].sentence) ++j;
    p.negated_runs.emplace_back(i, j);
    i = j;
  }
  return p;
}

bool is_word_byte(unsigned char c) { return std::isalnum(c) != 0 || c == '_' || c >= 0x80; }

// Whole-term search: the match may not continue a longer word on either side.
bool contains_term(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return false;
  for (size_t at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, at + 1)) {
    bool left_ok = at == 0 || !is_word_byte(static_cast<unsigned char>(hay[at - 1])) ||
                   !is_word_byte(static_cast<unsigned char>(needle.front()));
    size_t after = at + needle.size();
    bool right_ok = after >= hay.size() || !is_word_byte(static_cast<unsigned char>(hay[after])) ||
                    !is_word_byte(static_cast<unsigned char>(needle.back()));
    if (left_ok && right_ok) return true;
  }
  return false;
}

// "recursive=True" in prose is a setting written as code: found when its names and
// value are all in one sentence of the passage ("if recursive is true").
bool assignment_in(std::string_view needle, const PreparedSource& p) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < needle.size()) {
    if (!is_word_byte(static_cast<unsigned char>(needle[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < needle.size() && is_word_byte(static_cast<unsigned char>(needle[j]))) ++j;
    parts.emplace_back(needle.substr(i, j - i));
    i = j;
  }
  if (parts.size() < 2) return false;
  for (const TextSpan& s : p.tt.sentences) {
    std::string_view sentence = std::string_view(p.lower).substr(s.begin, s.end - s.begin);
    if (std::all_of(parts.begin(), parts.end(), [&](const std::string& w) { return contains_term(sentence, w); })) {
      return true;
    }
  }
  return false;
}

bool atom_in(const Atom& a, const PreparedSource& p) {
  if (a.flag) return contains_term(p.source->text, a.text);
  std::string needle = lower_ascii(a.text);
  if (contains_term(p.lower, needle)) return true;
  if (needle.find('=') != std::string::npos && assignment_in(needle, p)) return true;
  // Quoted or bracketed literals may be written with other punctuation around them.
  if (size_t dot = needle.rfind('.'); dot != std::string::npos && dot + 1 < needle.size() &&
                                      std::isalpha(static_cast<unsigned char>(needle[dot + 1]))) {
    std::string last = needle.substr(dot + 1);
    bool identifier = std::all_of(last.begin(), last.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
    if (identifier && last.size() >= 4 && contains_term(p.lower, last)) return true;  // heapq.heappop → heappop
  }
  return false;
}

// One claim (or piece of one) against one passage: the primary alignment, and a
// second one over the words the first left out (a sentence that joins two facts
// of the passage), kept only when it matches at least two words.
struct SourceMatch {
  const PreparedSource* prepared = nullptr;
  Alignment alignment;
  Alignment extra;
  int32_t first_sentence = 0, last_sentence = -1;  // passage sentences the alignments touch
  // Claim tokens that the passage has elsewhere but, in the aligned window, holds
  // another term in their place (see find_swaps).
  std::vector<uint32_t> swaps;
};

Alignment best_alignment(const std::vector<ClaimToken>& claim, size_t cb, size_t ce, const PreparedSource& p) {
  Alignment best;
  // Passage sentences ranked by how many distinct claim keys they contain.
  std::unordered_map<int32_t, std::set<std::string_view>> hits;
  for (size_t i = cb; i < ce; ++i) {
    for (const std::string* key : {&claim[i].key, &claim[i].alt_key}) {
      auto it = key->empty() ? p.positions.end() : p.positions.find(*key);
      if (it == p.positions.end()) continue;
      for (uint32_t pos : it->second) hits[p.tt.tokens[pos].sentence].insert(claim[i].key);
    }
  }
  if (hits.empty()) return best;
  std::vector<std::pair<size_t, int32_t>> ranked;
  ranked.reserve(hits.size());
  for (const auto& [s, keys] : hits) ranked.emplace_back(keys.size(), s);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (ranked.size() > kCandidateSentences) ranked.resize(kCandidateSentences);
  // Regions of sentences [s-1, s+1], merged, as token ranges.
  std::vector<std::pair<int32_t, int32_t>> regions;
  regions.reserve(ranked.size());
  for (const auto& r : ranked) regions.emplace_back(std::max(0, r.second - 1), r.second + 1);
  std::sort(regions.begin(), regions.end());
  std::vector<std::pair<int32_t, int32_t>> merged;
  for (const auto& r : regions) {
    if (!merged.empty() && r.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  const auto& toks = p.tt.tokens;
  for (const auto& [s0, s1] : merged) {
    auto lo = std::lower_bound(toks.begin(), toks.end(), s0,
                               [](const ClaimToken& t, int32_t s) { return t.sentence < s; });
    auto hi = std::upper_bound(toks.begin(), toks.end(), s1,
                               [](int32_t s, const ClaimToken& t) { return s < t.sentence; });
    Alignment a = align_claim(claim, cb, ce, toks, static_cast<size_t>(lo - toks.begin()),
                              static_cast<size_t>(hi - toks.begin()));
    if (a.score > best.score) best = std::move(a);
  }
  return best;
}

bool key_in_sentences(const PreparedSource& p, const std::string& key, int32_t s0, int32_t s1) {
  auto it = p.positions.find(key);
  if (it == p.positions.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](uint32_t pos) {
    int32_t s = p.tt.tokens[pos].sentence;
    return s >= s0 && s <= s1;
  });
}

std::pair<int32_t, int32_t> sentence_span(const Alignment& a, const PreparedSource& p) {
  std::pair<int32_t, int32_t> span{0, -1};
  for (const auto* list : {&a.pairs, &a.substitutions}) {
    for (const auto& pr : *list) {
      int32_t s = p.tt.tokens[pr.second].sentence;
      if (span.second < span.first) {
        span = {s, s};
      } else {
        span = {std::min(span.first, s), std::max(span.second, s)};
      }
    }
  }
  return span;
}

// Does the passage have claim tokens i-1, i side by side somewhere?
bool passage_has_bigram(const std::vector<ClaimToken>& claim, size_t i, const PreparedSource& p) {
  if (i == 0) return false;
  auto it = p.positions.find(claim[i].key);
  if (it == p.positions.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](uint32_t pos) {
    return pos > 0 && p.tt.tokens[pos - 1].key == claim[i - 1].key;
  });
}

// A substitution: claim token `i` is unmatched, the passage has it only outside the
// aligned stretch, and the stretch holds something else at its place: aligned against
// a term of the same class (a substitution of the DP), or — for a token that follows
// a match — in the gap of at most kSwapGap tokens after that match. There a token
// counts only when it is an exact term (number, flag, identifier) or the passage uses
// it after the same word as the sentence does ("git stash apply" borrowed for "git
// stash push"); the first words of a sentence are its own framing ("Run", "Check")
// and never count.
constexpr size_t kSwapGap = 3;
std::vector<uint32_t> find_swaps(const std::vector<ClaimToken>& claim, size_t cb, size_t ce,
                                 const Alignment& a, const PreparedSource& p) {
  std::vector<uint32_t> out;
  if (a.pairs.empty()) return out;
  // The aligned stretch of the passage, token to token: a term the passage has
  // just before it ("a :memory: database must remain in memory, whereas parts of a
  // temporary database might be flushed") is still elsewhere.
  uint32_t t0 = a.pairs.front().second, t1 = a.pairs.back().second;
  if (!a.substitutions.empty()) {
    t0 = std::min(t0, a.substitutions.front().second);
    t1 = std::max(t1, a.substitutions.back().second);
  }
  std::vector<bool> matched(ce, false);
  for (const auto& pr : a.pairs) matched[pr.first] = true;
  const auto& toks = p.tt.tokens;
  auto in_stretch = [&](const std::string& key) {
    auto it = p.positions.find(key);
    return it != p.positions.end() &&
           std::any_of(it->second.begin(), it->second.end(), [&](uint32_t pos) { return pos >= t0 && pos <= t1; });
  };
  for (size_t i = cb; i < ce; ++i) {
    if (matched[i] || in_stretch(claim[i].key)) continue;
    bool substituted = std::any_of(a.substitutions.begin(), a.substitutions.end(),
                                   [&](const auto& pr) { return pr.first == i; });
    if (substituted) {
      out.push_back(static_cast<uint32_t>(i));
      continue;
    }
    if (!p.positions.count(claim[i].key)) continue;
    if (i == cb || !matched[i - 1]) continue;
    // Names are too often the sentence's own subject ("and SQLite creates it") to
    // count here; a name counts only as a substitution for another name.
    bool exact_term = claim[i].kind != TokenKind::kWord;
    if (!exact_term && !passage_has_bigram(claim, i, p)) continue;
    auto prev = std::find_if(a.pairs.begin(), a.pairs.end(), [&](const auto& pr) { return pr.first == i - 1; });
    size_t gb = prev->second + 1, ge = gb;
    while (ge < toks.size() && toks[ge].sentence == toks[gb - 1].sentence && ge - gb < kSwapGap) ++ge;
    auto next = std::lower_bound(a.pairs.begin(), a.pairs.end(), std::make_pair(static_cast<uint32_t>(i), 0u));
    if (next != a.pairs.end()) ge = std::min<size_t>(ge, next->second);
    // A number is displaced only by another number: "exit code 125" against "exits
    // with this code, the current revision" is a reference to it, not a swap.
    if (claim[i].kind == TokenKind::kNumber && !std::any_of(toks.begin() + static_cast<std::ptrdiff_t>(gb),
                                   toks.begin() + static_cast<std::ptrdiff_t>(std::max(gb, ge)),
                                   [&](const ClaimToken& t) { return substitutable(claim[i], t); })) {
      continue;
    }
    if (ge > gb) out.push_back(static_cast<uint32_t>(i));
  }
  return out;
}

SourceMatch match_source(const TokenizedText& claim, size_t cb, size_t ce, const PreparedSource& p) {
  SourceMatch out;
  out.prepared = &p;
  out.alignment = best_alignment(claim.tokens, cb, ce, p);
  out.swaps = find_swaps(claim.tokens, cb, ce, out.alignment, p);
  // The second alignment may not pick up a swapped term: that would join the
  // sentence's term to a part of the passage about something else.
  std::vector<bool> used(ce - cb, false);
  for (const auto& pr : out.alignment.pairs) used[pr.first - cb] = true;
  for (uint32_t i : out.swaps) used[i - cb] = true;
  std::vector<ClaimToken> rest;
  std::vector<uint32_t> back;
  for (size_t i = cb; i < ce; ++i) {
    if (used[i - cb]) continue;
    rest.push_back(claim.tokens[i]);
    back.push_back(static_cast<uint32_t>(i));
  }
  if (rest.size() >= 2 && !out.alignment.pairs.empty()) {
    Alignment extra = best_alignment(rest, 0, rest.size(), p);
    if (extra.pairs.size() >= 2) {
      for (auto& pr : extra.pairs) pr.first = back[pr.first];
      extra.substitutions.clear();
      out.extra = std::move(extra);
    }
  }
  auto a = sentence_span(out.alignment, p), b = sentence_span(out.extra, p);
  if (b.second < b.first) {
    std::tie(out.first_sentence, out.last_sentence) = a;
  } else if (a.second < a.first) {
    std::tie(out.first_sentence, out.last_sentence) = b;
  } else {
    out.first_sentence = std::min(a.first, b.first);
    out.last_sentence = std::max(a.second, b.second);
  }
  return out;
}

std::string claim_word(std::string_view claim_text, const ClaimToken& t) {
  if (t.end > claim_text.size() || t.begin >= t.end) return "";
  return std::string(claim_text.substr(t.begin, t.end - t.begin));
}

bool names_a_thing(const ClaimToken& t) {
  return t.kind == TokenKind::kIdent || t.kind == TokenKind::kFlag || (t.kind == TokenKind::kWord && t.name);
}

// A term borrowed from another sentence of the passage: the sentence's words align
// with one passage sentence, but its name or identifier is only elsewhere in the
// passage, while the aligned sentence holds a term of the same class the sentence
// does not have — "incorrectly padded raises a ValueError" against "a binascii.Error
// is raised if s is incorrectly padded … raise a ValueError if the length of altchars
// is not 2". Order-free, so passive and active voice are alike. The topic is never
// borrowed (words of the question, the product the document's path names); only one
// cited source, and only a term inside or just after the aligned part of the sentence
// (a term before it is the sentence's subject).
bool is_topic(const ClaimToken& t, const PreparedSource& p, const std::unordered_set<std::string>& question_stems) {
  return question_stems.count(t.key) > 0 || p.label_stems.count(t.key) > 0;
}

std::string borrowed_term(std::string_view claim_text, const TokenizedText& claim, size_t cb, size_t ce,
                          const std::vector<SourceMatch>& matches,
                          const std::unordered_set<std::string>& question_stems) {
  // With [1] [2] each source speaks for its own half.
  if (matches.size() != 1) return "";
  const SourceMatch& m = matches.front();
  const PreparedSource& p = *m.prepared;
  auto [s0, s1] = sentence_span(m.alignment, p);
  if (s1 < s0 || m.alignment.pairs.size() < 2) return "";
  std::set<std::string_view> claim_keys;
  for (size_t i = cb; i < ce; ++i) claim_keys.insert(claim.tokens[i].key);
  constexpr uint32_t kNear = 2;  // claim tokens just after the aligned part
  const uint32_t c0 = m.alignment.pairs.front().first, c1 = m.alignment.pairs.back().first;
  std::vector<bool> paired(ce, false);
  for (const auto& pr : m.alignment.pairs) paired[pr.first] = true;
  const auto& toks = p.tt.tokens;
  auto lo = std::lower_bound(toks.begin(), toks.end(), s0, [](const ClaimToken& t, int32_t s) { return t.sentence < s; });
  for (uint32_t ci = c0; ci < ce && ci <= c1 + kNear; ++ci) {
    const ClaimToken& c = claim.tokens[ci];
    if (paired[ci] || !names_a_thing(c) || is_topic(c, p, question_stems)) continue;
    if (!p.positions.count(c.key) || key_in_sentences(p, c.key, s0, s1)) continue;
    for (auto it = lo; it != toks.end() && it->sentence <= s1; ++it) {
      if (!claim_keys.count(it->key) && substitutable(c, *it) && !is_topic(*it, p, question_stems)) {
        return "[" + std::to_string(p.source->n) + "] has another term where the sentence has \"" +
               claim_word(claim_text, c) + "\"";
      }
    }
  }
  return "";
}

// The sentence denies word `ci`, and a cited passage denies it too, in one scope
// with at least one more of the words of the sentence's same denial: the denial is
// the passage's, even if the alignment (word order differs: "By default Docker does
// not restart it" against "Do not restart it. This is the default.") placed the
// word in a positive statement.
bool denial_stated(const TokenizedText& claim, size_t cb, size_t ce, uint32_t ci,
                   const std::vector<const PreparedSource*>& cited) {
  // The other words of the same denial (the claim's negation scope around it).
  const int32_t scope = claim.tokens[ci].scope;
  std::set<std::string_view> denied;
  for (size_t i = cb; i < ce; ++i) {
    if (claim.tokens[i].negated && claim.tokens[i].scope == scope) denied.insert(claim.tokens[i].key);
  }
  if (scope < 0 || denied.size() < 2) return false;
  for (const PreparedSource* p : cited) {
    auto it = p->positions.find(claim.tokens[ci].key);
    if (it == p->positions.end()) continue;
    for (uint32_t pos : it->second) {
      const ClaimToken& at = p->tt.tokens[pos];
      if (!at.negated || at.scope < 0) continue;
      std::set<std::string_view> also;
      for (const auto& [rb, re] : p->negated_runs) {
        if (pos < rb || pos >= re) continue;
        for (uint32_t k = rb; k < re; ++k) {
          const ClaimToken& t = p->tt.tokens[k];
          if (t.scope == at.scope && denied.count(t.key)) also.insert(t.key);
        }
      }
      if (also.size() >= 2) return true;
    }
  }
  return false;
}

std::string lower_word(std::string_view text, const ClaimToken& t) {
  return t.end <= text.size() && t.begin < t.end ? lower_ascii(text.substr(t.begin, t.end - t.begin)) : "";
}

// A unit the passage never uses, where the aligned sentences use another unit of the
// same dimension that the sentence does not.
std::string wrong_unit(std::string_view claim_text, const TokenizedText& claim, size_t cb, size_t ce,
                       const std::vector<SourceMatch>& matches) {
  std::set<std::string> claim_units;
  for (size_t i = cb; i < ce; ++i) claim_units.insert(lower_word(claim_text, claim.tokens[i]));
  for (size_t i = cb; i < ce; ++i) {
    const ClaimToken& c = claim.tokens[i];
    const std::string unit = lower_word(claim_text, c);
    const UnitDimension dim = unit_dimension(unit);
    if (c.kind != TokenKind::kWord || dim == UnitDimension::kNone) continue;
    bool anywhere = std::any_of(matches.begin(), matches.end(),
                                [&](const SourceMatch& m) { return m.prepared->stems.count(c.key) > 0; });
    if (anywhere) continue;
    for (const SourceMatch& m : matches) {
      const std::string& text = m.prepared->source->text;
      for (const auto& t : m.prepared->tt.tokens) {
        if (t.sentence < m.first_sentence || t.sentence > m.last_sentence) continue;
        const std::string other = lower_word(text, t);
        if (unit_dimension(other) == dim && !claim_units.count(other)) {
          return str_cat(
              {"[", std::to_string(m.prepared->source->n), "] gives ", other, ", not ", unit});
        }
      }
    }
  }
  return "";
}

struct Decision {
  Verdict verdict = Verdict::kSupported;
  UnsupportedKind kind = UnsupportedKind::kNone;
  std::string reason;
  double coverage = 0;
  std::vector<SourceMatch> matches;
};


std::string cite_list(const std::vector<const PreparedSource*>& cited) {
  std::string s;
  for (const auto* p : cited) s += "[" + std::to_string(p->source->n) + "]";
  return s;
}

Decision decide(std::string_view claim_text, const TokenizedText& claim, size_t cb, size_t ce,
                const std::vector<const PreparedSource*>& cited,
                const std::unordered_set<std::string>& question_stems, const VerifyOptions& opt) {
  Decision d;
  std::set<std::string_view> keys;
  for (size_t i = cb; i < ce; ++i) keys.insert(claim.tokens[i].key);
  std::vector<bool> matched(ce, false);
  std::set<std::string_view> covered;
  int negation_flips = 0, negated_agree = 0;
  std::string flipped_word;
  for (const PreparedSource* p : cited) d.matches.push_back(match_source(claim, cb, ce, *p));
  // Negation is judged on the primary alignments only (the second pass is loose),
  // and a word once per sentence, by the best-aligned source that has it: in a
  // sentence citing [1] [2] each source speaks for its own half.
  std::vector<const SourceMatch*> by_score;
  for (const SourceMatch& m : d.matches) by_score.push_back(&m);
  std::stable_sort(by_score.begin(), by_score.end(), [](const SourceMatch* a, const SourceMatch* b) {
    return a->alignment.score > b->alignment.score;
  });
  std::vector<bool> judged(ce, false);
  for (const SourceMatch* m : by_score) {
    for (const Alignment* a : {&m->alignment, &m->extra}) {
      for (const auto& [ci, pi] : a->pairs) {
        matched[ci] = true;
        covered.insert(claim.tokens[ci].key);
      }
    }
    for (const auto& [ci, pi] : m->alignment.pairs) {
      if (judged[ci]) continue;
      judged[ci] = true;
      const ClaimToken& c = claim.tokens[ci];
      const ClaimToken& q = m->prepared->tt.tokens[pi];
      bool c_neg = c.negated != matched_by_prefix_negation(c, q);
      if (c_neg != q.negated) {
        if (c_neg && denial_stated(claim, cb, ce, ci, cited)) {
          ++negated_agree;
          continue;
        }
        ++negation_flips;
        if (flipped_word.empty()) flipped_word = claim_word(claim_text, c);
      } else if (q.negated) {
        ++negated_agree;
      }
    }
  }
#ifdef TROVE_VERIFY_DEBUG
  for (const SourceMatch& m : d.matches) {
    const PreparedSource* p = m.prepared;
    std::string line = "  [" + std::to_string(p->source->n) + "] s" + std::to_string(m.first_sentence) + "-" +
                       std::to_string(m.last_sentence) + ":";
    for (const Alignment* a : {&m.alignment, &m.extra}) {
      for (const auto& [ci, pi] : a->substitutions) line += " ~" + claim.tokens[ci].key + "~" + p->tt.tokens[pi].key;
      for (uint32_t ci : m.swaps) line += " swap:" + claim.tokens[ci].key;
      for (const auto& [ci, pi] : a->pairs) {
        line += " " + claim.tokens[ci].key + (claim.tokens[ci].negated ? "-" : "") + "=" +
                (p->tt.tokens[pi].negated ? "-" : "") + std::to_string(pi);
      }
      line += " |";
    }
    std::fprintf(stderr, "%s flips=%d agree=%d\n", line.c_str(), negation_flips, negated_agree);
  }
#endif
  // A word the window holds but the alignment skipped (paraphrases reorder) still counts.
  std::vector<bool> in_window(ce, false);
  for (size_t i = cb; i < ce; ++i) {
    if (matched[i]) continue;
    for (const SourceMatch& m : d.matches) {
      if (m.last_sentence >= m.first_sentence &&
          key_in_sentences(*m.prepared, claim.tokens[i].key, m.first_sentence, m.last_sentence)) {
        in_window[i] = true;
        covered.insert(claim.tokens[i].key);
      }
    }
  }
  d.coverage = keys.empty() ? 0.0 : static_cast<double>(covered.size()) / static_cast<double>(keys.size());
  auto unsupported = [&](UnsupportedKind k, std::string why) {
    d.verdict = Verdict::kUnsupported;
    d.kind = k;
    d.reason = std::move(why);
    return d;
  };
  std::string where = cite_list(cited);
  if (keys.empty()) return unsupported(UnsupportedKind::kUnrelated, "the sentence has no words to check");
  if (d.coverage < opt.unrelated_below) {
    std::string missing;
    for (size_t i = cb; i < ce; ++i) {
      if (covered.count(claim.tokens[i].key)) continue;
      std::string w = claim_word(claim_text, claim.tokens[i]);
      if (missing.find(w) != std::string::npos) continue;
      if (!missing.empty()) missing += ", ";
      missing += w;
      if (missing.size() > 60) break;
    }
    return unsupported(UnsupportedKind::kUnrelated, where + " does not mention: " + missing);
  }
  auto in_any = [&](auto pred) {
    return std::any_of(cited.begin(), cited.end(), [&](const PreparedSource* p) { return pred(*p); });
  };
  // Exact terms: numbers and units.
  for (size_t i = cb; i < ce; ++i) {
    const ClaimToken& t = claim.tokens[i];
    if (t.kind == TokenKind::kNumber && !in_any([&](const PreparedSource& p) { return p.numbers.count(t.key) > 0; })) {
      return unsupported(UnsupportedKind::kWrongNumber, "\"" + claim_word(claim_text, t) + "\" is not in " + where);
    }
  }
  for (const auto& nu : claim.number_units) {
    // The unit is compared when the passage gives this number with a unit, or uses
    // this unit after some number: "700 bytes" is not "700 KB".
    bool unit_known = in_any([&](const PreparedSource& p) {
      if (p.units.count(nu.unit) > 0) return true;
      auto it = p.number_units.lower_bound({nu.number, std::string()});
      return it != p.number_units.end() && it->first == nu.number;
    });
    bool pair_known = in_any([&](const PreparedSource& p) { return p.number_units.count({nu.number, nu.unit}) > 0; });
    if (unit_known && !pair_known) {
      return unsupported(UnsupportedKind::kWrongNumber,
                         where + " gives no " + nu.number.substr(2) + " " + nu.unit);
    }
  }
  // Units without a number: "returns the memory in kilobytes" where the window says bytes.
  if (std::string wrong = wrong_unit(claim_text, claim, cb, ce, d.matches); !wrong.empty()) {
    return unsupported(UnsupportedKind::kWrongNumber, wrong);
  }
  // Swapped terms: a term of the passage put where, in the window, the passage has another.
  std::string swap_entity = borrowed_term(claim_text, claim, cb, ce, d.matches, question_stems);
  for (const SourceMatch& m : d.matches) {
    for (uint32_t i : m.swaps) {
      if (matched[i]) continue;
      // The topic — the question's words, the product the document's path names — is
      // what the answer repeats ("SQLite"), not a term put in another's place.
      if (claim.tokens[i].kind == TokenKind::kWord && is_topic(claim.tokens[i], *m.prepared, question_stems)) continue;
      std::string w = claim_word(claim_text, claim.tokens[i]);
      const std::string n = str_cat({"[", std::to_string(m.prepared->source->n), "]"});
      if (claim.tokens[i].kind == TokenKind::kNumber) {
        return unsupported(UnsupportedKind::kWrongNumber,
                           str_cat({n, " has another number where the sentence has \"", w, "\""}));
      }
      if (swap_entity.empty())
        swap_entity = str_cat({n, " has another term where the sentence has \"", w, "\""});
    }
  }
  // Exact terms: flags, paths, identifiers, names.
  uint32_t piece_begin = claim.tokens[cb].begin;
  uint32_t piece_end = ce < claim.tokens.size() ? claim.tokens[ce].begin : UINT32_MAX;
  for (const Atom& a : claim.atoms) {
    if (a.begin < piece_begin || a.begin >= piece_end) continue;
    if (!in_any([&](const PreparedSource& p) { return atom_in(a, p); })) {
      return unsupported(UnsupportedKind::kWrongEntity, "\"" + a.text + "\" is not in " + where);
    }
  }
  for (size_t i = cb; i < ce; ++i) {
    const ClaimToken& t = claim.tokens[i];
    if (!t.name || question_stems.count(t.key)) continue;
    if (!in_any([&](const PreparedSource& p) { return p.stems.count(t.key) > 0 || p.label_stems.count(t.key) > 0; })) {
      return unsupported(UnsupportedKind::kWrongEntity, "\"" + claim_word(claim_text, t) + "\" is not in " + where);
    }
  }
  if (!swap_entity.empty()) return unsupported(UnsupportedKind::kWrongEntity, swap_entity);
  // One flipped word in a scope where other words agree is a scope that reached too
  // far ("not set or empty"); a flip that stands alone, or two, is a denial.
  if (negation_flips >= 2 || (negation_flips == 1 && negated_agree == 0)) {
    return unsupported(UnsupportedKind::kNegation,
                       where + " says the opposite about \"" + flipped_word + "\"");
  }
  if (d.coverage < opt.min_coverage) {
    return unsupported(UnsupportedKind::kUnrelated, "too few of its words are in " + where);
  }
  // The words the question did not bring: an answer repeats its topic ("SQLite",
  // "database") everywhere, so support must come from the rest.
  size_t novel = 0, novel_covered = 0;
  for (std::string_view k : keys) {
    if (question_stems.count(std::string(k))) continue;
    ++novel;
    novel_covered += covered.count(k);
  }
  double novel_share = novel == 0 ? 1.0 : static_cast<double>(novel_covered) / static_cast<double>(novel);
#ifdef TROVE_VERIFY_DEBUG
  std::fprintf(stderr, "  novel %zu/%zu = %.2f\n", novel_covered, novel, novel_share);
#endif
  if (novel >= 2 && novel_share < opt.min_new_coverage) {
    return unsupported(UnsupportedKind::kUnrelated, "too few of its words beyond the question are in " + where);
  }
  // A denial the alignment did not reach: the sentence asserts at least two words,
  // and at least half of the words, that the passage says under a negation
  // ("SQLite still opens a disk file" against "no disk file is opened").
  // Only words the primary alignments left free: a word they placed in a positive
  // statement of the passage is accounted for.
  std::vector<bool> placed(ce, false);
  for (const SourceMatch& m : d.matches) {
    for (const auto& pr : m.alignment.pairs) placed[pr.first] = true;
  }
  std::set<std::string_view> asserted;
  for (size_t i = cb; i < ce; ++i) {
    if (!claim.tokens[i].negated && !placed[i]) asserted.insert(claim.tokens[i].key);
  }
  for (const PreparedSource* p : cited) {
    for (const auto& [rb, re] : p->negated_runs) {
      std::set<std::string_view> run_keys, hit;
      for (uint32_t k = rb; k < re; ++k) {
        run_keys.insert(p->tt.tokens[k].key);
        if (asserted.count(p->tt.tokens[k].key)) hit.insert(p->tt.tokens[k].key);
      }
      if (hit.size() >= 2 && hit.size() * 2 >= run_keys.size()) {
        std::string quote = p->source->text.substr(p->tt.tokens[rb].begin, p->tt.tokens[re - 1].end - p->tt.tokens[rb].begin);
        return unsupported(UnsupportedKind::kNegation, "[" + std::to_string(p->source->n) + "] says not: \"" + quote + "\"");
      }
    }
  }
  return d;
}

void add_evidence(const Decision& d, std::vector<Evidence>& out) {
  for (const SourceMatch& m : d.matches) {
    const auto& toks = m.prepared->tt.tokens;
    const std::string& text = m.prepared->source->text;
    const auto& sents = m.prepared->tt.sentences;
    // One span per run of passage sentences that hold aligned words: from the first
    // aligned word to the last, so the quote is the passage's own words.
    size_t k = 0;
    std::vector<std::pair<uint32_t, uint32_t>> pairs = m.alignment.pairs;
    pairs.insert(pairs.end(), m.extra.pairs.begin(), m.extra.pairs.end());
    std::sort(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
    while (k < pairs.size()) {
      uint32_t b = toks[pairs[k].second].begin, e = toks[pairs[k].second].end;
      int32_t s = toks[pairs[k].second].sentence;
      size_t j = k + 1;
      while (j < pairs.size() && toks[pairs[j].second].sentence <= s + 1) {
        e = toks[pairs[j].second].end;
        s = toks[pairs[j].second].sentence;
        ++j;
      }
      (void)sents;
      Evidence ev;
      ev.n = m.prepared->source->n;
      ev.start = char_offset(text, b);
      ev.end = ev.start + char_offset(std::string_view(text).substr(b), e - b);
      ev.quote = text.substr(b, e - b);
      out.push_back(std::move(ev));
      k = j;
    }
  }
}

class Verifier {
 public:
  Verifier(std::string_view question, const std::vector<SourcePassage>& sources, const VerifyOptions& opt)
      : sources_(sources), opt_(opt), prepared_(sources.size()) {
    TokenizedText q = tokenize_for_claims(question, stemmer_);
    for (const auto& t : q.tokens) question_stems_.insert(t.key);
    for (const auto& w : q.side_words) question_stems_.insert(stemmer_.stem(w));
    for (size_t i = 0; i < sources.size(); ++i) by_number_.emplace(sources[i].n, i);
  }

  SentenceCheck check(std::string_view answer, const AnswerSentence& s) {
    SentenceCheck out;
    out.text = std::string(answer.substr(s.begin, s.end - s.begin));
    out.start = char_offset(answer, s.begin);
    out.end = out.start + char_offset(out.text, out.text.size());
    out.citations = s.citations;
    if (s.citations.empty()) {
      out.verdict = Verdict::kUncited;
      return out;
    }
    std::vector<const PreparedSource*> cited;
    std::vector<size_t> cited_index;
    std::string missing;
    for (int64_t n : s.citations) {
      auto it = by_number_.find(n);
      if (it == by_number_.end()) {
        if (!missing.empty()) missing += ", ";
        missing += "[" + std::to_string(n) + "]";
        continue;
      }
      cited.push_back(&get(it->second));
      cited_index.push_back(it->second);
    }
    if (!missing.empty()) {
      out.verdict = Verdict::kUnsupported;
      out.kind = UnsupportedKind::kOutOfRange;
      out.reason = "there is no source " + missing + " (" + std::to_string(sources_.size()) +
                   (sources_.size() == 1 ? " source)" : " sources)");
      return out;
    }
    TokenizedText claim = tokenize_for_claims(s.claim, stemmer_);
    size_t n = claim.tokens.size();
    // Long sentences are checked in pieces; the first piece that fails decides.
    std::vector<Decision> pieces;
    for (size_t cb = 0; cb == 0 || cb < n; cb += kClaimPiece) {
      pieces.push_back(decide(s.claim, claim, cb, std::min(n, cb + kClaimPiece), cited, question_stems_, opt_));
    }
    auto failed = std::find_if(pieces.begin(), pieces.end(),
                               [](const Decision& d) { return d.verdict != Verdict::kSupported; });
    const Decision& worst = failed != pieces.end() ? *failed : pieces.front();
    out.verdict = worst.verdict;
    out.kind = worst.kind;
    out.reason = worst.reason;
    out.coverage = worst.coverage;
    if (out.verdict == Verdict::kUnsupported && n > 0) {
      if (int64_t other = wrong_source(s, claim, cited_index); other != 0) {
        out.kind = UnsupportedKind::kWrongSource;
        out.true_of = other;
        out.reason = "stated in [" + std::to_string(other) + "], not in " + cite_list(cited);
      }
    }
    if (failed == pieces.end()) {
      for (const Decision& d : pieces) add_evidence(d, out.evidence);
    } else {
      add_evidence(worst, out.evidence);
    }
    return out;
  }

 private:
  const PreparedSource& get(size_t i) {
    if (!prepared_[i]) prepared_[i] = std::make_unique<PreparedSource>(prepare(sources_[i], stemmer_));
    return *prepared_[i];
  }

  // The uncited sources that share the most of the claim's words, tried in turn.
  int64_t wrong_source(const AnswerSentence& s, const TokenizedText& claim, const std::vector<size_t>& cited) {
    if (sources_.size() <= cited.size()) return 0;
    build_index();
    std::unordered_map<size_t, size_t> shared;
    std::set<std::string_view> seen;
    for (const auto& t : claim.tokens) {
      if (!seen.insert(t.key).second) continue;
      auto it = postings_.find(t.key);
      if (it == postings_.end()) continue;
      for (size_t src : it->second) ++shared[src];
    }
    std::vector<std::pair<size_t, size_t>> ranked;
    for (const auto& [src, count] : shared) {
      if (std::find(cited.begin(), cited.end(), src) == cited.end()) ranked.emplace_back(count, src);
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (ranked.size() > kWrongSourceCandidates) ranked.resize(kWrongSourceCandidates);
    for (const auto& [count, src] : ranked) {
      std::vector<const PreparedSource*> one = {&get(src)};
      size_t n = std::min(claim.tokens.size(), kClaimPiece);
      Decision d = decide(s.claim, claim, 0, n, one, question_stems_, opt_);
      if (d.verdict == Verdict::kSupported) return sources_[src].n;
    }
    return 0;
  }

  void build_index() {
    if (indexed_) return;
    indexed_ = true;
    for (size_t i = 0; i < sources_.size(); ++i) {
      std::set<std::string_view> keys;
      for (const auto& t : get(i).tt.tokens) keys.insert(t.key);
      for (std::string_view k : keys) {
        auto& v = postings_[std::string(k)];
        if (v.size() < kMaxPositions) v.push_back(i);
      }
    }
  }

  const std::vector<SourcePassage>& sources_;
  VerifyOptions opt_;
  Stemmer stemmer_;
  std::vector<std::unique_ptr<PreparedSource>> prepared_;
  std::unordered_map<int64_t, size_t> by_number_;
  std::unordered_set<std::string> question_stems_;
  std::unordered_map<std::string, std::vector<size_t>> postings_;
  bool indexed_ = false;
};

}  // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kSupported: return "supported";
    case Verdict::kUnsupported: return "unsupported";
    case Verdict::kUncited: return "uncited";
  }
  return "";
}

std::string_view kind_name(UnsupportedKind k) {
  switch (k) {
    case UnsupportedKind::kNone: return "";
    case UnsupportedKind::kWrongNumber: return "wrong-number";
    case UnsupportedKind::kWrongEntity: return "wrong-entity";
    case UnsupportedKind::kNegation: return "negation";
    case UnsupportedKind::kUnrelated: return "unrelated";
    case UnsupportedKind::kWrongSource: return "wrong-source";
    case UnsupportedKind::kOutOfRange: return "out-of-range";
  }
  return "";
}

VerifyReport verify_answer(std::string_view question, std::string_view answer,
                           const std::vector<SourcePassage>& sources, const VerifyOptions& options) {
  VerifyReport report;
  Verifier v(question, sources, options);
  for (const AnswerSentence& s : split_answer(answer)) {
    report.sentences.push_back(v.check(answer, s));
    if (report.sentences.back().verdict == Verdict::kSupported) ++report.supported;
  }
  report.total = static_cast<int>(report.sentences.size());
  return report;
}

struct SentenceVerifier::Impl {
  Impl(std::string_view question, const std::vector<SourcePassage>& sources, const VerifyOptions& options)
      : v(question, sources, options) {}
  Verifier v;
};

SentenceVerifier::SentenceVerifier(std::string_view question, const std::vector<SourcePassage>& sources,
                                   const VerifyOptions& options)
    : impl_(std::make_unique<Impl>(question, sources, options)) {}

SentenceVerifier::~SentenceVerifier() = default;

SentenceCheck SentenceVerifier::check(std::string_view answer, const AnswerSentence& sentence) {
  return impl_->v.check(answer, sentence);
}

}  // namespace trove::answer
