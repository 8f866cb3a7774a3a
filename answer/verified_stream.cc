// answer/verified_stream.cc — see verified_stream.h.
#include "answer/verified_stream.h"

#include <algorithm>

#include "answer/answer_sentences.h"

namespace trove::answer {

VerifiedStream::VerifiedStream(std::string_view question, const std::vector<SourcePassage>& sources,
                               const VerifyOptions& options)
    : verifier_(question, sources, options) {}

std::vector<StreamedSentence> VerifiedStream::feed(std::string_view text) {
  text_ += text;
  return take(false);
}

std::vector<StreamedSentence> VerifiedStream::finish() {
  return take(true);
}

namespace {

// Whether a sentence still being written has begun with words: not only white space
// and citation brackets, counting an unclosed "[1, 2" at its end as a bracket.
bool has_words_yet(std::string_view claim) {
  const size_t open = claim.rfind('[');
  if (open != std::string_view::npos && claim.find(']', open) == std::string_view::npos &&
      claim.find_first_not_of("0123456789,;- ", open + 1) == std::string_view::npos)
    claim = claim.substr(0, open);
  return claim.find_first_not_of(" \t\r\n") != std::string_view::npos;
}

}  // namespace

std::vector<StreamedSentence> VerifiedStream::take(bool all) {
  std::vector<StreamedSentence> out;
  // Only the text after the last checked sentence can hold new ones; split that
  // tail, so the work per piece stays proportional to the unfinished sentence.
  const std::string_view tail = std::string_view(text_).substr(last_end_);
  std::vector<AnswerSentence> ss = split_answer(tail);
  size_t ready = ss.size();
  if (!all && ready > 0) {
    // The last sentence may still grow, and while it holds only citation brackets
    // they may yet join the one before it.
    const bool has_words = has_words_yet(ss.back().claim);
    ready -= has_words ? 1 : std::min<size_t>(2, ready);
  }
  uint32_t prev_end = 0;
  for (size_t i = 0; i < ready; ++i) {
    AnswerSentence s = ss[i];
    const std::string_view gap = tail.substr(prev_end, s.begin - prev_end);
    prev_end = s.end;
    s.begin += last_end_;
    s.end += last_end_;
    StreamedSentence st;
    st.check = verifier_.check(text_, s);
    st.new_line = !report_.sentences.empty() && gap.find('\n') != std::string_view::npos;
    report_.sentences.push_back(st.check);
    if (st.check.verdict == Verdict::kSupported) ++report_.supported;
    report_.total = static_cast<int>(report_.sentences.size());
    out.push_back(std::move(st));
  }
  if (ready > 0) last_end_ += ss[ready - 1].end;
  return out;
}

}  // namespace trove::answer
