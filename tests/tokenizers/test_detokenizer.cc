// Streaming detokenization equals whole-sequence decoding, and never emits a split
// UTF-8 character, for random token sequences on every decoder vocabulary.
#include <gtest/gtest.h>

#include <random>

#include "fixtures.h"
#include "generate/detokenizer.h"

namespace trove::testing {
namespace {

bool valid_utf8_boundary_text(std::string_view s) {
  // Every emitted chunk must end at a character boundary unless it carries invalid
  // bytes, which are passed through; we check the common case of valid text.
  return utf8_complete_prefix(s) == s.size();
}

class StreamingDetok : public ::testing::TestWithParam<const char*> {};

TEST_P(StreamingDetok, StreamEqualsDecode) {
  LoadedTokenizer lt = load_tokenizer(GetParam());
  ASSERT_NE(lt.tok, nullptr);
  std::mt19937 rng(1234);
  const auto n = static_cast<int32_t>(lt.tok->n_vocab());
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<int32_t> ids(1 + rng() % 40);
    for (auto& id : ids) id = static_cast<int32_t>(rng() % static_cast<uint32_t>(n));
    for (bool strip : {false, true}) {
      Detokenizer d(*lt.tok, {.special = false, .strip_leading_space = strip});
      std::string streamed;
      for (int32_t id : ids) {
        const std::string chunk = d.push(id);
        EXPECT_TRUE(valid_utf8_boundary_text(chunk));
        streamed += chunk;
      }
      streamed += d.flush();
      EXPECT_EQ(streamed, lt.tok->decode(ids, false, strip));
    }
  }
}

// Arbitrary bytes (invalid UTF-8, NULs, control characters) never crash and come back
// byte for byte: byte-level BPE and SentencePiece byte fallback lose nothing.
TEST_P(StreamingDetok, RandomBytesRoundTrip) {
  LoadedTokenizer lt = load_tokenizer(GetParam());
  ASSERT_NE(lt.tok, nullptr);
  std::mt19937 rng(99);
  const std::string alphabet = "ab \n\t\xc3\xa9\xe2\x82\xac\xff\x80'1.";
  for (int trial = 0; trial < 100; ++trial) {
    std::string text(1 + rng() % 60, '\0');
    for (char& c : text) {
      c = (rng() % 2) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    const auto ids = lt.tok->encode(text, false, false);
    EXPECT_EQ(lt.tok->decode(ids, false, lt.tok->add_space_prefix()), text)
        << "text hex " << hex(text);
  }
}

// A character split over byte tokens comes out once, when complete.
TEST(StreamingDetok, HoldsBackSplitCharacter) {
  LoadedTokenizer lt = load_tokenizer("models/llama-spm-q8_0.gguf");
  ASSERT_NE(lt.tok, nullptr);
  const int32_t e2 = lt.tok->token_id("<0xE2>"), x80 = lt.tok->token_id("<0x80>"),
                x99 = lt.tok->token_id("<0x99>");
  ASSERT_GE(e2, 0);
  Detokenizer d(*lt.tok);
  EXPECT_EQ(d.push(e2), "");
  EXPECT_EQ(d.push(x80), "");
  EXPECT_EQ(d.push(x99), "\xe2\x80\x99");
  EXPECT_EQ(d.flush(), "");
}

TEST(StreamingDetok, ControlTokensSilentUnlessAsked) {
  LoadedTokenizer lt = load_tokenizer("models/qwen2-bpe-q4_k_m.gguf");
  ASSERT_NE(lt.tok, nullptr);
  const int32_t im_end = lt.tok->token_id("<|im_end|>");
  ASSERT_GE(im_end, 0);
  EXPECT_TRUE(lt.tok->is_eog(im_end));
  EXPECT_EQ(Detokenizer(*lt.tok).push(im_end), "");
  EXPECT_EQ(Detokenizer(*lt.tok, {.special = true}).push(im_end), "<|im_end|>");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, StreamingDetok,
                         ::testing::Values("models/llama-spm-q8_0.gguf",
                                           "models/qwen2-bpe-q4_k_m.gguf",
                                           "models/llama3-bpe-q4_k_m.gguf"),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           n = n.substr(7, n.find('.') - 7);
                           std::string out;
                           for (char c : n)
                             out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return out;
                         });

// Metadata and text-based end-of-generation detection, BOS defaults.
TEST(VocabMetadata, SpecialIdsAndDefaults) {
  LoadedTokenizer spm = load_tokenizer("models/llama-spm-q8_0.gguf");
  LoadedTokenizer qwen = load_tokenizer("models/qwen2-bpe-q4_k_m.gguf");
  LoadedTokenizer l3 = load_tokenizer("models/llama3-bpe-q4_k_m.gguf");
  ASSERT_TRUE(spm.tok && qwen.tok && l3.tok);
  EXPECT_EQ(spm.tok->bos(), 1);
  EXPECT_EQ(spm.tok->eos(), 2);
  EXPECT_TRUE(spm.tok->is_eog(2));
  EXPECT_TRUE(spm.tok->add_bos_default());
  EXPECT_FALSE(qwen.tok->add_bos_default());  // gpt2 vocabularies add no BOS unless asked
  EXPECT_TRUE(qwen.tok->is_eog(qwen.tok->token_id("<|endoftext|>")));
  EXPECT_TRUE(l3.tok->add_bos_default());
  EXPECT_EQ(l3.tok->bos(), l3.tok->token_id("<|begin_of_text|>"));
  EXPECT_TRUE(l3.tok->is_eog(l3.tok->token_id("<|eot_id|>")));
  EXPECT_FALSE(l3.tok->is_eog(l3.tok->token_id("<|start_header_id|>")));
  EXPECT_EQ(l3.tok->token_id("no such token"), -1);
}

// Special tokens: parsed only when asked, and only inside template spans.
TEST(SpecialTokens, ParsedOnlyWhenAllowed) {
  LoadedTokenizer lt = load_tokenizer("models/qwen2-bpe-q4_k_m.gguf");
  ASSERT_NE(lt.tok, nullptr);
  const int32_t im_start = lt.tok->token_id("<|im_start|>");
  const std::string text = "<|im_start|>user\nhi <|im_start|>";
  const auto parsed = lt.tok->encode(text, false, true);
  const auto plain = lt.tok->encode(text, false, false);
  EXPECT_EQ(std::count(parsed.begin(), parsed.end(), im_start), 2);
  EXPECT_EQ(std::count(plain.begin(), plain.end(), im_start), 0);
  EXPECT_EQ(lt.tok->decode(plain), text);  // plain text round-trips
  const ByteSpan first{0, 17};             // "<|im_start|>user\n"
  const auto spans = lt.tok->encode_with_special_spans(text, false, std::span(&first, 1));
  EXPECT_EQ(std::count(spans.begin(), spans.end(), im_start), 1);
  EXPECT_EQ(spans.front(), im_start);
}

}  // namespace
}  // namespace trove::testing
