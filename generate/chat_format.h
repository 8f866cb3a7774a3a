// generate/chat_format.h — chat prompts rendered natively for the template families
// trove knows, chosen by marker substrings of tokenizer.chat_template.
//
// The template code itself is never executed: each family's official template is
// re-implemented here for the messages trove sends (system/user/assistant text; no
// tools). Output is the exact string the template renders, except that a leading
// bos_token is left out because Tokenizer::encode adds BOS as the vocabulary asks.
// Llama 3.1+ templates stamp a date: we render the template's own fallback
// "26 Jul 2024" unless a date is given, so prompts are reproducible.
//
// The result records which byte ranges came from the template: only there may text
// such as "<|im_end|>" become a control token (Tokenizer::encode with special_spans);
// message content is always plain text, so documents cannot inject turn markers.
//
// Reasoning templates (Qwen3 and others that write <think>): where the template has
// a switch (`enable_thinking`), prompts are rendered with thinking off, exactly as the
// template renders enable_thinking=false (an empty <think></think> block after the
// assistant header). Where the template itself opens a <think> block for the
// answer (QwQ), ChatPrompt::opens_thinking says so, so that the caller strips the
// reasoning up to </think> (generate/think_filter.h). Either way a model may still
// think, so answers always pass through the think filter.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/gguf.h"
#include "generate/pretokenize.h"

namespace trove {

enum class ChatFamily { kChatMl, kLlama3, kGemma, kPhi3, kMistral, kPlain };
std::string_view chat_family_name(ChatFamily f);

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

struct ChatPrompt {
  std::string text;
  std::vector<ByteSpan> template_spans;  // where special tokens may be parsed
  bool opens_thinking = false;  // the generation prompt ends inside a <think> block
};

// How a template treats reasoning: none; a switch (Qwen3's enable_thinking), which
// trove turns off; or a generation prompt that always opens <think> (QwQ).
enum class ThinkingMode { kNone, kSwitchable, kForced };

class ChatFormat {
 public:
  // `has_im_start`: the vocabulary has a <|im_start|> token (picks ChatML when the file
  // has no template).
  static ChatFormat detect(std::string_view chat_template, bool has_im_start = false);
  static ChatFormat from_gguf(const GgufFile& file);

  ChatPrompt render(std::span<const ChatMessage> messages, bool add_generation_prompt) const;

  ChatFamily family() const { return family_; }
  ThinkingMode thinking() const { return thinking_; }
  // Text that ends an assistant turn in this family (also an EOG token in the vocabulary).
  std::string_view end_of_turn() const;

  void set_date(std::string date) { date_ = std::move(date); }

 private:
  ChatFamily family_ = ChatFamily::kPlain;
  ThinkingMode thinking_ = ThinkingMode::kNone;
  std::string default_system_;  // ChatML: what the template writes when no system message
  bool dated_system_ = false;   // Llama 3.1+: system block with knowledge/today dates
  std::string date_ = "26 Jul 2024";
};

}  // namespace trove
