// answer/claim_tokens.h — the surface analysis the claim verifier compares.
//
// tokenize_for_claims() reads a sentence of an answer or a whole passage and returns
// its content tokens (stopwords out, words stemmed), in order, each with its byte
// span, the sentence of the text it sits in, whether a negation scope covers it, and
// whether it is a proper name. Identifiers, flags, paths, numbers and versions are
// kept exactly: "-d" and "-b", "3.5" and "3.8", "info/exclude" and "info/attributes"
// never share a key. Anything in the text — invalid UTF-8 included — gives a defined
// result; the work is linear in the text's length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trove::answer {

class Stemmer;

enum class TokenKind : uint8_t {
  kWord,    // stemmed word ("removed" → "remov")
  kNumber,  // a count, version or date part, normalised ("1,000" → "1000")
  kFlag,    // a command-line option as written ("-x", "--reason", "-DSQLITE_THREADSAFE")
  kIdent,   // an identifier, path or literal, whole ("$git_dir/info/exclude", "uuid4")
};

struct ClaimToken {
  std::string key;  // what two tokens must share to match (kind-prefixed)
  // A second key with the opposite polarity: "unused" also matches "used" (negated).
  std::string alt_key;
  TokenKind kind = TokenKind::kWord;
  uint32_t begin = 0, end = 0;  // byte span in the text
  int32_t sentence = 0;         // index into TokenizedText::sentences
  bool negated = false;         // an odd number of negation scopes cover it
  bool name = false;            // SQLite, pdfTeX, Docker (not sentence-initial)
};

// A whole identifier, path, flag or quoted literal as written ("$GIT_DIR/info/exclude",
// "sqlite3_open", "-d"). The verifier looks these up verbatim in the passage.
struct Atom {
  std::string text;
  bool flag = false;  // compared case-sensitively
  uint32_t begin = 0, end = 0;
};

// A number followed by a unit ("32 bytes", "64-bit", "5 ms").
struct NumberUnit {
  std::string number, unit;  // keys
};

struct TextSpan {
  uint32_t begin = 0, end = 0;
};

struct TokenizedText {
  std::vector<ClaimToken> tokens;
  std::vector<Atom> atoms;
  std::vector<NumberUnit> number_units;
  std::vector<TextSpan> sentences;  // byte spans; split at .?! + space and every line break
  // Letter runs (lower case, unstemmed) and numbers found inside atoms.
  std::vector<std::string> side_words, side_numbers;
};

// `max_sentence_tokens` cuts runs of text without sentence ends (a passage with no
// full stops) into sentences of at most that many words, so a window stays small.
TokenizedText tokenize_for_claims(std::string_view text, Stemmer& stemmer,
                                  size_t max_sentence_tokens = 80);

}  // namespace trove::answer
