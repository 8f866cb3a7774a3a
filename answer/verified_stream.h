// answer/verified_stream.h — checking an answer's sentences while it is generated.
//
//   VerifiedStream vs(question, sources);
//   for (piece : generation) for (auto& s : vs.feed(piece)) show(s);
//   for (auto& s : vs.finish()) show(s);
//
// A sentence is checked once it is complete: when text of a later sentence has
// begun (split as in answer_sentences.h, so a citation just after the full stop is
// still its own; an unclosed "[1" may yet become one), or at the end. The checks are those
// verify_answer() gives on the whole text; offsets are into the whole text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "answer/verifier.h"

namespace trove::answer {

struct StreamedSentence {
  SentenceCheck check;
  bool new_line = false;  // a line break separates it from the sentence before
};

class VerifiedStream {
 public:
  // `sources` must outlive the stream.
  VerifiedStream(std::string_view question, const std::vector<SourcePassage>& sources,
                 const VerifyOptions& options = {});

  std::vector<StreamedSentence> feed(std::string_view text);
  std::vector<StreamedSentence> finish();

  const std::string& text() const { return text_; }
  const VerifyReport& report() const { return report_; }

 private:
  std::vector<StreamedSentence> take(bool all);

  std::string text_;
  SentenceVerifier verifier_;
  VerifyReport report_;
  uint32_t last_end_ = 0;  // byte end of the last sentence checked
};

}  // namespace trove::answer
