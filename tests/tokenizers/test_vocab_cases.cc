// Every .inp/.out case of the tokenizer fixtures, ids exactly equal (no BOS, no
// special-token parsing), as llama.cpp's test-tokenizer-0 checks them.
#include <gtest/gtest.h>

#include "fixtures.h"

namespace trove::testing {
namespace {

struct VocabCaseFile {
  const char* gguf;
  const char* inp;
  const char* out;
};

class VocabCases : public ::testing::TestWithParam<VocabCaseFile> {};

TEST_P(VocabCases, IdsMatchReference) {
  const VocabCaseFile& p = GetParam();
  LoadedTokenizer lt = load_tokenizer(p.gguf);
  ASSERT_NE(lt.tok, nullptr);
  const auto cases = read_cases(fixture_path(p.inp), fixture_path(p.out));
  ASSERT_FALSE(cases.empty());
  int failures = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto got = lt.tok->encode(cases[i].text, false, false);
    EXPECT_EQ(got, cases[i].ids) << "case " << i << " text hex " << hex(cases[i].text);
    failures += got != cases[i].ids;
  }
  EXPECT_EQ(failures, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, VocabCases,
    ::testing::Values(VocabCaseFile{"tokenizer/ggml-vocab-llama-spm.gguf",
                                    "tokenizer/ggml-vocab-llama-spm.gguf.inp",
                                    "tokenizer/ggml-vocab-llama-spm.gguf.out"},
                      VocabCaseFile{"tokenizer/ggml-vocab-gpt-2.gguf",
                                    "tokenizer/ggml-vocab-gpt-2.gguf.inp",
                                    "tokenizer/ggml-vocab-gpt-2.gguf.out"},
                      VocabCaseFile{"models/qwen2-bpe-q4_k_m.gguf", "tokenizer/qwen2-bpe.inp",
                                    "tokenizer/qwen2-bpe.out"},
                      VocabCaseFile{"models/llama3-bpe-q4_k_m.gguf", "tokenizer/llama3-bpe.inp",
                                    "tokenizer/llama3-bpe.out"}),
    [](const auto& param_info) {
      std::string n = param_info.param.inp;
      n = n.substr(n.find('/') + 1);
      std::string out;
      for (char c : n.substr(0, n.find('.')))
        out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return out;
    });

}  // namespace
}  // namespace trove::testing
