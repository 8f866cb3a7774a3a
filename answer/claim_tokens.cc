// answer/claim_tokens.cc — see claim_tokens.h.
//
// Three passes: split the text into whitespace-separated chunks and peel the
// punctuation around each (remembering clause and sentence ends); turn each chunk
// into pieces (words, numbers, flags, identifier parts, atoms); mark negation scope
// over the piece sequence; keep the content pieces as tokens.
#include "answer/claim_tokens.h"

#include <cctype>

#include "answer/claim_words.h"
#include "answer/stemmer.h"

namespace trove::answer {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_alnum_byte(unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_alpha_byte(unsigned char c) { return std::isalpha(c) != 0 || c >= 0x80; }

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// UTF-8 quotation marks: “ ” ‘ ’ (E2 80 9C/9D/98/99).
size_t quote_len_at(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == '"' || c == '\'' || c == '`') return 1;
  if (c == 0xE2 && i + 2 < s.size() &&
      static_cast<unsigned char>(s[i + 1]) == 0x80) {
    unsigned char d = static_cast<unsigned char>(s[i + 2]);
    if (d == 0x9C || d == 0x9D || d == 0x98 || d == 0x99) return 3;
  }
  return 0;
}
size_t quote_len_before(std::string_view s, size_t end) {
  if (end == 0) return 0;
  unsigned char c = static_cast<unsigned char>(s[end - 1]);
  if (c == '"' || c == '\'' || c == '`') return 1;
  if (end >= 3 && quote_len_at(s, end - 3) == 3) return 3;
  return 0;
}

char closer_of(char open) {
  switch (open) {
    case '(': return ')';
    case '[': return ']';
    case '{': return '}';
    case '<': return '>';
    default: return 0;
  }
}
char opener_of(char close) {
  switch (close) {
    case ')': return '(';
    case ']': return '[';
    case '}': return '{';
    case '>': return '<';
    default: return 0;
  }
}

enum class PieceKind : uint8_t { kWord, kNumber, kFlag, kIdent, kCue };

struct Piece {
  std::string lower;  // lower-cased text (flags: as written)
  std::string raw;
  PieceKind kind = PieceKind::kWord;
  uint32_t begin = 0, end = 0;
  int32_t sentence = 0;
  bool boundary_after = false;  // , ; : ) or sentence end follows
  bool boundary_before = false;
  bool sentence_initial = false;
  bool in_atom = false;  // part of an identifier/path: never a name, never a stopword
  bool negated = false;
};

struct Chunk {
  size_t core_begin, core_end;  // after peeling punctuation
  bool boundary_before = false, boundary_after = false, sentence_end = false;
};

void peel_once(std::string_view text, Chunk& c);

Chunk peel(std::string_view text, size_t b, size_t e) {
  Chunk c{b, e};
  for (;;) {
    size_t before_b = c.core_begin, before_e = c.core_end;
    peel_once(text, c);
    // "(1.40)", "[optional]": a chunk wrapped whole in a bracket pair.
    if (c.core_end >= c.core_begin + 2 && closer_of(text[c.core_begin]) != 0 &&
        text[c.core_end - 1] == closer_of(text[c.core_begin])) {
      if (text[c.core_begin] == '(') c.boundary_before = c.boundary_after = true;
      ++c.core_begin;
      --c.core_end;
    }
    if (c.core_begin == before_b && c.core_end == before_e) break;
  }
  return c;
}

void peel_once(std::string_view text, Chunk& c) {
  // Leading quotes always; leading brackets only when the chunk does not close them.
  for (;;) {
    if (c.core_begin >= c.core_end) break;
    size_t q = quote_len_at(text, c.core_begin);
    if (q > 0 && c.core_begin + q <= c.core_end) {
      c.core_begin += q;
      continue;
    }
    char ch = text[c.core_begin];
    char close = closer_of(ch);
    if (close != 0) {
      std::string_view rest = text.substr(c.core_begin + 1, c.core_end - c.core_begin - 1);
      if (rest.find(close) == std::string_view::npos) {
        if (ch == '(') c.boundary_before = true;
        ++c.core_begin;
        continue;
      }
    }
    break;
  }
  for (;;) {
    if (c.core_end <= c.core_begin) break;
    size_t q = quote_len_before(text, c.core_end);
    if (q > 0 && c.core_end - q >= c.core_begin) {
      c.core_end -= q;
      continue;
    }
    char ch = text[c.core_end - 1];
    if (ch == '.' || ch == '?' || ch == '!') {
      c.sentence_end = true;
      c.boundary_after = true;
      --c.core_end;
      continue;
    }
    if (ch == ',' || ch == ';' || ch == ':') {
      // ":memory:" keeps its colon when something before it in the chunk is a colon.
      if (ch == ':' && text.substr(c.core_begin, c.core_end - 1 - c.core_begin).find(':') !=
                           std::string_view::npos) {
        break;
      }
      c.boundary_after = true;
      --c.core_end;
      continue;
    }
    char open = opener_of(ch);
    if (open != 0) {
      std::string_view rest = text.substr(c.core_begin, c.core_end - 1 - c.core_begin);
      if (rest.find(open) == std::string_view::npos) {
        if (ch == ')') c.boundary_after = true;
        --c.core_end;
        continue;
      }
    }
    break;
  }
}

bool is_plain_number(std::string_view s) {
  if (s.empty() || !is_digit(static_cast<unsigned char>(s.front())) ||
      !is_digit(static_cast<unsigned char>(s.back()))) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (is_digit(c)) continue;
    if ((c == '.' || c == ',') && i + 1 < s.size() && is_digit(static_cast<unsigned char>(s[i + 1]))) continue;
    return false;
  }
  return true;
}

// "1,000,000" → "1000000"; "1.30" and "3.7.7" stay as written (versions compare exactly).
std::string normalise_number(std::string_view s) {
  bool thousands = s.find(',') != std::string_view::npos;
  if (thousands) {
    size_t first = s.find(',');
    if (first == 0 || first > 3) thousands = false;
    for (size_t i = first; thousands && i < s.size(); i += 4) {
      if (s[i] != ',' || s.size() - i - 1 < 3) {
        thousands = false;
        break;
      }
      for (size_t k = 1; k <= 3; ++k) {
        if (!is_digit(static_cast<unsigned char>(s[i + k]))) thousands = false;
      }
      if (i + 4 < s.size() && s[i + 4] != ',') thousands = false;
    }
  }
  std::string out;
  for (char c : s) {
    if (thousands && c == ',') continue;
    out += c;
  }
  return out;
}

bool all_alpha(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!is_alpha_byte(c)) return false;
  }
  return true;
}

// Apostrophe forms: "don't" → "do" + "n't", "user's" → "user". Returns the word and
// whether a negation suffix was split off.
std::pair<std::string_view, bool> split_apostrophe(std::string_view w) {
  size_t ap = std::string_view::npos;
  size_t ap_len = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] == '\'') {
      ap = i;
      ap_len = 1;
      break;
    }
    if (i + 2 < w.size() && static_cast<unsigned char>(w[i]) == 0xE2 &&
        static_cast<unsigned char>(w[i + 1]) == 0x80 && static_cast<unsigned char>(w[i + 2]) == 0x99) {
      ap = i;
      ap_len = 3;
      break;
    }
  }
  if (ap == std::string_view::npos) return {w, false};
  std::string_view tail = w.substr(ap + ap_len);
  if ((tail == "t" || tail == "T") && ap > 0 && (w[ap - 1] == 'n' || w[ap - 1] == 'N')) {
    std::string_view head = w.substr(0, ap - 1);
    if (head == "ca" || head == "Ca") head = w.substr(0, ap);  // "can't" → "can"
    if (head == "wo" || head == "Wo") return {"will", true};
    return {head, true};
  }
  return {w.substr(0, ap), false};
}

class PieceBuilder {
 public:
  explicit PieceBuilder(std::vector<Piece>& out, TokenizedText& result)
      : out_(out), result_(result) {}

  void chunk(std::string_view text, const Chunk& c, int32_t sentence, bool sentence_initial) {
    size_t first_piece = out_.size();
    std::string_view core = text.substr(c.core_begin, c.core_end - c.core_begin);
    if (!core.empty()) classify(core, static_cast<uint32_t>(c.core_begin), sentence, sentence_initial);
    if (out_.size() > first_piece) {
      if (c.boundary_before) out_[first_piece].boundary_before = true;
      if (c.boundary_after) out_.back().boundary_after = true;
    } else if ((c.boundary_after || c.boundary_before) && !out_.empty()) {
      out_.back().boundary_after = true;  // a lone "—" or "(" still ends a clause
    }
  }

 private:
  void add(std::string_view raw, PieceKind kind, uint32_t begin, int32_t sentence, bool initial,
           bool in_atom, std::string lower = {}) {
    Piece p;
    p.raw = std::string(raw);
    p.lower = lower.empty() ? (kind == PieceKind::kFlag ? p.raw : lower_ascii(raw)) : std::move(lower);
    p.kind = kind;
    p.begin = begin;
    p.end = begin + static_cast<uint32_t>(raw.size());
    p.sentence = sentence;
    p.sentence_initial = initial;
    p.in_atom = in_atom;
    out_.push_back(std::move(p));
  }

  // A number, then optionally a unit glued to it ("64-bit", "10ms", "50%").
  bool number_with_unit(std::string_view core, uint32_t begin, int32_t sentence, bool initial) {
    size_t i = 0;
    while (i < core.size() && (is_digit(static_cast<unsigned char>(core[i])) ||
                               ((core[i] == '.' || core[i] == ',') && i + 1 < core.size() &&
                                is_digit(static_cast<unsigned char>(core[i + 1]))))) {
      ++i;
    }
    if (i == 0) return false;
    std::string_view num = core.substr(0, i);
    std::string_view rest = core.substr(i);
    if (!rest.empty() && rest.front() == '-') rest.remove_prefix(1);
    if (!rest.empty() && !(all_alpha(rest) || rest == "%")) return false;
    if (!rest.empty() && rest != "%" && !is_unit_word(lower_ascii(rest))) return false;
    add(num, PieceKind::kNumber, begin, sentence, initial, false, normalise_number(num));
    if (!rest.empty()) {
      add(rest, PieceKind::kWord, begin + static_cast<uint32_t>(core.size() - rest.size()), sentence,
          false, false);
    }
    return true;
  }

  void classify(std::string_view core, uint32_t begin, int32_t sentence, bool initial) {
    if (is_plain_number(core)) {
      add(core, PieceKind::kNumber, begin, sentence, initial, false, normalise_number(core));
      return;
    }
    if (number_with_unit(core, begin, sentence, initial)) return;
    bool plain = true;  // letters, hyphens and apostrophes only
    for (size_t i = 0; i < core.size(); ++i) {
      unsigned char ch = static_cast<unsigned char>(core[i]);
      if (is_alpha_byte(ch) || ch == '\'' || (ch == '-' && i > 0 && i + 1 < core.size())) continue;
      plain = false;
      break;
    }
    if (plain) {
      words(core, begin, sentence, initial);
      return;
    }
    atom(core, begin, sentence);
  }

  void words(std::string_view core, uint32_t begin, int32_t sentence, bool initial) {
    size_t start = 0;
    bool first = true;
    for (size_t i = 0; i <= core.size(); ++i) {
      if (i < core.size() && core[i] != '-') continue;
      std::string_view part = core.substr(start, i - start);
      auto [word, negation] = split_apostrophe(part);
      if (!word.empty()) {
        add(word, PieceKind::kWord, begin + static_cast<uint32_t>(start), sentence, initial && first,
            false);
      }
      if (negation) {
        add("n't", PieceKind::kCue, begin + static_cast<uint32_t>(start + word.size()), sentence,
            false, false, "n't");
      }
      first = false;
      start = i + 1;
    }
  }

  // Identifiers, paths, flags, literals: one Atom for the exact lookup and one
  // token keyed by the whole thing ("info/exclude" never matches "info/attributes").
  // A flag's value after '=' is its own token, so "-DX=1" and "-DX=2" share the flag
  // and differ in the number. The letter and digit runs inside go to the side sets,
  // so "Docker" is found in "$HOME/.docker" and "0" in "heap[0]".
  void atom(std::string_view core, uint32_t begin, int32_t sentence) {
    bool has_alnum = false;
    for (unsigned char ch : core) has_alnum = has_alnum || is_alnum_byte(ch);
    if (!has_alnum) return;  // "*", "?", "[]": nothing to compare
    bool flag = core.size() >= 2 && core[0] == '-' &&
                (is_alpha_byte(static_cast<unsigned char>(core[1])) ||
                 (core[1] == '-' && core.size() > 2 && is_alpha_byte(static_cast<unsigned char>(core[2]))));
    std::string_view lookup = core;
    bool call = false;
    // A call's arguments are not part of its name: "heappush(heap" → "heappush".
    if (size_t paren = lookup.find('('); paren != std::string_view::npos && paren > 0) {
      lookup = lookup.substr(0, paren);
      call = true;
    }
    result_.atoms.push_back({std::string(lookup), flag, begin, begin + static_cast<uint32_t>(lookup.size())});
    side_parts(core);
    if (flag) {
      size_t name_end = core.find('=');
      if (name_end == std::string_view::npos) name_end = core.size();
      add(core.substr(0, name_end), PieceKind::kFlag, begin, sentence, false, true);
      if (name_end + 1 < core.size()) {
        std::string_view value = core.substr(name_end + 1);
        uint32_t at = begin + static_cast<uint32_t>(name_end + 1);
        if (is_plain_number(value)) {
          add(value, PieceKind::kNumber, at, sentence, false, true, normalise_number(value));
        } else {
          add(value, PieceKind::kIdent, at, sentence, false, true, "a:" + lower_ascii(value));
        }
      }
      return;
    }
    // A qualified call is known by its last name: heapq.heappop() is heappop().
    std::string key = lower_ascii(lookup);
    if (call) {
      if (size_t dot = key.rfind('.'); dot != std::string::npos && dot + 1 < key.size()) {
        key = key.substr(dot + 1);
      }
    }
    add(lookup, PieceKind::kIdent, begin, sentence, false, true, "a:" + key);
  }

  void side_parts(std::string_view core) {
    size_t i = 0;
    while (i < core.size()) {
      if (!is_alnum_byte(static_cast<unsigned char>(core[i]))) {
        ++i;
        continue;
      }
      size_t j = i;
      bool digits = true;
      while (j < core.size() && (is_alnum_byte(static_cast<unsigned char>(core[j])) ||
                                 (core[j] == '.' && digits && j + 1 < core.size() &&
                                  is_digit(static_cast<unsigned char>(core[j + 1]))))) {
        if (core[j] != '.') digits = digits && is_digit(static_cast<unsigned char>(core[j]));
        ++j;
      }
      std::string_view run = core.substr(i, j - i);
      if (digits) {
        result_.side_numbers.push_back("n:" + normalise_number(run));
      } else {
        result_.side_words.push_back(lower_ascii(run));
      }
      i = j;
    }
  }

  std::vector<Piece>& out_;
  TokenizedText& result_;
};

// Negation scope over the piece sequence. A clausal cue (not, never, n't) covers the
// words after it up to the clause boundary; a determiner cue (no, without) only up
// to the next auxiliary, so "no disk file is opened" negates "disk file". Scopes
// nest by parity: "avoided if not needed" is positive again.
void mark_negation(std::vector<Piece>& pieces) {
  int clausal = 0, determiner = 0;
  for (size_t i = 0; i < pieces.size(); ++i) {
    Piece& p = pieces[i];
    if (p.boundary_before || (i > 0 && pieces[i - 1].sentence != p.sentence)) clausal = determiner = 0;
    if (p.kind == PieceKind::kWord && ends_negation_scope(p.lower)) clausal = determiner = 0;
    if (determiner > 0 && p.kind == PieceKind::kWord && is_auxiliary(p.lower)) determiner = 0;
    p.negated = ((clausal + determiner) % 2) == 1;
    NegationCue cue = p.kind == PieceKind::kCue  ? NegationCue::kClausal
                      : p.kind == PieceKind::kWord ? negation_cue(p.lower)
                                                   : NegationCue::kNone;
    if (cue != NegationCue::kNone) {
      bool or_not = p.lower == "not" && i > 0 && pieces[i - 1].lower == "or";  // "whether or not"
      bool not_only = p.lower == "not" && i + 1 < pieces.size() && pieces[i + 1].lower == "only";
      if (!or_not && !not_only) {
        p.kind = PieceKind::kCue;
        (cue == NegationCue::kClausal ? clausal : determiner) += 1;
      }
    }
    if (p.boundary_after) clausal = determiner = 0;
  }
}

bool looks_like_name(const Piece& p) {
  if (p.kind != PieceKind::kWord || p.in_atom || p.raw.size() < 2) return false;
  bool upper_inside = false;
  for (size_t i = 1; i < p.raw.size(); ++i) {
    if (std::isupper(static_cast<unsigned char>(p.raw[i]))) upper_inside = true;
  }
  if (upper_inside) return true;
  return !p.sentence_initial && std::isupper(static_cast<unsigned char>(p.raw[0]));
}

}  // namespace

TokenizedText tokenize_for_claims(std::string_view text, Stemmer& stemmer, size_t max_sentence_tokens) {
  TokenizedText result;
  std::vector<Piece> pieces;
  PieceBuilder builder(pieces, result);
  int32_t sentence = 0;
  size_t sentence_chunks = 0;
  size_t sentence_begin = std::string::npos, sentence_end = 0;
  auto close_sentence = [&] {
    if (sentence_begin != std::string::npos) {
      result.sentences.push_back({static_cast<uint32_t>(sentence_begin), static_cast<uint32_t>(sentence_end)});
      ++sentence;
    }
    sentence_begin = std::string::npos;
    sentence_chunks = 0;
  };
  size_t i = 0;
  while (i < text.size()) {
    bool newline = false;
    while (i < text.size() && is_space(static_cast<unsigned char>(text[i]))) {
      newline = newline || text[i] == '\n';
      ++i;
    }
    if (newline) close_sentence();
    if (i >= text.size()) break;
    size_t b = i;
    while (i < text.size() && !is_space(static_cast<unsigned char>(text[i]))) ++i;
    Chunk c = peel(text, b, i);
    if (sentence_begin == std::string::npos) sentence_begin = b;
    sentence_end = i;
    builder.chunk(text, c, sentence, sentence_chunks == 0);
    ++sentence_chunks;
    // "e.g. stash@{0}", "i.e. the": a full stop before a lower-case word is an
    // abbreviation, not a sentence end (the clause boundary stays).
    bool continues = false;
    if (c.sentence_end) {
      size_t k = i;
      while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
      continues = k < text.size() && std::islower(static_cast<unsigned char>(text[k])) != 0;
    }
    if ((c.sentence_end && !continues) || sentence_chunks >= max_sentence_tokens) {
      if (!pieces.empty()) pieces.back().boundary_after = true;
      close_sentence();
    }
  }
  close_sentence();
  mark_negation(pieces);

  // Numbers followed by a unit, and the content tokens.
  for (size_t k = 0; k < pieces.size(); ++k) {
    const Piece& p = pieces[k];
    if (p.kind == PieceKind::kNumber && k + 1 < pieces.size()) {
      const Piece& u = pieces[k + 1];
      if (u.kind == PieceKind::kWord && u.sentence == p.sentence && is_unit_word(u.lower)) {
        result.number_units.push_back({"n:" + p.lower, stemmer.stem(u.lower)});
      }
    }
  }
  result.tokens.reserve(pieces.size());
  for (size_t k = 0; k < pieces.size(); ++k) {
    const Piece& p = pieces[k];
    ClaimToken t;
    t.begin = p.begin;
    t.end = p.end;
    t.sentence = p.sentence;
    t.negated = p.negated;
    switch (p.kind) {
      case PieceKind::kCue:
        continue;
      case PieceKind::kNumber:
        t.kind = TokenKind::kNumber;
        t.key = "n:" + p.lower;
        break;
      case PieceKind::kFlag:
        t.kind = TokenKind::kFlag;
        t.key = "f:" + p.lower;
        break;
      case PieceKind::kIdent:
        t.kind = TokenKind::kIdent;
        t.key = p.lower;  // "a:" + the identifier, lower case
        break;
      case PieceKind::kWord: {
        bool after_number = k > 0 && pieces[k - 1].kind == PieceKind::kNumber;
        if (auto n = number_word(p.lower); n && !(after_number && is_unit_word(p.lower))) {
          t.kind = TokenKind::kNumber;
          t.key = "n:" + std::to_string(*n);
          break;
        }
        if (!p.in_atom && is_claim_stopword(p.lower)) continue;
        t.kind = TokenKind::kWord;
        t.key = stemmer.stem(p.lower);
        t.name = looks_like_name(p);
        // Negation by prefix: "unset" is "not set", "unknown" is "not known".
        if (p.lower.size() >= 5 && p.lower.compare(0, 2, "un") == 0 && !p.in_atom) {
          t.alt_key = stemmer.stem(std::string_view(p.lower).substr(2));
        }
        break;
      }
    }
    result.tokens.push_back(std::move(t));
  }
  return result;
}

}  // namespace trove::answer
