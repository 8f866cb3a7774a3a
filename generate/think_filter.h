// generate/think_filter.h — separating a reasoning model's <think>…</think> blocks
// from its answer, as the text streams.
//
//   ThinkFilter f(prompt.opens_thinking);
//   ThinkSplit s = f.feed(piece);   // s.answer: show, verify, cite; s.thinking: not
//   ...  s = f.finish();
//
// Qwen3, QwQ, DeepSeek-R1 and other reasoning models write their reasoning inside
// <think>…</think> before the answer (or, when the chat template itself opens the
// block, only the closing tag). What is inside is never part of the answer: not
// shown unless asked, never verified, never cited. A tag split across pieces is held
// back until it is known; white space right after </think> is dropped, as the
// templates write "</think>\n\n". A block still open at the end is all thinking.
#pragma once

#include <string>
#include <string_view>

namespace trove {

struct ThinkSplit {
  std::string answer;
  std::string thinking;
};

class ThinkFilter {
 public:
  // `starts_inside`: the prompt ended inside an open <think> block.
  explicit ThinkFilter(bool starts_inside = false)
      : inside_(starts_inside), saw_thinking_(starts_inside) {}

  ThinkSplit feed(std::string_view text);
  ThinkSplit finish();

  bool saw_thinking() const { return saw_thinking_; }

 private:
  bool inside_;
  bool after_close_ = false;  // dropping white space after </think>
  bool saw_thinking_ = false;
  std::string held_;          // the start of a possible tag
};

// Whole-text convenience.
ThinkSplit split_thinking(std::string_view text, bool starts_inside = false);

}  // namespace trove
