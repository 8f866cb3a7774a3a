// generate/vocab.cc — loads tokenizer.ggml.* and applies llama.cpp's defaults.
#include "generate/vocab.h"

#include <algorithm>
#include <array>

#include "core/log.h"

namespace trove {
namespace {

// Tokens that end a turn in the chat formats we know, found by text because many
// converted models do not record them in metadata (llama.cpp does the same).
constexpr std::array<std::string_view, 7> kEogTexts = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>"};
constexpr std::array<std::string_view, 7> kEotTexts = {
    "<|eot_id|>",
    "<|im_end|>",
    "<|end|>",
    "<end_of_turn>",
    "<|endoftext|>",
    "<EOT>",
    "<\xef\xbd\x9c"
    "end\xe2\x96\x81of\xe2\x96\x81sentence\xef\xbd\x9c>"};

Status read_tokens(const GgufFile& f, Vocab& v) {
  auto toks = f.get_string_array("tokenizer.ggml.tokens");
  if (!toks) return toks.error();
  const size_t n = toks->size();
  if (n == 0) return make_error(f.path() + ": tokenizer.ggml.tokens is empty");
  v.tokens.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::string_view t = (*toks)[i];
    // An empty token can never be matched; give it a unique name as llama.cpp does.
    v.tokens.emplace_back(t.empty() ? "[EMPTY_" + std::to_string(i) + "]" : std::string(t));
  }
  if (f.has("tokenizer.ggml.scores")) {
    auto sc = f.get_float_array("tokenizer.ggml.scores");
    if (!sc) return sc.error();
    if (sc->size() != n) {
      return make_error(f.path() + ": tokenizer.ggml.scores has " + std::to_string(sc->size()) +
                        " entries, expected " + std::to_string(n));
    }
    v.scores = std::move(*sc);
  }
  v.types.assign(n, TokenType::kNormal);
  if (f.has("tokenizer.ggml.token_type")) {
    auto tt = f.get_int_array("tokenizer.ggml.token_type");
    if (!tt) return tt.error();
    if (tt->size() != n) {
      return make_error(f.path() + ": tokenizer.ggml.token_type has " + std::to_string(tt->size()) +
                        " entries, expected " + std::to_string(n));
    }
    for (size_t i = 0; i < n; ++i) {
      const int64_t t = (*tt)[i];
      v.types[i] = (t >= 1 && t <= 6) ? static_cast<TokenType>(t) : TokenType::kUndefined;
    }
  }
  v.token_to_id.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    // Later duplicates win, as in llama.cpp's token_to_id map.
    v.token_to_id[v.tokens[i]] = static_cast<int32_t>(i);
  }
  return {};
}

// Per-model defaults, then the metadata overrides them (llama.cpp's llama_vocab::load).
Status apply_kind_defaults(const GgufFile& f, Vocab& v) {
  if (v.model == "llama") {
    v.kind = VocabKind::kSpm;
    v.bos = 1, v.eos = 2, v.unk = 0;
    v.add_bos = true;
    v.add_space_prefix = true;
  } else if (v.model == "gpt2") {
    v.kind = VocabKind::kBpe;
    v.bos = 11, v.eos = 11;
    if (v.pre == "llama3" || v.pre == "llama-v3" || v.pre == "llama-bpe" || v.pre == "falcon3" ||
        v.pre == "tekken") {
      v.ignore_merges = true;
      v.add_bos = true;
    } else if (v.pre == "chameleon") {
      v.add_bos = true;
    }
  } else if (v.model == "bert") {
    v.kind = VocabKind::kWordPiece;
    v.bos = 101, v.unk = 100, v.sep = 102, v.pad = 0;
    v.add_bos = true;
  } else {
    return make_error(f.path() + ": tokenizer.ggml.model is '" + v.model +
                      "', expected one of llama, gpt2, bert");
  }
  v.add_space_prefix = f.bool_or("tokenizer.ggml.add_space_prefix", v.add_space_prefix);
  return {};
}

void read_special_ids(const GgufFile& f, Vocab& v) {
  const std::pair<std::string_view, int32_t*> keys[] = {
      {"tokenizer.ggml.bos_token_id", &v.bos},     {"tokenizer.ggml.eos_token_id", &v.eos},
      {"tokenizer.ggml.eot_token_id", &v.eot},     {"tokenizer.ggml.eom_token_id", &v.eom},
      {"tokenizer.ggml.unknown_token_id", &v.unk}, {"tokenizer.ggml.seperator_token_id", &v.sep},
      {"tokenizer.ggml.padding_token_id", &v.pad},
  };
  for (const auto& [key, id] : keys) {
    if (!f.has(key)) continue;
    const uint64_t raw = f.uint_or(key, UINT64_MAX);
    if (raw < v.size()) {
      *id = static_cast<int32_t>(raw);
    } else {
      log_warn(f.path() + ": " + std::string(key) + " = " + std::to_string(raw) +
               " is outside the vocabulary; keeping the default");
    }
  }
  v.add_bos = f.bool_or("tokenizer.ggml.add_bos_token", v.add_bos);
  v.add_eos = f.bool_or("tokenizer.ggml.add_eos_token", v.add_eos);
}

// End-of-generation ids: metadata ids plus tokens whose text is a known end marker.
void find_end_tokens(Vocab& v) {
  for (auto text : kEotTexts) {
    if (v.eot >= 0) break;
    v.eot = v.find(text);
  }
  if (v.eom < 0) v.eom = v.find("<|eom_id|>");
  for (auto text : kEogTexts) {
    const int32_t id = v.find(text);
    if (id >= 0) {
      v.eog.push_back(id);
      // llama.cpp forces these to control so they are never printed or split as text.
      if (v.types[static_cast<size_t>(id)] != TokenType::kControl) {
        v.types[static_cast<size_t>(id)] = TokenType::kControl;
      }
    }
  }
  for (int32_t id : {v.eos, v.eot, v.eom}) {
    if (id >= 0) v.eog.push_back(id);
  }
  std::sort(v.eog.begin(), v.eog.end());
  v.eog.erase(std::unique(v.eog.begin(), v.eog.end()), v.eog.end());
}

void index_specials(Vocab& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    const TokenType t = v.types[i];
    if (t == TokenType::kControl || t == TokenType::kUnknown || t == TokenType::kUserDefined) {
      v.specials_by_length.push_back(static_cast<int32_t>(i));
    }
  }
  std::stable_sort(
      v.specials_by_length.begin(), v.specials_by_length.end(), [&](int32_t a, int32_t b) {
        return v.tokens[static_cast<size_t>(a)].size() > v.tokens[static_cast<size_t>(b)].size();
      });
}

}  // namespace

bool Vocab::is_eog(int32_t id) const {
  return std::binary_search(eog.begin(), eog.end(), id);
}

Result<Vocab> Vocab::from_gguf(const GgufFile& f) {
  Vocab v;
  auto model = f.get_string("tokenizer.ggml.model");
  if (!model) return model.error();
  v.model = std::string(*model);
  v.pre = std::string(f.string_or("tokenizer.ggml.pre", ""));
  TROVE_TRY(read_tokens(f, v));
  TROVE_TRY(apply_kind_defaults(f, v));
  read_special_ids(f, v);
  for (int32_t* id : {&v.bos, &v.eos, &v.unk, &v.sep, &v.pad}) {
    if (!v.valid(*id)) *id = -1;  // a default id the vocabulary is too small for
  }
  find_end_tokens(v);
  index_specials(v);
  return v;
}

}  // namespace trove
