// tests/ask/scripted_generator.cc — replaces cli/cmd_ask_generator.cc in the
// trove_scripted test binary: the same CLI, but when $TROVE_TEST_SCRIPT names a file,
// "generation" streams that file's text in small pieces (so tags and citations arrive
// split, as tokens do) instead of decoding. Everything else is the real pipeline:
// retrieval, the model's tokenizer and chat template, the think and citation
// filters, the verifier, the printing. $TROVE_TEST_PROMPT_OUT, when set, receives the
// rendered prompt. Without $TROVE_TEST_SCRIPT the model decodes as in trove.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "answer/answer_model.h"
#include "cli/cmd_ask_generator.h"

namespace trove::cli {
namespace {

class ScriptedGenerator final : public answer::TextGenerator {
 public:
  explicit ScriptedGenerator(std::string script) : script_(std::move(script)) {}

  Result<answer::GenerationStats> generate(const answer::GenerationRequest& r,
                                           const answer::PieceSink& on_piece) const override {
    if (const char* out = std::getenv("TROVE_TEST_PROMPT_OUT"); out && *out)
      std::ofstream(out, std::ios::binary) << r.prompt->text;
    constexpr size_t kPiece = 3;
    answer::GenerationStats st;
    st.prompt_tokens = static_cast<int64_t>(r.ids->size());
    for (size_t i = 0; i < script_.size(); i += kPiece) {
      ++st.generated_tokens;
      if (!on_piece(std::string_view(script_).substr(i, kPiece))) break;
    }
    return st;
  }

 private:
  std::string script_;
};

}  // namespace

std::shared_ptr<const answer::TextGenerator> ask_text_generator() {
  const char* path = std::getenv("TROVE_TEST_SCRIPT");
  if (!path || !*path) return nullptr;
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return std::make_shared<ScriptedGenerator>(ss.str());
}

}  // namespace trove::cli
