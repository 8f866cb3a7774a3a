// The prompt token ids and detokenized greedy continuations recorded in
// ../shared/fixtures/refs for every decoder fixture model.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "generate/detokenizer.h"

namespace trove::testing {
namespace {

struct RefFile {
  const char* model;
  const char* jsonl;
};

class ReferencePrompts : public ::testing::TestWithParam<RefFile> {};

TEST_P(ReferencePrompts, TokensAndGreedyText) {
  LoadedTokenizer lt = load_tokenizer(std::string("models/") + GetParam().model);
  ASSERT_NE(lt.tok, nullptr);
  const auto rows = read_jsonl(fixture_path(std::string("refs/") + GetParam().jsonl));
  ASSERT_FALSE(rows.empty());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Json& r = rows[i];
    ASSERT_TRUE(r.get("prompt") && r.get("tokens"));
    const bool add_bos = r.get("add_bos") ? r.get("add_bos")->b : true;
    const bool parse_special = r.get("parse_special") ? r.get("parse_special")->b : false;
    EXPECT_EQ(lt.tok->encode(r.get("prompt")->str, add_bos, parse_special), r.get("tokens")->ints())
        << "row " << i << ": " << r.get("prompt")->str;

    const Json* greedy = r.get("greedy");
    const Json* want_hex = r.get("greedy_text_hex");
    if (greedy == nullptr || want_hex == nullptr) continue;  // qwen3 refs carry no text
    std::vector<int32_t> ids;
    for (const Json& g : greedy->arr) ids.push_back(static_cast<int32_t>(g.get("token")->num));
    Detokenizer detok(*lt.tok);
    std::string streamed;
    for (int32_t id : ids) streamed += detok.push(id);
    streamed += detok.flush();
    EXPECT_EQ(hex(streamed), want_hex->str) << "row " << i;
    EXPECT_EQ(streamed, lt.tok->decode(ids, false, false)) << "row " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, ReferencePrompts,
    ::testing::Values(RefFile{"llama-spm-q8_0.gguf", "llama-spm-q8_0.dev.jsonl"},
                      RefFile{"llama-spm-q4_k_m.gguf", "llama-spm-q4_k_m.dev.jsonl"},
                      RefFile{"qwen2-bpe-q4_k_m.gguf", "qwen2-bpe-q4_k_m.dev.jsonl"},
                      RefFile{"qwen2-bpe-q4_k_m.gguf", "qwen2-bpe-q4_k_m.chat.jsonl"},
                      RefFile{"llama3-bpe-q4_k_m.gguf", "llama3-bpe-q4_k_m.dev.jsonl"},
                      RefFile{"llama3-bpe-q4_k_m.gguf", "llama3-bpe-q4_k_m.chat.jsonl"},
                      RefFile{"qwen3-q4_k_m.gguf", "qwen3-q4_k_m.dev.jsonl"},
                      RefFile{"qwen3-q4_k_m.gguf", "qwen3-q4_k_m.chat.jsonl"}),
    [](const auto& param_info) {
      std::string out;
      for (char c : std::string(param_info.param.jsonl))
        out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return out;
    });

// The prompts in prompts_dev.txt are the same texts as the jsonl rows ("\n" escaped).
TEST(ReferencePrompts, PromptFileMatchesJsonl) {
  const std::string raw = read_file(fixture_path("refs/prompts_dev.txt"));
  const auto rows = read_jsonl(fixture_path("refs/qwen2-bpe-q4_k_m.dev.jsonl"));
  std::vector<std::string> prompts;
  std::string cur;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n') {
      prompts.push_back(cur);
      cur.clear();
    } else if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == 'n') {
      cur += '\n';
      ++i;
    } else {
      cur += raw[i];
    }
  }
  if (!cur.empty()) prompts.push_back(cur);
  ASSERT_EQ(prompts.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(prompts[i], rows[i].get("prompt")->str);
}

}  // namespace
}  // namespace trove::testing
