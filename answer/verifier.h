// answer/verifier.h — does each sentence of an answer say what its cited passage says?
//
//   std::vector<answer::SourcePassage> sources = {{1, "notes/vpn.md", text}};
//   answer::VerifyReport r = answer::verify_answer(question, answer_text, sources);
//   for (auto& s : r.sentences) print(s.text, verdict_name(s.verdict), kind_name(s.kind));
//
// Every sentence (split as in answer_sentences.h) is `uncited` (no [n]), `supported`
// (its content words align with a window of the cited passage(s), and every number,
// version, unit, flag, path, identifier and name in it is in that passage, with the
// same negation), or `unsupported` with the first reason that applies:
//   out-of-range  cites a number that is no source;
//   unrelated     too few of its content words are in the cited passage;
//   wrong-number  a number, version, date or unit is not the passage's (or the passage
//                 puts another number where the sentence puts this one);
//   wrong-entity  a flag, path, identifier or name is not the passage's (or the
//                 passage has another term in its place);
//   negation      a word the passage states is denied by the sentence, or the other way;
//   wrong-source  the cited passage fails but another given source supports it.
// Evidence spans are the words of each cited passage that the sentence aligned with
// (for unsupported sentences, the closest window), as offsets in Unicode characters.
//
// The verifier looks only at the text: deterministic, no model, no I/O, safe to call
// from several threads at once. Work grows linearly with the answer and the sources.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "answer/answer_sentences.h"

namespace trove::answer {

struct SourcePassage {
  int64_t n = 0;  // the number the answer cites it by
  std::string label;
  std::string text;
};

enum class Verdict { kSupported, kUnsupported, kUncited };
enum class UnsupportedKind { kNone, kWrongNumber, kWrongEntity, kNegation, kUnrelated, kWrongSource, kOutOfRange };

std::string_view verdict_name(Verdict v);            // "supported", "unsupported", "uncited"
std::string_view kind_name(UnsupportedKind k);       // "wrong-number", … ; "" for kNone

struct Evidence {
  int64_t n = 0;                 // source number
  uint64_t start = 0, end = 0;   // Unicode characters into that source's text
  std::string quote;             // exactly text[start, end)
};

struct SentenceCheck {
  std::string text;                // the sentence as written, citations included
  uint64_t start = 0, end = 0;     // Unicode characters into the answer
  std::vector<int64_t> citations;  // as cited, each once
  Verdict verdict = Verdict::kUncited;
  UnsupportedKind kind = UnsupportedKind::kNone;
  std::string reason;              // one line for people, "" when supported/uncited
  std::vector<Evidence> evidence;
  double coverage = 0;             // share of its content words found in the cited window
  int64_t true_of = 0;             // wrong-source: the source that does state it
};

struct VerifyReport {
  std::vector<SentenceCheck> sentences;
  int supported = 0;
  int total = 0;
};

struct VerifyOptions {
  // Shares of a sentence's distinct content words that must align with the cited
  // passage: below `unrelated_below` the sentence is about something else; at least
  // `min_coverage` with nothing contradicted is support.
  double min_coverage = 0.5;
  double unrelated_below = 0.4;
  // The same share over the words that are not in the question.
  double min_new_coverage = 0.4;
};

VerifyReport verify_answer(std::string_view question, std::string_view answer,
                           const std::vector<SourcePassage>& sources, const VerifyOptions& options = {});

// One sentence at a time, for an answer that is still being written (answer() checks
// each sentence as soon as it is complete). The sources are prepared on first use and
// must outlive the verifier; check() gives what verify_answer gives for that sentence.
class SentenceVerifier {
 public:
  SentenceVerifier(std::string_view question, const std::vector<SourcePassage>& sources,
                   const VerifyOptions& options = {});
  ~SentenceVerifier();
  SentenceVerifier(const SentenceVerifier&) = delete;
  SentenceVerifier& operator=(const SentenceVerifier&) = delete;

  // `answer`: the text so far; `sentence`: one of split_answer(answer).
  SentenceCheck check(std::string_view answer, const AnswerSentence& sentence);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trove::answer
