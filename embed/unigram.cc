// embed/unigram.cc — see unigram.h.
#include "embed/unigram.h"

#include <algorithm>
#include <cfloat>
#include <cstring>

namespace trove {
namespace {

// llama.cpp / sentencepiece token types.
constexpr int32_t kNormal = 1;
constexpr int32_t kUnknown = 2;
constexpr int32_t kControl = 3;
constexpr int32_t kUserDefined = 4;
constexpr int32_t kUnused = 5;
constexpr int32_t kByte = 6;

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";  // U+2581
constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";
constexpr float kUnkPenalty = 10.0f;

// sentencepiece's OneCharLen: the length a lead byte announces (1 for stray bytes).
size_t one_char_len(unsigned char c) {
  static constexpr unsigned char kLen[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  return kLen[c >> 4];
}

// Length of the valid UTF-8 character at the start of s, 0 when malformed
// (sentencepiece's IsValidDecodeUTF8: overlongs, surrogates and > U+10FFFF fail).
size_t valid_utf8_len(std::string_view s) {
  const auto c0 = static_cast<unsigned char>(s[0]);
  if (c0 < 0x80) return 1;
  size_t n = 0;
  uint32_t cp = 0;
  if ((c0 & 0xE0) == 0xC0) {
    n = 2;
    cp = c0 & 0x1F;
  } else if ((c0 & 0xF0) == 0xE0) {
    n = 3;
    cp = c0 & 0x0F;
  } else if ((c0 & 0xF8) == 0xF0) {
    n = 4;
    cp = c0 & 0x07;
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  for (size_t i = 1; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Darts-clone double-array unit fields.
bool unit_has_leaf(uint32_t u) {
  return ((u >> 8) & 1) != 0;
}
uint32_t unit_value(uint32_t u) {
  return u & ((1u << 31) - 1);
}
uint32_t unit_label(uint32_t u) {
  return u & ((1u << 31) | 0xFF);
}
uint32_t unit_offset(uint32_t u) {
  return (u >> 10) << ((u & (1u << 9)) >> 6);
}

int byte_of_piece(std::string_view p) {
  if (p.size() != 6 || p.substr(0, 3) != "<0x" || p[5] != '>') return -1;
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  const int hi = hex(p[3]);
  const int lo = hex(p[4]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

int32_t id_key(const GgufFile& f, const char* key, int32_t n) {
  if (!f.has(key)) return -1;
  const uint64_t v = f.uint_or(key, UINT64_MAX);
  return v < static_cast<uint64_t>(n) ? static_cast<int32_t>(v) : -1;
}

}  // namespace

Result<UnigramTokenizer> UnigramTokenizer::from_gguf(const GgufFile& file) {
  auto model = file.get_string("tokenizer.ggml.model");
  if (!model.ok()) return model.error();
  if (*model != "t5") {
    return make_error(file.path() + ": tokenizer.ggml.model is '" + std::string(*model) +
                      "', expected 't5' (SentencePiece Unigram)");
  }
  auto tokens = file.get_string_array("tokenizer.ggml.tokens");
  if (!tokens.ok()) return tokens.error();
  if (tokens->empty()) return make_error(file.path() + ": tokenizer.ggml.tokens is empty");
  const size_t n = tokens->size();
  auto scores = file.get_float_array("tokenizer.ggml.scores");
  if (!scores.ok()) return scores.error();
  auto types = file.get_int_array("tokenizer.ggml.token_type");
  if (!types.ok()) return types.error();
  if (scores->size() != n || types->size() != n) {
    return make_error(file.path() + ": tokenizer.ggml.scores/token_type have " +
                      std::to_string(scores->size()) + "/" + std::to_string(types->size()) +
                      " entries, expected " + std::to_string(n) + " (one per token)");
  }

  UnigramTokenizer t;
  t.tokens_.assign(tokens->begin(), tokens->end());
  t.scores_ = std::move(scores).value();
  t.types_.assign(types->begin(), types->end());
  t.byte_ids_.fill(-1);
  t.min_score_ = FLT_MAX;
  t.max_score_ = FLT_MIN;  // sentencepiece starts from FLT_MIN, not -FLT_MAX
  for (size_t i = 0; i < n; ++i) {
    const auto id = static_cast<int32_t>(i);
    const std::string& s = t.tokens_[i];
    const int32_t type = t.types_[i];
    if (type == kNormal) {
      t.min_score_ = std::min(t.min_score_, t.scores_[i]);
      t.max_score_ = std::max(t.max_score_, t.scores_[i]);
    }
    if (type == kNormal || type == kUserDefined || type == kUnused) {
      if (!s.empty() && t.pieces_.emplace(s, id).second) {
        t.max_piece_bytes_ = std::max(t.max_piece_bytes_, s.size());
      }
    }
    if (type == kUserDefined && !s.empty()) {
      t.user_defined_.emplace(s, id);
      t.max_user_defined_bytes_ = std::max(t.max_user_defined_bytes_, s.size());
    }
    if (type == kUnknown && t.unk_id < 0) t.unk_id = id;
    if (type == kControl && !s.empty()) t.specials_.push_back(id);
    if (type == kByte) {
      const int b = byte_of_piece(s);
      if (b >= 0 && t.byte_ids_[static_cast<size_t>(b)] < 0) {
        t.byte_ids_[static_cast<size_t>(b)] = id;
        t.byte_fallback_ = true;
      }
    }
  }
  if (t.min_score_ == FLT_MAX) t.min_score_ = 0;  // no normal piece at all
  const auto n32 = static_cast<int32_t>(n);
  if (const int32_t u = id_key(file, "tokenizer.ggml.unknown_token_id", n32); u >= 0) t.unk_id = u;
  if (t.unk_id < 0) {
    return make_error(file.path() + ": Unigram vocabulary has no unknown token " +
                      "(no token of type 2 and no tokenizer.ggml.unknown_token_id)");
  }
  for (int32_t& b : t.byte_ids_) {
    if (b < 0) b = t.unk_id;  // sentencepiece's PieceToId of a missing piece
  }
  t.bos_id = id_key(file, "tokenizer.ggml.bos_token_id", n32);
  t.eos_id = id_key(file, "tokenizer.ggml.eos_token_id", n32);
  t.pad_id = id_key(file, "tokenizer.ggml.padding_token_id", n32);
  t.add_bos = file.bool_or("tokenizer.ggml.add_bos_token", false) && t.bos_id >= 0;
  t.add_eos = file.bool_or("tokenizer.ggml.add_eos_token", true) && t.eos_id >= 0;
  // llama.cpp's defaults for a "t5" vocabulary when the keys are absent.
  t.add_space_prefix_ = file.bool_or("tokenizer.ggml.add_space_prefix", false);
  t.remove_extra_whitespaces_ = file.bool_or("tokenizer.ggml.remove_extra_whitespaces", false);
  std::sort(t.specials_.begin(), t.specials_.end(), [&](int32_t a, int32_t b) {
    return t.tokens_[static_cast<size_t>(a)].size() > t.tokens_[static_cast<size_t>(b)].size();
  });

  if (const GgufValue* cm = file.find("tokenizer.ggml.precompiled_charsmap"); cm != nullptr) {
    if (cm->type != GgufValueType::kArray ||
        (cm->elem_type != GgufValueType::kUint8 && cm->elem_type != GgufValueType::kInt8)) {
      return make_error(file.path() +
                        ": tokenizer.ggml.precompiled_charsmap is not an array of bytes");
    }
    const uint8_t* p = cm->array_data;
    const uint64_t size = cm->count;
    if (size > 0) {
      uint32_t trie_bytes = 0;
      if (size >= 4) std::memcpy(&trie_bytes, p, 4);  // little endian, as GGUF is
      if (size < 4 || trie_bytes % 4 != 0 || trie_bytes == 0 ||
          static_cast<uint64_t>(trie_bytes) + 4 > size) {
        return make_error(file.path() + ": tokenizer.ggml.precompiled_charsmap is malformed (" +
                          std::to_string(size) + " bytes, trie of " + std::to_string(trie_bytes) +
                          ")");
      }
      t.trie_.resize(trie_bytes / 4);
      std::memcpy(t.trie_.data(), p + 4, trie_bytes);
      t.replacements_.assign(reinterpret_cast<const char*>(p + 4 + trie_bytes),
                             size - 4 - trie_bytes);
    }
  }
  return t;
}

std::string_view UnigramTokenizer::token_text(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= tokens_.size()) return {};
  return tokens_[static_cast<size_t>(id)];
}

// Darts' commonPrefixSearch, keeping the longest hit; every index is bounds-checked
// because the table comes from the file.
std::string_view UnigramTokenizer::charsmap_prefix(std::string_view s, size_t* consumed) const {
  *consumed = 0;
  if (trie_.empty()) return {};
  size_t longest = 0;
  uint32_t value = 0;
  size_t node = unit_offset(trie_[0]);
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    node ^= c;
    if (node >= trie_.size()) break;
    const uint32_t unit = trie_[node];
    if (unit_label(unit) != c) break;
    node ^= unit_offset(unit);
    if (node >= trie_.size()) break;
    if (unit_has_leaf(unit)) {
      longest = i + 1;
      value = unit_value(trie_[node]);
    }
  }
  if (longest == 0 || value >= replacements_.size()) return {};
  const char* begin = replacements_.data() + value;
  const size_t max = replacements_.size() - value;
  *consumed = longest;
  return {begin, strnlen(begin, max)};
}

std::string_view UnigramTokenizer::normalize_prefix(std::string_view s, size_t* consumed) const {
  // User-defined pieces pass unchanged, longest first.
  for (size_t len = std::min(max_user_defined_bytes_, s.size()); len > 0; --len) {
    if (user_defined_.find(s.substr(0, len)) != user_defined_.end()) {
      *consumed = len;
      return s.substr(0, len);
    }
  }
  std::string_view rep = charsmap_prefix(s, consumed);
  if (*consumed > 0) return rep;
  const size_t len = valid_utf8_len(s);
  if (len == 0) {
    *consumed = 1;  // one malformed byte becomes U+FFFD
    return kReplacementChar;
  }
  *consumed = len;
  return s.substr(0, len);
}

std::string UnigramTokenizer::normalize(std::string_view input) const {
  std::string out;
  size_t used = 0;
  if (remove_extra_whitespaces_) {
    while (!input.empty() && normalize_prefix(input, &used) == " ") input.remove_prefix(used);
  }
  if (input.empty()) return out;
  out.reserve(input.size() * 3);
  if (add_space_prefix_) out.append(kSpaceSymbol);
  bool prev_space = remove_extra_whitespaces_;
  while (!input.empty()) {
    std::string_view piece = normalize_prefix(input, &used);
    while (prev_space && !piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    if (!piece.empty()) {
      for (char c : piece) {
        if (c == ' ') {
          out.append(kSpaceSymbol);
        } else {
          out.push_back(c);
        }
      }
      prev_space = piece.back() == ' ';
    }
    input.remove_prefix(used);
    if (!remove_extra_whitespaces_) prev_space = false;
  }
  if (remove_extra_whitespaces_) {
    while (out.size() >= kSpaceSymbol.size() &&
           std::string_view(out).substr(out.size() - kSpaceSymbol.size()) == kSpaceSymbol) {
      out.resize(out.size() - kSpaceSymbol.size());
    }
  }
  return out;
}

// sentencepiece's EncodeOptimized: the best path ending at each byte offset, then a
// backtrack; byte fallback or <unk> merging as PopulateSentencePieceText does it.
void UnigramTokenizer::viterbi(std::string_view s, std::vector<int32_t>& out) const {
  if (s.empty()) return;
  struct Best {
    int32_t id = -1;
    float score = 0;
    int64_t start = -1;
  };
  const size_t size = s.size();
  const float unk_score = min_score_ - kUnkPenalty;
  std::vector<Best> best(size + 1);
  for (size_t start = 0; start < size;) {
    const float here = best[start].score;
    const size_t mblen = std::min(one_char_len(static_cast<unsigned char>(s[start])), size - start);
    bool single = false;
    const size_t max_len = std::min(max_piece_bytes_, size - start);
    for (size_t len = 1; len <= max_len; ++len) {
      auto it = pieces_.find(s.substr(start, len));
      if (it == pieces_.end()) continue;
      const int32_t id = it->second;
      const int32_t type = types_[static_cast<size_t>(id)];
      if (type == kUnused) continue;
      Best& target = best[start + len];
      // Same arithmetic as sentencepiece, whose score is a double either way (the
      // user-defined branch of its ternary makes it one): the sum is compared in
      // double and only then stored as a float. Tie-breaks between equal pieces in
      // another order depend on it.
      const double score = type == kUserDefined
                               ? static_cast<double>(static_cast<float>(len) * max_score_) - 0.1
                               : static_cast<double>(scores_[static_cast<size_t>(id)]);
      const double candidate = score + static_cast<double>(here);
      if (target.start < 0 || candidate > static_cast<double>(target.score)) {
        target = {id, static_cast<float>(candidate), static_cast<int64_t>(start)};
      }
      if (len == mblen) single = true;
    }
    if (!single) {
      Best& target = best[start + mblen];
      const float candidate = unk_score + here;
      if (target.start < 0 || candidate > target.score) {
        target = {unk_id, candidate, static_cast<int64_t>(start)};
      }
    }
    start += mblen;
  }
  struct Piece {
    size_t begin, end;
    int32_t id;
  };
  std::vector<Piece> path;
  for (size_t end = size; end > 0;) {
    const Best& b = best[end];
    const auto begin = static_cast<size_t>(b.start);
    path.push_back({begin, end, b.id});
    end = begin;
  }
  std::reverse(path.begin(), path.end());
  bool prev_unk = false;
  for (const Piece& p : path) {
    const bool unk = p.id == unk_id;
    if (unk && byte_fallback_) {
      for (size_t i = p.begin; i < p.end; ++i) {
        out.push_back(byte_ids_[static_cast<unsigned char>(s[i])]);
      }
    } else if (!(unk && prev_unk)) {
      out.push_back(p.id);
    }
    prev_unk = unk;
  }
}

std::vector<int32_t> UnigramTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> out;
  viterbi(normalize(text), out);
  return out;
}

std::vector<int32_t> UnigramTokenizer::encode_with_specials(std::string_view text) const {
  std::vector<int32_t> out;
  size_t plain = 0;  // start of the text not yet encoded
  for (size_t i = 0; i < text.size();) {
    int32_t hit = -1;
    for (int32_t id : specials_) {
      const std::string& s = tokens_[static_cast<size_t>(id)];
      if (text.compare(i, s.size(), s) == 0) {
        hit = id;
        break;
      }
    }
    if (hit < 0) {
      ++i;
      continue;
    }
    viterbi(normalize(text.substr(plain, i - plain)), out);
    out.push_back(hit);
    i += tokens_[static_cast<size_t>(hit)].size();
    plain = i;
  }
  viterbi(normalize(text.substr(plain)), out);
  return out;
}

}  // namespace trove
