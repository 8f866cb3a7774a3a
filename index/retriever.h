// index/retriever.h — ranked passages for a query: the search interface.
//
//   auto r = LexicalRetriever::open(paths.db);
//   auto hits = (*r)->search("vpn configuration", 10, {.type = "markdown"});
//
// Retriever is the small interface every search mode implements (lexical now; dense
// and hybrid with the embedding model). search() is const and safe to call from
// several threads at once.
//
// Lexical: FTS5 BM25 over porter-stemmed terms; the query goes through
// translate_query() (index/fts_query.h) so no user text can cause an FTS5 error.
// Column weights: text 1, heading 2, title 3 (a hit in a title or heading says more
// about the passage than one in running text).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "index/sqlite.h"

namespace trove::index {

// Snippets mark matched terms with these bytes (never present in stored text: the
// parsers drop C0 controls). The CLI turns them into colour or removes them.
inline constexpr char kMatchOpen = '\x02';
inline constexpr char kMatchClose = '\x03';

struct SearchFilters {
  std::string path_glob;  // SQLite GLOB against the absolute or the source-relative path
  std::string type;       // "markdown", "text", "html", "pdf", "docx", "odt", "epub"; empty = any
  std::string source;     // a source root (absolute); empty = any
};

struct SearchHit {
  int64_t chunk_id = 0;
  std::string path;      // absolute
  std::string rel_path;  // relative to its source
  std::string title;
  std::string type;
  std::string heading;  // " > "-joined heading path
  int page_start = 0, page_end = 0;
  int line_start = 0, line_end = 0;
  double score = 0;     // higher is better (negated BM25 for lexical)
  std::string text;     // the whole chunk
  std::string snippet;  // an excerpt with kMatchOpen/kMatchClose around matches
};

enum class SearchMode { kLexical, kSemantic, kHybrid };
const char* search_mode_name(SearchMode m);

// The longest query accepted, in bytes. A pasted page is a fine query; a pasted book
// is a mistake that would cost minutes (issue 15, fault 3). Longer queries get an
// error that says the limit, never a silent truncation.
constexpr size_t kMaxQueryBytes = 8192;
Status check_query_length(std::string_view query);

// The hits' chunk ids as a JSON array ("[3,7]"), bound to `IN (SELECT value FROM
// json_each(?))` so one prepared statement reads details for all of them.
std::string json_id_list(const std::vector<SearchHit>& hits);

// The columns both retrievers select after the chunk id, in this order:
// d.path, d.rel_path, d.title, coalesce(d.type, ''), c.heading, c.page_start,
// c.page_end, c.line_start, c.line_end, c.text — read from `st` starting at `first`.
void read_hit_details(const Stmt& st, int first, SearchHit& h);

class Retriever {
 public:
  virtual ~Retriever() = default;
  // The k best passages, best first. An empty vector when nothing matched (or the
  // query had no searchable term). Errors for database failures and for a query over
  // kMaxQueryBytes.
  virtual Result<std::vector<SearchHit>> search(std::string_view query, int k,
                                                const SearchFilters& filters) const = 0;
};

class LexicalRetriever final : public Retriever {
 public:
  // Opens its own connection to the library database (never takes the writer lock).
  static Result<std::unique_ptr<LexicalRetriever>> open(const std::string& db_path);

  Result<std::vector<SearchHit>> search(std::string_view query, int k,
                                        const SearchFilters& filters) const override;

 private:
  explicit LexicalRetriever(Db db) : db_(std::move(db)) {}
  Status prepare();
  Status fill_details(std::vector<SearchHit>& hits, const std::string& match) const;

  // One connection, its statements prepared once; the mutex makes concurrent
  // search() calls take turns on it (each call takes well under a millisecond to a
  // few milliseconds; separate connections per thread can come when that matters).
  mutable std::mutex mu_;
  mutable Db db_;
  mutable Stmt rank_, rank_all_, details_, snippet_;
};

}  // namespace trove::index
