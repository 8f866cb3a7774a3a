// cli/cmd_tokenize.cc — `trove tokenize --model FILE [--raw] TEXT`: the token ids of
// TEXT as a JSON array, for checking a model's tokenizer against a reference.
// Any GGUF with a tokenizer works, vocabulary-only files and architectures trove does
// not run included: the tokenizer is picked by tokenizer.ggml.model (bert: WordPiece,
// t5: SentencePiece Unigram, llama/gpt2: the decoder tokenizers).
// Without --raw: BOS (decoder), [CLS]/[SEP] (BERT) or <s>/</s> (Unigram, as
// add_bos_token/add_eos_token say) as the vocabulary asks, and
// special-token text such as "<|im_start|>" becomes that token. With --raw: no added
// tokens and decoder special tokens stay plain text.
// Exit: 0 printed, 2 error.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/gguf.h"
#include "embed/unigram.h"
#include "embed/wordpiece.h"
#include "generate/tokenizer.h"

namespace trove::cli {
namespace {

struct TokenizeArgs {
  std::string model;
  std::string text;
  bool raw = false;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return 2;
}

Result<std::vector<int32_t>> tokenize(const GgufFile& file, const TokenizeArgs& a) {
  if (file.string_or("tokenizer.ggml.model", "") == "bert") {
    auto wp = WordPieceTokenizer::from_gguf(file);
    if (!wp.ok()) return wp.error();
    return wp->encode(a.text, /*add_special=*/!a.raw);
  }
  if (file.string_or("tokenizer.ggml.model", "") == "t5") {
    auto ugm = UnigramTokenizer::from_gguf(file);
    if (!ugm.ok()) return ugm.error();
    if (a.raw) return ugm->encode(a.text);
    std::vector<int32_t> ids;
    if (ugm->add_bos) ids.push_back(ugm->bos_id);
    const std::vector<int32_t> body = ugm->encode_with_specials(a.text);
    ids.insert(ids.end(), body.begin(), body.end());
    if (ugm->add_eos) ids.push_back(ugm->eos_id);
    return ids;
  }
  auto tok = Tokenizer::from_gguf(file);
  if (!tok.ok()) return tok.error();
  return (*tok)->encode(a.text, /*add_bos=*/!a.raw, /*parse_special=*/!a.raw);
}

int run_tokenize(const TokenizeArgs& a) {
  auto file = GgufFile::open(a.model);
  if (!file.ok()) return fail(file.error().message);
  auto ids = tokenize(*file, a);
  if (!ids.ok()) return fail(ids.error().message);
  std::string out = "[";
  for (size_t i = 0; i < ids->size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string((*ids)[i]);
  }
  out += "]";
  std::printf("%s\n", out.c_str());
  return 0;
}

RunFn setup_tokenize(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<TokenizeArgs>();
  auto* cmd =
      app.add_subcommand("tokenize", "Print the token ids of TEXT for a model's vocabulary");
  cmd->add_option("--model", args->model, "GGUF model or vocabulary file")->required();
  cmd->add_flag("--raw", args->raw, "Add no BOS/CLS/SEP and parse no special tokens");
  cmd->add_option("text", args->text, "Text to tokenize")->required();
  return [args] { return run_tokenize(*args); };
}

}  // namespace

TROVE_REGISTER_COMMAND("tokenize", 90, setup_tokenize);

}  // namespace trove::cli
