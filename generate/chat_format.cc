// generate/chat_format.cc — one small renderer per template family.
#include "generate/chat_format.h"

namespace trove {
namespace {

constexpr std::string_view kQwenDefaultSystem =
    "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

// Jinja's |trim (Python str.strip() on the whitespace that occurs in practice).
std::string_view trim(std::string_view s) {
  constexpr std::string_view ws = " \t\n\r\v\f";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// Appends template text (special tokens allowed) or content (never special).
class Builder {
 public:
  Builder& tmpl(std::string_view s) {
    if (s.empty()) return *this;
    const size_t b = p_.text.size();
    p_.text += s;
    if (!p_.template_spans.empty() && p_.template_spans.back().end == b) {
      p_.template_spans.back().end = p_.text.size();
    } else {
      p_.template_spans.push_back({b, p_.text.size()});
    }
    return *this;
  }
  Builder& content(std::string_view s) {
    p_.text += s;
    return *this;
  }
  ChatPrompt take() { return std::move(p_); }

 private:
  ChatPrompt p_;
};

bool is_system(const ChatMessage& m) {
  return m.role == "system";
}

ChatPrompt render_chatml(std::span<const ChatMessage> msgs, bool gen, std::string_view dflt,
                         ThinkingMode thinking) {
  Builder b;
  size_t i = 0;
  if (!msgs.empty() && is_system(msgs[0])) {
    b.tmpl("<|im_start|>system\n").content(msgs[0].content).tmpl("<|im_end|>\n");
    i = 1;
  } else if (!dflt.empty()) {
    b.tmpl("<|im_start|>system\n").tmpl(dflt).tmpl("<|im_end|>\n");
  }
  for (; i < msgs.size(); ++i) {
    b.tmpl("<|im_start|>").tmpl(msgs[i].role).tmpl("\n");
    b.content(msgs[i].content).tmpl("<|im_end|>\n");
  }
  if (gen) {
    b.tmpl("<|im_start|>assistant\n");
    // Qwen3: `enable_thinking is false` renders an empty think block; QwQ opens one.
    if (thinking == ThinkingMode::kSwitchable) b.tmpl("<think>\n\n</think>\n\n");
    if (thinking == ThinkingMode::kForced) b.tmpl("<think>\n");
  }
  ChatPrompt p = b.take();
  p.opens_thinking = gen && thinking == ThinkingMode::kForced;
  return p;
}

ChatPrompt render_llama3(std::span<const ChatMessage> msgs, bool gen, bool dated,
                         std::string_view date) {
  Builder b;
  size_t i = 0;
  if (dated) {
    // Llama 3.1/3.2: the system block always exists and carries the dates.
    std::string_view system;
    if (!msgs.empty() && is_system(msgs[0])) {
      system = trim(msgs[0].content);
      i = 1;
    }
    b.tmpl("<|start_header_id|>system<|end_header_id|>\n\n");
    b.tmpl("Cutting Knowledge Date: December 2023\nToday Date: ").tmpl(date).tmpl("\n\n");
    b.content(system).tmpl("<|eot_id|>");
  }
  for (; i < msgs.size(); ++i) {
    b.tmpl("<|start_header_id|>").tmpl(msgs[i].role).tmpl("<|end_header_id|>\n\n");
    b.content(trim(msgs[i].content)).tmpl("<|eot_id|>");
  }
  if (gen) b.tmpl("<|start_header_id|>assistant<|end_header_id|>\n\n");
  return b.take();
}

// Gemma: no system role; like Gemma 3's template, a system message is prefixed to the
// first user turn.
ChatPrompt render_gemma(std::span<const ChatMessage> msgs, bool gen) {
  Builder b;
  std::string prefix;
  size_t i = 0;
  if (!msgs.empty() && is_system(msgs[0])) {
    prefix = std::string(trim(msgs[0].content)) + "\n\n";
    i = 1;
  }
  for (; i < msgs.size(); ++i) {
    std::string_view role = msgs[i].role;
    if (role == "assistant") role = "model";
    b.tmpl("<start_of_turn>").tmpl(role).tmpl("\n");
    if (!prefix.empty()) b.content(prefix);
    prefix.clear();
    b.content(trim(msgs[i].content)).tmpl("<end_of_turn>\n");
  }
  if (gen) b.tmpl("<start_of_turn>model\n");
  return b.take();
}

ChatPrompt render_phi3(std::span<const ChatMessage> msgs, bool gen) {
  Builder b;
  for (const ChatMessage& m : msgs) {
    b.tmpl("<|").tmpl(m.role).tmpl("|>\n").content(m.content).tmpl("<|end|>\n");
  }
  if (gen) {
    b.tmpl("<|assistant|>\n");
  } else {
    b.tmpl("<|endoftext|>");
  }
  return b.take();
}

// Mistral Instruct v0.1/v0.2: "[INST] user [/INST]assistant</s>"; a system message is
// prefixed to the first user turn (those templates have no system role).
ChatPrompt render_mistral(std::span<const ChatMessage> msgs, bool /*gen: implicit*/) {
  Builder b;
  std::string prefix;
  size_t i = 0;
  if (!msgs.empty() && is_system(msgs[0])) {
    prefix = msgs[0].content + "\n\n";
    i = 1;
  }
  for (; i < msgs.size(); ++i) {
    if (msgs[i].role == "assistant") {
      b.content(msgs[i].content).tmpl("</s>");
    } else {
      b.tmpl("[INST] ").content(prefix).content(msgs[i].content).tmpl(" [/INST]");
      prefix.clear();
    }
  }
  return b.take();
}

// No known template: readable role labels, no special tokens.
ChatPrompt render_plain(std::span<const ChatMessage> msgs, bool gen) {
  Builder b;
  for (const ChatMessage& m : msgs) {
    std::string label = m.role;
    if (!label.empty() && label[0] >= 'a' && label[0] <= 'z')
      label[0] = static_cast<char>(label[0] - 32);
    b.content(label + ": ").content(m.content).content("\n\n");
  }
  if (gen) b.content("Assistant:");
  return b.take();
}

}  // namespace

std::string_view chat_family_name(ChatFamily f) {
  switch (f) {
    case ChatFamily::kChatMl:
      return "chatml";
    case ChatFamily::kLlama3:
      return "llama3";
    case ChatFamily::kGemma:
      return "gemma";
    case ChatFamily::kPhi3:
      return "phi3";
    case ChatFamily::kMistral:
      return "mistral";
    case ChatFamily::kPlain:
      return "plain";
  }
  return "plain";
}

ChatFormat ChatFormat::detect(std::string_view t, bool has_im_start) {
  ChatFormat f;
  auto has = [&](std::string_view s) { return t.find(s) != std::string_view::npos; };
  if (has("<|im_start|>")) {
    f.family_ = ChatFamily::kChatMl;
    if (has(kQwenDefaultSystem)) f.default_system_ = std::string(kQwenDefaultSystem);
  } else if (has("<|start_header_id|>")) {
    f.family_ = ChatFamily::kLlama3;
    f.dated_system_ = has("Cutting Knowledge Date");
  } else if (has("<start_of_turn>")) {
    f.family_ = ChatFamily::kGemma;
  } else if (has("<|user|>") || has("<|end|>")) {
    f.family_ = ChatFamily::kPhi3;
  } else if (has("[INST]")) {
    f.family_ = ChatFamily::kMistral;
  } else {
    f.family_ = (t.empty() && has_im_start) ? ChatFamily::kChatMl : ChatFamily::kPlain;
  }
  if (has("enable_thinking")) {
    f.thinking_ = ThinkingMode::kSwitchable;
  } else if (has("<|im_start|>assistant\\n<think>")) {
    f.thinking_ = ThinkingMode::kForced;  // the template's own generation prompt opens it
  }
  return f;
}

ChatFormat ChatFormat::from_gguf(const GgufFile& file) {
  bool has_im_start = false;
  if (auto toks = file.get_string_array("tokenizer.ggml.tokens"); toks) {
    for (std::string_view s : *toks) {
      if (s == "<|im_start|>") {
        has_im_start = true;
        break;
      }
    }
  }
  return detect(file.string_or("tokenizer.chat_template", ""), has_im_start);
}

ChatPrompt ChatFormat::render(std::span<const ChatMessage> msgs, bool gen) const {
  switch (family_) {
    case ChatFamily::kChatMl:
      return render_chatml(msgs, gen, default_system_, thinking_);
    case ChatFamily::kLlama3:
      return render_llama3(msgs, gen, dated_system_, date_);
    case ChatFamily::kGemma:
      return render_gemma(msgs, gen);
    case ChatFamily::kPhi3:
      return render_phi3(msgs, gen);
    case ChatFamily::kMistral:
      return render_mistral(msgs, gen);
    case ChatFamily::kPlain:
      break;
  }
  return render_plain(msgs, gen);
}

std::string_view ChatFormat::end_of_turn() const {
  switch (family_) {
    case ChatFamily::kChatMl:
      return "<|im_end|>";
    case ChatFamily::kLlama3:
      return "<|eot_id|>";
    case ChatFamily::kGemma:
      return "<end_of_turn>";
    case ChatFamily::kPhi3:
      return "<|end|>";
    case ChatFamily::kMistral:
      return "</s>";
    case ChatFamily::kPlain:
      break;
  }
  return "";
}

}  // namespace trove
