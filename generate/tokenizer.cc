// generate/tokenizer.cc — the parts shared by every decoder tokenizer: choosing the
// implementation, special-token partitioning, BOS/EOS, and token text for output.
#include "generate/tokenizer.h"

#include "generate/bpe_tokenizer.h"
#include "generate/spm_tokenizer.h"

namespace trove {

int parse_byte_token(std::string_view text) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (text.size() != 6 || !text.starts_with("<0x") || text[5] != '>') return -1;
  const int hi = hex(text[3]), lo = hex(text[4]);
  return (hi < 0 || lo < 0) ? -1 : hi * 16 + lo;
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::from_gguf(const GgufFile& file) {
  auto vocab = Vocab::from_gguf(file);
  if (!vocab) return vocab.error();
  switch (vocab->kind) {
    case VocabKind::kSpm:
      return SpmTokenizer::create(std::move(*vocab));
    case VocabKind::kBpe:
      return BpeTokenizer::create(file, std::move(*vocab));
    case VocabKind::kWordPiece:
      break;
  }
  return make_error(file.path() +
                    ": tokenizer.ggml.model is 'bert'; WordPiece vocabularies are "
                    "handled by embed/wordpiece.h, expected llama or gpt2 here");
}

namespace {

bool inside_any(std::span<const ByteSpan> spans, size_t b, size_t e) {
  for (const ByteSpan& s : spans) {
    if (b >= s.begin && e <= s.end) return true;
  }
  return false;
}

}  // namespace

std::vector<Fragment> partition_specials(const Vocab& vocab, std::string_view text,
                                         bool parse_special, std::span<const ByteSpan> allowed,
                                         bool restrict_to_allowed) {
  std::vector<Fragment> frags;
  if (text.empty()) return frags;
  frags.push_back({-1, 0, text.size()});
  std::vector<Fragment> next;
  for (int32_t id : vocab.specials_by_length) {
    if (!parse_special && vocab.is_control(id)) continue;
    const std::string& tok = vocab.tokens[static_cast<size_t>(id)];
    // Most special tokens never occur; one search of the whole text rules them out.
    if (text.find(tok) == std::string_view::npos) continue;
    next.clear();
    for (const Fragment& f : frags) {
      if (f.token >= 0) {
        next.push_back(f);
        continue;
      }
      size_t pos = f.begin, piece_begin = f.begin;
      while (pos < f.end) {
        const size_t m = text.substr(0, f.end).find(tok, pos);
        if (m == std::string_view::npos) break;
        if (restrict_to_allowed && vocab.is_control(id) &&
            !inside_any(allowed, m, m + tok.size())) {
          pos = m + 1;  // content text that merely looks like a control token
          continue;
        }
        if (m > piece_begin) next.push_back({-1, piece_begin, m});
        next.push_back({id, m, m + tok.size()});
        pos = piece_begin = m + tok.size();
      }
      if (piece_begin < f.end) next.push_back({-1, piece_begin, f.end});
    }
    frags.swap(next);
  }
  return frags;
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool add_bos,
                                       bool parse_special) const {
  return encode_fragments(text, add_bos, partition_specials(vocab_, text, parse_special));
}

std::vector<int32_t> Tokenizer::encode_with_special_spans(
    std::string_view text, bool add_bos, std::span<const ByteSpan> special_spans) const {
  return encode_fragments(text, add_bos,
                          partition_specials(vocab_, text, true, special_spans, true));
}

std::vector<int32_t> Tokenizer::encode_fragments(std::string_view text, bool add_bos,
                                                 const std::vector<Fragment>& frags) const {
  std::vector<int32_t> out;
  out.reserve(text.size() / 3 + 2);
  if (add_bos && vocab_.add_bos && vocab_.bos >= 0) out.push_back(vocab_.bos);
  bool after_special = true;
  for (const Fragment& f : frags) {
    if (f.token >= 0) {
      out.push_back(f.token);
      after_special = true;
    } else {
      encode_fragment(text.substr(f.begin, f.end - f.begin), after_special, out);
      after_special = false;
    }
  }
  if (add_bos && vocab_.add_eos && vocab_.eos >= 0) out.push_back(vocab_.eos);
  return out;
}

std::string Tokenizer::token_text(int32_t id, bool special) const {
  if (!vocab_.valid(id)) return {};
  const std::string& text = vocab_.tokens[static_cast<size_t>(id)];
  switch (vocab_.type(id)) {
    case TokenType::kControl:
    case TokenType::kUnknown:
      return special ? text : std::string();
    case TokenType::kUserDefined:
      return text;
    case TokenType::kNormal:
      return normal_token_text(id);
    case TokenType::kByte:
      // "<0xAB>": SentencePiece byte-fallback tokens stand for one raw byte.
      if (int byte = parse_byte_token(text); byte >= 0) {
        return std::string(1, static_cast<char>(byte));
      }
      return normal_token_text(id);
    case TokenType::kUnused:
    case TokenType::kUndefined:
      break;
  }
  return {};
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool special) const {
  return decode(ids, special, vocab_.add_space_prefix);
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool special,
                              bool strip_leading_space) const {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string piece = token_text(ids[i], special);
    if (i == 0 && strip_leading_space && !piece.empty() && piece[0] == ' ') piece.erase(0, 1);
    out += piece;
  }
  return out;
}

}  // namespace trove
