// generate/grounded_prompt.cc — packing passages and wording the grounded prompt.
#include "generate/grounded_prompt.h"

#include <algorithm>

namespace trove::grounded {
namespace {

std::string source_block(size_t n, const Passage& p) {
  return "[" + std::to_string(n) + "] " + p.label + "\n" + p.text + "\n\n";
}

// Longest prefix of text, ending at a word boundary, whose block fits in budget.
// Binary search over byte length keeps tokenizer calls logarithmic.
std::string cut_to_fit(const Passage& p, const TokenCountFn& count, int budget) {
  size_t lo = 0, hi = p.text.size();
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    Passage trial{p.label, p.text.substr(0, mid)};
    if (count(source_block(1, trial)) <= budget) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  std::string cut = p.text.substr(0, lo);
  size_t space = cut.find_last_of(" \n\t");
  if (lo < p.text.size() && space != std::string::npos && space > 0) cut.resize(space);
  // Never leave half a UTF-8 character at the end.
  while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.pop_back();
  if (!cut.empty() && static_cast<unsigned char>(cut.back()) >= 0xC0) cut.pop_back();
  return cut;
}

}  // namespace

std::vector<Passage> pack_passages(const std::vector<Passage>& ranked, const TokenCountFn& count,
                                   int budget_tokens) {
  std::vector<Passage> kept;
  int used = 0;
  for (const Passage& p : ranked) {
    int cost = count(source_block(kept.size() + 1, p));
    if (used + cost <= budget_tokens) {
      kept.push_back(p);
      used += cost;
      continue;
    }
    if (kept.empty() && budget_tokens > 0) {
      Passage cut{p.label, cut_to_fit(p, count, budget_tokens)};
      if (!cut.text.empty()) kept.push_back(std::move(cut));
    }
    break;  // keep rank order: a lower-ranked passage never displaces a better one
  }
  return kept;
}

std::string grounded_system_prompt() {
  return "You answer questions using only the numbered sources provided. "
         "End every sentence with the number of the one source it comes from, in square "
         "brackets, like [1] or [2]: one citation per sentence. "
         "Use only the numbers of the sources given. "
         "If the sources do not contain the answer, say that the documents do not contain it; "
         "do not guess and do not use outside knowledge.";
}

std::string grounded_user_prompt(std::string_view question, const std::vector<Passage>& passages) {
  std::string out = "Sources:\n\n";
  for (size_t i = 0; i < passages.size(); ++i) out += source_block(i + 1, passages[i]);
  out += "Question: ";
  out += question;
  out += "\nAnswer using only the sources above; end each sentence with its source as [n].";
  return out;
}

int grounded_overhead_tokens(std::string_view question, const TokenCountFn& count) {
  return count(grounded_system_prompt()) + count(grounded_user_prompt(question, {}));
}

}  // namespace trove::grounded
