// embed/sequence_tokenizer.cc — see sequence_tokenizer.h.
#include "embed/sequence_tokenizer.h"

#include <string>

#include "embed/unigram.h"
#include "embed/wordpiece.h"

namespace trove {
namespace {

class WordPieceSequences final : public SequenceTokenizer {
 public:
  explicit WordPieceSequences(WordPieceTokenizer t) : t_(std::move(t)) {
    open_id_ = t_.cls_id;
    close_id_ = t_.sep_id;
  }
  size_t count_tokens(std::string_view text) const override { return t_.count_tokens(text); }
  size_t vocab_size() const override { return t_.vocab_size(); }
  const char* kind() const override { return "wordpiece"; }

 protected:
  std::vector<int32_t> encode_plain(std::string_view text) const override {
    return t_.encode(text, /*add_special=*/false);
  }

 private:
  WordPieceTokenizer t_;
};

class UnigramSequences final : public SequenceTokenizer {
 public:
  explicit UnigramSequences(UnigramTokenizer t) : t_(std::move(t)) {
    open_id_ = t_.add_bos ? t_.bos_id : -1;
    close_id_ = t_.add_eos ? t_.eos_id : -1;
    roberta_pairs_ = true;
  }
  size_t count_tokens(std::string_view text) const override { return t_.encode(text).size(); }
  size_t vocab_size() const override { return t_.vocab_size(); }
  const char* kind() const override { return "unigram"; }

 protected:
  std::vector<int32_t> encode_plain(std::string_view text) const override {
    return t_.encode(text);
  }

 private:
  UnigramTokenizer t_;
};

}  // namespace

Result<std::unique_ptr<SequenceTokenizer>> SequenceTokenizer::from_gguf(const GgufFile& file) {
  auto model = file.get_string("tokenizer.ggml.model");
  if (!model.ok()) return model.error();
  if (*model == "bert") {
    auto t = WordPieceTokenizer::from_gguf(file);
    if (!t.ok()) return t.error();
    return std::unique_ptr<SequenceTokenizer>(new WordPieceSequences(std::move(t).value()));
  }
  if (*model == "t5") {
    auto t = UnigramTokenizer::from_gguf(file);
    if (!t.ok()) return t.error();
    return std::unique_ptr<SequenceTokenizer>(new UnigramSequences(std::move(t).value()));
  }
  return make_error(file.path() + ": tokenizer.ggml.model is '" + std::string(*model) +
                    "'; encoders use 'bert' (WordPiece) or 't5' (SentencePiece Unigram)");
}

std::vector<int32_t> SequenceTokenizer::encode(std::string_view text, bool add_special,
                                               size_t max_tokens) const {
  std::vector<int32_t> ids;
  if (add_special && open_id_ >= 0) ids.push_back(open_id_);
  const std::vector<int32_t> body = encode_plain(text);
  ids.insert(ids.end(), body.begin(), body.end());
  const bool close = add_special && close_id_ >= 0;
  const size_t limit = max_tokens > 0 && close ? max_tokens - 1 : max_tokens;
  if (max_tokens > 0 && ids.size() > limit) ids.resize(limit);
  if (close) ids.push_back(close_id_);
  return ids;
}

TokenizedPair SequenceTokenizer::encode_pair(std::string_view a, std::string_view b,
                                             size_t max_tokens) const {
  std::vector<int32_t> first = encode_plain(a);
  std::vector<int32_t> second = encode_plain(b);
  const size_t frame = (open_id_ >= 0 ? 1 : 0) + (close_id_ >= 0 ? (roberta_pairs_ ? 3 : 2) : 0);
  if (max_tokens > 0) {
    const size_t room = max_tokens > frame ? max_tokens - frame : 0;
    while (first.size() + second.size() > room) {
      if (first.size() > second.size()) {
        first.pop_back();
      } else {
        second.pop_back();
      }
    }
  }
  TokenizedPair p;
  auto put = [&](int32_t id, int32_t type) {
    if (id < 0) return;
    p.ids.push_back(id);
    p.types.push_back(type);
  };
  const int32_t b_type = roberta_pairs_ ? 0 : 1;
  put(open_id_, 0);
  for (int32_t id : first) put(id, 0);
  put(close_id_, 0);
  if (roberta_pairs_) put(close_id_, 0);
  for (int32_t id : second) put(id, b_type);
  put(close_id_, b_type);
  return p;
}

}  // namespace trove
