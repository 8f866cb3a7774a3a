// generate/detokenizer.cc — hold back only a possibly-incomplete final character.
#include "generate/detokenizer.h"

#include "generate/unicode_props.h"

namespace trove {

size_t utf8_complete_prefix(std::string_view s) {
  // A sequence is at most 4 bytes, so only the last 3 bytes can be an unfinished one.
  const size_t n = s.size();
  for (size_t back = 1; back <= 3 && back <= n; ++back) {
    const auto c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead
    const size_t need = utf8_seq_len(c);
    // A lead byte whose sequence would run past the end: hold it and what follows.
    return (need > back) ? n - back : n;
  }
  return n;  // plain ASCII end, or stray continuation bytes that cannot be completed
}

std::string Detokenizer::push(int32_t id) {
  std::string piece = tok_->token_text(id, opts_.special);
  if (first_) {
    if (opts_.strip_leading_space && !piece.empty() && piece[0] == ' ') piece.erase(0, 1);
    first_ = false;
  }
  pending_ += piece;
  const size_t ready = utf8_complete_prefix(pending_);
  std::string out = pending_.substr(0, ready);
  pending_.erase(0, ready);
  return out;
}

std::string Detokenizer::flush() {
  std::string out;
  out.swap(pending_);
  return out;
}

}  // namespace trove
