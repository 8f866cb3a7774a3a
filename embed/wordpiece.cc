// embed/wordpiece.cc — see wordpiece.h.
#include "embed/wordpiece.h"

#include <algorithm>
#include <cctype>

#include "embed/bert_pretokenizer.h"

namespace trove {
namespace {

constexpr std::string_view kSpaceMarker = "\xE2\x96\x81";  // U+2581, llama.cpp's word start
constexpr std::string_view kContinuation = "##";           // Hugging Face's continuation
constexpr size_t kMaxWordChars = 100;                      // longer words become [UNK]
constexpr int32_t kTokenTypeControl = 3;                   // llama.cpp's CONTROL

bool has_prefix(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// Special ids: the dedicated key first, then the token's usual name.
int32_t find_special(const GgufFile& file, std::initializer_list<std::string_view> keys,
                     std::string_view name, const std::vector<std::string>& tokens) {
  for (std::string_view key : keys) {
    const GgufValue* v = file.find(key);
    if (v != nullptr && v->type != GgufValueType::kString && v->type != GgufValueType::kArray &&
        v->u < tokens.size()) {
      return static_cast<int32_t>(v->u);
    }
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i] == name) return static_cast<int32_t>(i);
  }
  return -1;
}

// A vocabulary is cased when more than 1% of its ordinary tokens hold an upper-case
// letter: uncased BERT vocabularies hold none, cased ones thousands.
bool vocabulary_is_cased(const std::vector<std::string>& tokens,
                         const std::vector<int32_t>& types) {
  size_t upper = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i < types.size() && types[i] == kTokenTypeControl) continue;
    if (has_prefix(tokens[i], "[") && tokens[i].back() == ']') continue;  // [unused0]
    for (char c : tokens[i]) {
      if (c >= 'A' && c <= 'Z') {
        ++upper;
        break;
      }
    }
  }
  return upper * 100 > tokens.size();
}

}  // namespace

Result<WordPieceTokenizer> WordPieceTokenizer::from_gguf(const GgufFile& file) {
  auto model = file.get_string("tokenizer.ggml.model");
  if (!model.ok()) return model.error();
  if (*model != "bert") {
    return make_error(file.path() + ": tokenizer.ggml.model is '" + std::string(*model) +
                      "', expected 'bert' (WordPiece)");
  }
  auto tokens = file.get_string_array("tokenizer.ggml.tokens");
  if (!tokens.ok()) return tokens.error();
  if (tokens->empty()) return make_error(file.path() + ": tokenizer.ggml.tokens is empty");

  WordPieceTokenizer t;
  t.tokens_.assign(tokens->begin(), tokens->end());
  if (file.has("tokenizer.ggml.token_type")) {
    auto types = file.get_int_array("tokenizer.ggml.token_type");
    if (!types.ok()) return types.error();
    if (types->size() != t.tokens_.size()) {
      return make_error(file.path() + ": tokenizer.ggml.token_type has " +
                        std::to_string(types->size()) + " entries, expected " +
                        std::to_string(t.tokens_.size()) + " (one per token)");
    }
    t.token_types_.assign(types->begin(), types->end());
  }

  // llama.cpp's converter rewrites "word"/"##piece" as "\u2581word"/"piece".
  t.llama_spelling_ = std::any_of(t.tokens_.begin(), t.tokens_.end(),
                                  [](const auto& s) { return has_prefix(s, kSpaceMarker); });
  for (size_t i = 0; i < t.tokens_.size(); ++i) {
    const std::string& s = t.tokens_[i];
    const auto id = static_cast<int32_t>(i);
    const bool control = i < t.token_types_.size() && t.token_types_[i] == kTokenTypeControl;
    if (control) t.special_ids_.push_back(id);
    std::string_view piece = s;
    PieceMap* map = &t.word_start_;
    if (t.llama_spelling_) {
      if (has_prefix(piece, kSpaceMarker)) {
        piece.remove_prefix(kSpaceMarker.size());
      } else {
        map = &t.continuation_;
      }
    } else if (has_prefix(piece, kContinuation) && piece.size() > kContinuation.size()) {
      piece.remove_prefix(kContinuation.size());
      map = &t.continuation_;
    }
    if (piece.empty() || control) continue;
    map->emplace(std::string(piece), id);  // first id wins on duplicates, as in HF
    t.max_piece_bytes_ = std::max(t.max_piece_bytes_, piece.size());
  }

  t.cls_id = find_special(file, {"tokenizer.ggml.cls_token_id", "tokenizer.ggml.bos_token_id"},
                          "[CLS]", t.tokens_);
  t.sep_id = find_special(file,
                          {"tokenizer.ggml.seperator_token_id", "tokenizer.ggml.separator_token_id",
                           "tokenizer.ggml.eos_token_id"},
                          "[SEP]", t.tokens_);
  t.unk_id = find_special(file, {"tokenizer.ggml.unknown_token_id"}, "[UNK]", t.tokens_);
  t.pad_id = find_special(file, {"tokenizer.ggml.padding_token_id"}, "[PAD]", t.tokens_);
  if (t.cls_id < 0 || t.sep_id < 0 || t.unk_id < 0) {
    return make_error(file.path() + ": WordPiece vocabulary lacks [CLS], [SEP] or [UNK] (ids " +
                      std::to_string(t.cls_id) + ", " + std::to_string(t.sep_id) + ", " +
                      std::to_string(t.unk_id) + ")");
  }
  t.lowercase_ = !vocabulary_is_cased(t.tokens_, t.token_types_);
  return t;
}

std::string_view WordPieceTokenizer::token_text(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= tokens_.size()) return {};
  return tokens_[static_cast<size_t>(id)];
}

// Greedy longest-match-first over code-point boundaries; one unmatched position makes
// the whole word [UNK], as in BERT.
template <class Emit>
void WordPieceTokenizer::wordpiece(std::string_view word, size_t n_chars, Emit& emit) const {
  if (n_chars > kMaxWordChars) {
    emit(unk_id);
    return;
  }
  // Ids wait in a local list because a later failure discards them; every piece holds at
  // least one character, so a word of at most kMaxWordChars needs no more room.
  int32_t local[kMaxWordChars];
  size_t n = 0;
  for (size_t start = 0; start < word.size();) {
    const PieceMap& map = start == 0 ? word_start_ : continuation_;
    size_t end = std::min(word.size(), start + max_piece_bytes_);
    int32_t found = -1;
    for (; end > start; --end) {
      // Only cut at code-point boundaries.
      if (end < word.size() && (static_cast<uint8_t>(word[end]) & 0xC0) == 0x80) continue;
      auto it = map.find(word.substr(start, end - start));
      if (it != map.end()) {
        found = it->second;
        break;
      }
    }
    if (found < 0) {
      emit(unk_id);
      return;
    }
    local[n++] = found;
    start = end;
  }
  for (size_t i = 0; i < n; ++i) emit(local[i]);
}

template <class Emit>
void WordPieceTokenizer::tokenize_plain(std::string_view text, Emit& emit) const {
  thread_local BertWords words;
  words.text.clear();
  words.words.clear();
  bert_pretokenize(text, lowercase_, words);
  for (size_t i = 0; i < words.words.size(); ++i) {
    wordpiece(words.word(i), words.words[i].n_chars, emit);
  }
}

// Splits out special tokens written verbatim ("[SEP]") before the BERT rules run.
template <class Emit>
void WordPieceTokenizer::tokenize(std::string_view text, Emit&& emit) const {
  size_t plain_start = 0;
  for (size_t pos = text.find('['); pos != std::string_view::npos; pos = text.find('[', pos)) {
    int32_t match = -1;
    size_t match_len = 0;
    for (int32_t id : special_ids_) {
      const std::string& s = tokens_[static_cast<size_t>(id)];
      if (s.size() > match_len && text.substr(pos, s.size()) == s) {
        match = id;
        match_len = s.size();
      }
    }
    if (match < 0) {
      ++pos;
      continue;
    }
    tokenize_plain(text.substr(plain_start, pos - plain_start), emit);
    emit(match);
    pos += match_len;
    plain_start = pos;
  }
  tokenize_plain(text.substr(plain_start), emit);
}

std::vector<int32_t> WordPieceTokenizer::encode(std::string_view text, bool add_special,
                                                size_t max_tokens) const {
  std::vector<int32_t> ids;
  if (add_special) ids.push_back(cls_id);
  tokenize(text, [&](int32_t id) { ids.push_back(id); });
  if (add_special) ids.push_back(sep_id);
  if (max_tokens > 0 && ids.size() > max_tokens) {
    ids.resize(max_tokens);
    if (add_special) ids.back() = sep_id;
  }
  return ids;
}

size_t WordPieceTokenizer::count_tokens(std::string_view text) const {
  size_t n = 0;
  tokenize(text, [&](int32_t) { ++n; });
  return n;
}

std::string WordPieceTokenizer::decode(std::span<const int32_t> ids) const {
  std::string out;
  for (int32_t id : ids) {
    if (id < 0 || static_cast<size_t>(id) >= tokens_.size()) continue;
    if (id == cls_id || id == sep_id || id == pad_id) continue;
    std::string_view s = tokens_[static_cast<size_t>(id)];
    bool continues = false;
    if (llama_spelling_) {
      if (has_prefix(s, kSpaceMarker)) {
        s.remove_prefix(kSpaceMarker.size());
      } else {
        continues = !(s.front() == '[' && s.back() == ']');
      }
    } else if (has_prefix(s, kContinuation) && s.size() > kContinuation.size()) {
      s.remove_prefix(kContinuation.size());
      continues = true;
    }
    if (!out.empty() && !continues) out.push_back(' ');
    out.append(s);
  }
  return out;
}

}  // namespace trove
