// index/cjk_tokenizer.cc — FTS5 tokenizer with CJK bigrams (see cjk_tokenizer.h).
#include "index/cjk_tokenizer.h"

#include <memory>

namespace trove::index {
namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length (1 for an invalid byte, with
// cp set to U+FFFD so it is never CJK).
size_t decode(const unsigned char* s, size_t n, size_t i, char32_t* cp) {
  unsigned char c = s[i];
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > n) {
    *cp = 0xFFFD;
    return 1;
  }
  if (len == 1) {
    *cp = c;
    return 1;
  }
  char32_t v = c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (s[i + k] & 0x3F);
  }
  *cp = v;
  return len;
}

struct Inner {
  fts5_tokenizer methods{};
  Fts5Tokenizer* tok = nullptr;
};

struct Tokenizer {
  Inner inner;
  ~Tokenizer() {
    if (inner.tok) inner.methods.xDelete(inner.tok);
  }
};

int create(void* ctx, const char** args, int nargs, Fts5Tokenizer** out) {
  auto* api = static_cast<fts5_api*>(ctx);
  const char* inner_name = nargs > 0 ? args[0] : "unicode61";
  void* inner_ctx = nullptr;
  auto t = std::make_unique<Tokenizer>();
  int rc = api->xFindTokenizer(api, inner_name, &inner_ctx, &t->inner.methods);
  if (rc != SQLITE_OK) return rc;
  rc = t->inner.methods.xCreate(inner_ctx, nargs > 0 ? args + 1 : nullptr,
                                nargs > 0 ? nargs - 1 : 0, &t->inner.tok);
  if (rc != SQLITE_OK) return rc;
  *out = reinterpret_cast<Fts5Tokenizer*>(t.release());
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer* p) {
  // SQLite hands back what create() released: taking it back into a unique_ptr ends it.
  std::unique_ptr<Tokenizer>(reinterpret_cast<Tokenizer*>(p)).reset();
}

using TokenFn = int (*)(void*, int, const char*, int, int, int);

// Forwards the wrapped tokenizer's tokens with offsets shifted to the whole text.
struct Shift {
  void* ctx;
  TokenFn emit;
  int offset;
};
int shifted(void* p, int flags, const char* token, int n, int start, int end) {
  auto* s = static_cast<Shift*>(p);
  return s->emit(s->ctx, flags, token, n, start + s->offset, end + s->offset);
}

// Walks `text` as alternating non-CJK spans and CJK runs: plain(begin, end) for each
// span, run(starts, end) for each run (starts = byte offset of every character).
// Stops at the first non-zero return and passes it on.
template <class Plain, class Run>
int scan(std::string_view text, Plain&& plain, Run&& run) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0, plain_start = 0;
  std::vector<size_t> starts;
  while (i < n) {
    char32_t cp = 0;
    size_t len = decode(s, n, i, &cp);
    if (!is_cjk_codepoint(cp)) {
      i += len;
      continue;
    }
    if (i > plain_start)
      if (int rc = plain(plain_start, i); rc != 0) return rc;
    starts.clear();
    while (i < n && (len = decode(s, n, i, &cp), is_cjk_codepoint(cp))) {
      starts.push_back(i);
      i += len;
    }
    if (int rc = run(starts, i); rc != 0) return rc;
    plain_start = i;
  }
  return n > plain_start ? plain(plain_start, n) : 0;
}

// Overlapping bigrams of a run ([begin, end) byte ranges); a lone character is itself.
template <class Emit>
int bigrams(const std::vector<size_t>& starts, size_t run_end, Emit&& emit) {
  const size_t n = starts.size();
  if (n == 1) return emit(starts[0], run_end);
  for (size_t k = 0; k + 1 < n; ++k) {
    if (int rc = emit(starts[k], k + 2 < n ? starts[k + 2] : run_end); rc != 0) return rc;
  }
  return 0;
}

int tokenize(Fts5Tokenizer* p, void* ctx, int flags, const char* text, int ntext, TokenFn emit) {
  auto* t = reinterpret_cast<Tokenizer*>(p);
  auto plain = [&](size_t b, size_t e) {
    Shift sh{ctx, emit, static_cast<int>(b)};
    return t->inner.methods.xTokenize(t->inner.tok, &sh, flags, text + b, static_cast<int>(e - b),
                                      shifted);
  };
  auto run = [&](const std::vector<size_t>& starts, size_t end) {
    return bigrams(starts, end, [&](size_t b, size_t e) {
      return emit(ctx, 0, text + b, static_cast<int>(e - b), static_cast<int>(b),
                  static_cast<int>(e));
    });
  };
  return scan(std::string_view(text, static_cast<size_t>(ntext)), plain, run);
}

// The connection's FTS5 API, through the documented "SELECT fts5(?)" pointer handshake.
fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(st);
  sqlite3_finalize(st);
  return api;
}

}  // namespace

bool is_cjk_codepoint(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) ||    // CJK Unified Ideographs
         (c >= 0x3400 && c <= 0x4DBF) ||    // extension A
         (c >= 0x20000 && c <= 0x2FA1F) ||  // extensions B-F, compatibility supplement
         (c >= 0xF900 && c <= 0xFAFF) ||    // compatibility ideographs
         (c >= 0x3040 && c <= 0x309F) ||    // Hiragana
         (c >= 0x30A0 && c <= 0x30FF) ||    // Katakana
         (c >= 0x31F0 && c <= 0x31FF) ||    // Katakana phonetic extensions
         (c >= 0xFF66 && c <= 0xFF9F) ||    // half-width Katakana
         (c >= 0xAC00 && c <= 0xD7AF) ||    // Hangul syllables
         (c >= 0x1100 && c <= 0x11FF) ||    // Hangul jamo
         (c >= 0x3130 && c <= 0x318F) ||    // Hangul compatibility jamo
         c == 0x3005;                       // 々, the ideographic iteration mark
}

std::vector<std::string> cjk_segments(std::string_view text) {
  std::vector<std::string> out;
  auto piece = [&](size_t b, size_t e) {
    out.emplace_back(text.substr(b, e - b));
    return 0;
  };
  scan(text, piece, [&](const std::vector<size_t>& starts, size_t end) {
    return bigrams(starts, end, piece);
  });
  return out;
}

int register_cjk_tokenizer(sqlite3* db) {
  fts5_api* api = fts5_of(db);
  if (!api) return SQLITE_ERROR;
  fts5_tokenizer methods{create, destroy, tokenize};
  return api->xCreateTokenizer(api, "trove_cjk", api, &methods, nullptr);
}

}  // namespace trove::index
