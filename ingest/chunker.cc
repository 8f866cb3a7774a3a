// ingest/chunker.cc — structure-aware packing of blocks into token-budgeted chunks
// (rules in chunker.h).
//
// Packing sums the token counts of the pieces plus their separators instead of
// recounting the growing chunk: exact for additive counters (WordTokenCounter: pieces
// are joined at whitespace), linear on any input; Chunk::token_count is the count of the
// final text.
#include "ingest/chunker.h"

#include <algorithm>
#include <utility>

#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

struct Piece {
  std::string_view text;
  bool block_start = false;  // first piece of its block: joined with "\n\n", else " "
  int line_start = 0, line_end = 0;
  const Block* block = nullptr;  // set when `text` lies inside block->text
};

bool is_sentence_end(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == '.' || c == '!' || c == '?') {
    return i + 1 < s.size() && (s[i + 1] == ' ' || s[i + 1] == '\n');
  }
  // 。！？ (E3 80 82, EF BC 81, EF BC 9F): CJK text has no space after them.
  if (i >= 2 && static_cast<unsigned char>(s[i - 2]) == 0xE3 &&
      static_cast<unsigned char>(s[i - 1]) == 0x80 && c == 0x82) {
    return true;
  }
  if (i >= 2 && static_cast<unsigned char>(s[i - 2]) == 0xEF &&
      static_cast<unsigned char>(s[i - 1]) == 0xBC && (c == 0x81 || c == 0x9F)) {
    return true;
  }
  return false;
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\t';
}

// The 1-based source line of byte `off` of b.text (b.line_start when unknown).
int line_at(const Block& b, size_t off) {
  if (b.line_start <= 0) return 0;
  auto it = std::upper_bound(b.line_offsets.begin(), b.line_offsets.end(), off);
  return b.line_start + static_cast<int>(it - b.line_offsets.begin());
}

// A piece of `b` (a view into b.text) with its own line span.
Piece piece_of(const Block& b, std::string_view text, bool block_start) {
  if (text.empty() || b.line_offsets.empty() || text.data() < b.text.data() ||
      text.data() + text.size() > b.text.data() + b.text.size()) {
    return {text, block_start, b.line_start, b.line_end};
  }
  const size_t off = static_cast<size_t>(text.data() - b.text.data());
  return {text, block_start, line_at(b, off), line_at(b, off + text.size() - 1), &b};
}

class Packer {
 public:
  Packer(const TokenCounter& counter, const ChunkOptions& o, std::vector<Chunk>* out)
      : counter_(counter),
        max_(std::max(1, o.max_tokens)),
        overlap_(std::clamp(o.overlap_tokens, 0, std::max(0, o.max_tokens / 2))),
        out_(out) {}

  // Starts a new section/page group: no packing or overlap across it.
  void begin_group(const std::vector<std::string>& path, int page) {
    finish();
    path_ = path;
    page_ = page;
    prev_text_.clear();
    prev_marks_.clear();
  }

  void add_block(const Block& b) {
    int t = counter_.count(b.text);
    if (t <= max_) {
      add_piece(piece_of(b, b.text, true), t);
      return;
    }
    split_block(b);
  }

  void finish() {
    if (text_.empty()) return;
    Chunk c;
    c.ordinal = static_cast<int>(out_->size());
    c.text = std::move(text_);
    c.heading_path = path_;
    c.page_start = c.page_end = page_;
    c.line_start = line_start_;
    c.line_end = line_end_;
    c.token_count = counter_.count(c.text);
    c.overlap_bytes = overlap_bytes_;
    prev_text_ = c.text;
    prev_marks_ = std::move(marks_);
    marks_.clear();
    prev_line_end_ = line_end_;
    out_->push_back(std::move(c));
    text_.clear();
    tokens_ = 0;
    line_start_ = line_end_ = 0;
    overlap_bytes_ = 0;
    has_own_ = false;
  }

 private:
  void add_piece(const Piece& p, int t) {
    const std::string_view sep = p.block_start ? "\n\n" : " ";
    if (has_own_ && tokens_ + t > max_) {
      finish();
      start_with_overlap(t);
    }
    if (!text_.empty()) text_ += sep;
    if (p.line_start > 0) mark_lines(p);
    text_ += p.text;
    tokens_ += t;
    has_own_ = true;
    if (p.line_start > 0 && (line_start_ == 0 || p.line_start < line_start_))
      line_start_ = p.line_start;
    line_end_ = std::max(line_end_, p.line_end);
  }

  // Records where each source line of `p` starts in text_ (p is appended next), so
  // that overlap carried into the next chunk knows its lines exactly.
  void mark_lines(const Piece& p) {
    const size_t base = text_.size();
    marks_.emplace_back(base, p.line_start);
    if (p.block == nullptr) return;
    const std::vector<uint32_t>& offs = p.block->line_offsets;
    const size_t off = static_cast<size_t>(p.text.data() - p.block->text.data());
    for (auto it = std::upper_bound(offs.begin(), offs.end(), off);
         it != offs.end() && *it < off + p.text.size(); ++it) {
      marks_.emplace_back(base + (*it - off), line_at(*p.block, *it));
    }
  }

  // Seeds the next chunk with the previous chunk's trailing sentences, else its
  // trailing words, worth at most overlap_ tokens and leaving room for `next` tokens.
  void start_with_overlap(int next) {
    int room = std::min(overlap_, max_ - next);
    if (room <= 0 || prev_text_.empty()) return;
    std::string_view prev = prev_text_;
    // Candidate start positions, latest first: after sentence ends, then after spaces.
    size_t best = std::string_view::npos;
    for (int pass = 0; pass < 2 && best == std::string_view::npos; ++pass) {
      for (size_t i = prev.size(); i-- > 1;) {
        bool cut = pass == 0
                       ? is_sentence_end(prev, i - 1) &&
                             (is_space(prev[i]) || static_cast<unsigned char>(prev[i - 1]) >= 0x80)
                       : is_space(prev[i - 1]) && !is_space(prev[i]);
        if (!cut) continue;
        size_t from = i;
        while (from < prev.size() && is_space(prev[from])) ++from;
        if (from >= prev.size()) continue;
        if (counter_.count(prev.substr(from)) > room) break;
        best = from;
        // Stop scanning long texts far beyond any plausible overlap.
        if (prev.size() - i > static_cast<size_t>(room) * 64) break;
      }
    }
    if (best == std::string_view::npos) return;
    std::string_view tail = prev.substr(best);
    text_.assign(tail);
    // The repeated text keeps the lines it came from: the last line mark at or before
    // its start.
    for (auto it = prev_marks_.rbegin(); it != prev_marks_.rend(); ++it) {
      if (it->first > best) continue;
      line_start_ = it->second;
      line_end_ = prev_line_end_;
      marks_.emplace_back(0, it->second);
      break;
    }
    tokens_ = counter_.count(tail);
    overlap_bytes_ = static_cast<int>(tail.size()) + 1;  // the separator follows
  }

  // An oversized block: sentences, then runs of words, then UTF-8-safe cuts of a
  // single enormous word — each piece within the budget.
  void split_block(const Block& b) {
    std::string_view s = b.text;
    bool first = true;
    size_t start = 0;
    auto emit = [&](std::string_view piece) {
      piece = trim(piece);
      if (piece.empty()) return;
      int t = counter_.count(piece);
      if (t <= max_) {
        add_piece(piece_of(b, piece, first), t);
        first = false;
        return;
      }
      split_words(piece, &first, b);
    };
    for (size_t i = 0; i < s.size(); ++i) {
      if (is_sentence_end(s, i)) {
        emit(s.substr(start, i + 1 - start));
        start = i + 1;
      }
    }
    emit(s.substr(start));
  }

  void split_words(std::string_view s, bool* first, const Block& b) {
    size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && is_space(s[i])) ++i;
      size_t e = i;
      while (e < s.size() && !is_space(s[e])) ++e;
      if (e == i) break;
      std::string_view word = s.substr(i, e - i);
      int t = counter_.count(word);
      if (t <= max_) {
        add_piece(piece_of(b, word, *first), t);
        *first = false;
      } else {
        split_word(word, first, b);
      }
      i = e;
    }
  }

  void split_word(std::string_view w, bool* first, const Block& b) {
    size_t guess = static_cast<size_t>(max_) * 4;  // bytes; shrunk until it fits
    while (!w.empty()) {
      size_t len = std::min(guess, w.size());
      for (;;) {
        size_t cut = len >= w.size() ? w.size() : utf8_floor(w, len);
        if (cut == 0) cut = std::min(w.size(), static_cast<size_t>(4));  // one code point
        int t = counter_.count(w.substr(0, cut));
        if (t <= max_ || cut <= 4) {
          // Pieces of one word are joined without a block separator.
          add_piece(piece_of(b, w.substr(0, cut), *first), t);
          *first = false;
          w.remove_prefix(cut);
          break;
        }
        len = cut / 2;
        guess = len;
      }
    }
  }

  const TokenCounter& counter_;
  const int max_;
  const int overlap_;
  std::vector<Chunk>* out_;
  std::vector<std::string> path_;
  int page_ = 0;
  std::string text_;
  int tokens_ = 0;
  bool has_own_ = false;  // text_ holds more than overlap
  int line_start_ = 0, line_end_ = 0;
  int overlap_bytes_ = 0;
  std::string prev_text_;
  // (offset in the chunk text, source line there) at each piece, for the overlap span.
  std::vector<std::pair<size_t, int>> marks_, prev_marks_;
  int prev_line_end_ = 0;
};

}  // namespace

std::vector<Chunk> chunk_document(const ParsedDocument& doc, const TokenCounter& counter,
                                  const ChunkOptions& options) {
  std::vector<Chunk> chunks;
  Packer packer(counter, options, &chunks);
  bool started = false;
  std::vector<std::string> path;
  int page = 0;
  for (size_t i = 0; i < doc.blocks.size(); ++i) {
    const Block& b = doc.blocks[i];
    if (b.kind == BlockKind::kHeading) {
      // A heading with no body before the next heading is worth finding on its own.
      bool bodyless = i + 1 == doc.blocks.size() || doc.blocks[i + 1].kind == BlockKind::kHeading;
      started = false;
      if (!bodyless) continue;
      std::vector<std::string> own = b.heading_path;
      own.push_back(b.text);
      packer.begin_group(own, b.page);
      packer.add_block(b);
      continue;
    }
    if (b.text.empty()) continue;
    if (!started || b.heading_path != path || b.page != page) {
      path = b.heading_path;
      page = b.page;
      packer.begin_group(path, page);
      started = true;
    }
    packer.add_block(b);
  }
  packer.finish();
  return chunks;
}

}  // namespace trove::ingest
