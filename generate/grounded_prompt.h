// generate/grounded_prompt.h — turning retrieved passages into a prompt that asks the
// model to answer only from them, within the model's context budget.
//
// Passages arrive ranked best-first. pack_passages keeps as many as fit in the token
// budget (the model's context minus the answer budget minus the fixed prompt text),
// counting with the model's own tokenizer through a callback, so that what is sent is
// exactly what was budgeted. Sources are numbered 1..n in the order kept; those
// numbers are the only citations check_citations will accept.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace trove::grounded {

struct Passage {
  std::string label;  // where it comes from: "notes/vpn.md, lines 10-24 — Setup"
  std::string text;
};

using TokenCountFn = std::function<int(std::string_view)>;

// The passages that fit in budget_tokens, in rank order, numbered implicitly 1..n.
// A passage that does not fit whole is cut at a word boundary when it is the first
// one (so a long top passage still yields an answer); later ones are dropped.
std::vector<Passage> pack_passages(const std::vector<Passage>& ranked, const TokenCountFn& count,
                                   int budget_tokens);

// The system instruction: answer only from the numbered sources, one citation [n] per
// sentence (each sentence is then checked against the source it cites), say so when
// the sources do not contain the answer.
std::string grounded_system_prompt();

// The user turn: numbered sources followed by the question.
std::string grounded_user_prompt(std::string_view question, const std::vector<Passage>& passages);

// Tokens the fixed parts take (instruction, question, numbering), for budgeting.
int grounded_overhead_tokens(std::string_view question, const TokenCountFn& count);

}  // namespace trove::grounded
