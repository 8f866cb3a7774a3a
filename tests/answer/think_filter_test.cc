// ThinkFilter: a reasoning model's <think> block is split from the answer whatever
// the piece boundaries, and Qwen3-style templates render with thinking off.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "generate/chat_format.h"
#include "generate/think_filter.h"

namespace trove {
namespace {

// Feeds `text` in pieces of `n` bytes and joins the results.
ThinkSplit in_pieces(const std::string& text, size_t n, bool starts_inside = false) {
  ThinkFilter f(starts_inside);
  ThinkSplit all;
  for (size_t i = 0; i < text.size(); i += n) {
    ThinkSplit s = f.feed(std::string_view(text).substr(i, n));
    all.answer += s.answer;
    all.thinking += s.thinking;
  }
  ThinkSplit s = f.finish();
  all.answer += s.answer;
  all.thinking += s.thinking;
  return all;
}

TEST(ThinkFilter, SplitsTheBlockWhateverThePieces) {
  const std::string text = "<think>\nIs it 90 days? [2]\n</think>\n\nSnapshots are kept for 30 days [1].";
  for (size_t n : {1u, 2u, 3u, 7u, 100u}) {
    ThinkSplit s = in_pieces(text, n);
    EXPECT_EQ(s.answer, "Snapshots are kept for 30 days [1].") << n;
    EXPECT_EQ(s.thinking, "\nIs it 90 days? [2]\n") << n;
  }
}

TEST(ThinkFilter, TextThatOnlyLooksLikeATagIsKept) {
  for (size_t n : {1u, 4u, 100u}) {
    EXPECT_EQ(in_pieces("Use a <thin> tag, or <b>bold</b>; x < y.", n).answer,
              "Use a <thin> tag, or <b>bold</b>; x < y.");
    EXPECT_EQ(in_pieces("ends with <thi", n).answer, "ends with <thi");
  }
}

TEST(ThinkFilter, TemplateThatOpensTheBlockAndUnclosedBlocks) {
  // QwQ-style: the prompt opened <think>, the model writes only the closing tag.
  ThinkSplit s = in_pieces("reasoning here</think>The answer [1].", 3, true);
  EXPECT_EQ(s.answer, "The answer [1].");
  EXPECT_EQ(s.thinking, "reasoning here");
  // Cut off while thinking: nothing of it is an answer.
  s = in_pieces("<think>still going and going", 2);
  EXPECT_EQ(s.answer, "");
  EXPECT_EQ(s.thinking, "still going and going");
  // No block at all: everything is the answer.
  s = in_pieces("Plain answer [1].", 1);
  EXPECT_EQ(s.answer, "Plain answer [1].");
  EXPECT_EQ(s.thinking, "");
}

TEST(ChatFormatThinking, SwitchableTemplateRendersThinkingOff) {
  // The part of Qwen3's template that matters here (written for this test).
  const std::string qwen3 =
      "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + "
      "'<|im_end|>\\n' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}"
      "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}"
      "{%- endif %}{%- endif %}";
  ChatFormat f = ChatFormat::detect(qwen3);
  EXPECT_EQ(f.thinking(), ThinkingMode::kSwitchable);
  std::vector<ChatMessage> m = {{"system", "S"}, {"user", "Q"}};
  ChatPrompt p = f.render(m, true);
  EXPECT_EQ(p.text,
            "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n"
            "<|im_start|>assistant\n<think>\n\n</think>\n\n");
  EXPECT_FALSE(p.opens_thinking);
  // The think block is template text: its tags may be special tokens, never the content.
  ASSERT_FALSE(p.template_spans.empty());
  EXPECT_EQ(p.template_spans.back().end, p.text.size());
}

TEST(ChatFormatThinking, ForcedAndAbsentThinking) {
  ChatFormat forced = ChatFormat::detect(
      "{{- '<|im_start|>' }}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n<think>\\n' }}{%- endif %}");
  EXPECT_EQ(forced.thinking(), ThinkingMode::kForced);
  std::vector<ChatMessage> m = {{"user", "Q"}};
  ChatPrompt p = forced.render(m, true);
  EXPECT_TRUE(p.opens_thinking);
  EXPECT_EQ(p.text.substr(p.text.size() - 30), "<|im_start|>assistant\n<think>\n");

  ChatFormat plain = ChatFormat::detect("{{- '<|im_start|>' + message.role }}");
  EXPECT_EQ(plain.thinking(), ThinkingMode::kNone);
  EXPECT_EQ(plain.render(m, true).text, "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n");
}

}  // namespace
}  // namespace trove
