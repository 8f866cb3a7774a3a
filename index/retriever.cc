// index/retriever.cc — lexical retrieval over FTS5 (see retriever.h).
#include "index/retriever.h"

#include <algorithm>

#include "index/fts_query.h"

namespace trove::index {
namespace {

// Ranking selects only ids and scores: carrying chunk text through the sort for every
// matching row would cost more than the ranking itself. Details and snippets are
// fetched for the k winners only.
constexpr std::string_view kRankSql =
    "SELECT chunks_fts.rowid, bm25(chunks_fts, 1.0, 2.0, 3.0) AS score"
    " FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid"
    " JOIN documents d ON d.id = c.document_id"
    " WHERE chunks_fts MATCH ?1"
    " AND (?2 IS NULL OR d.path GLOB ?2 OR d.rel_path GLOB ?2)"
    " AND (?3 IS NULL OR d.type = ?3)"
    " AND (?4 IS NULL OR d.source_id = (SELECT id FROM sources WHERE root = ?4))"
    " ORDER BY score LIMIT ?5";

constexpr std::string_view kDetailsSql =
    "SELECT d.path, d.rel_path, d.title, coalesce(d.type, ''), c.heading, c.page_start,"
    " c.page_end, c.line_start, c.line_end, c.text"
    " FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ?1";

constexpr std::string_view kSnippetSql =
    "SELECT snippet(chunks_fts, 0, char(2), char(3), '…', 40) FROM chunks_fts"
    " WHERE chunks_fts MATCH ?1 AND rowid = ?2";

std::optional<std::string> nonempty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

const char* search_mode_name(SearchMode m) {
  switch (m) {
    case SearchMode::kLexical:
      return "lexical";
    case SearchMode::kSemantic:
      return "semantic";
    case SearchMode::kHybrid:
      return "hybrid";
  }
  return "?";
}

Result<std::unique_ptr<LexicalRetriever>> LexicalRetriever::open(const std::string& db_path) {
  auto db = Db::open(db_path, OpenMode::kReadOnly);
  if (!db.ok()) return db.error();
  std::unique_ptr<LexicalRetriever> r(new LexicalRetriever(std::move(*db)));
  TROVE_TRY(r->prepare());
  return r;
}

Status LexicalRetriever::prepare() {
  auto rank = db_.prepare(kRankSql);
  if (!rank.ok()) return rank.error();
  auto details = db_.prepare(kDetailsSql);
  if (!details.ok()) return details.error();
  auto snippet = db_.prepare(kSnippetSql);
  if (!snippet.ok()) return snippet.error();
  rank_ = std::move(*rank);
  details_ = std::move(*details);
  snippet_ = std::move(*snippet);
  return {};
}

Status LexicalRetriever::fill_details(SearchHit& h, const std::string& match) const {
  details_.reset();
  details_.bind(1, h.chunk_id);
  auto row = details_.step();
  if (!row.ok()) return row.error();
  if (*row) {
    h.path = details_.column_text(0);
    h.rel_path = details_.column_text(1);
    h.title = details_.column_text(2);
    h.type = details_.column_text(3);
    h.heading = details_.column_text(4);
    h.page_start = static_cast<int>(details_.column_int(5));
    h.page_end = static_cast<int>(details_.column_int(6));
    h.line_start = static_cast<int>(details_.column_int(7));
    h.line_end = static_cast<int>(details_.column_int(8));
    h.text = details_.column_text(9);
  }
  details_.reset();
  snippet_.reset();
  snippet_.bind(1, match).bind(2, h.chunk_id);
  auto srow = snippet_.step();
  if (!srow.ok()) return srow.error();
  if (*srow) h.snippet = snippet_.column_text(0);
  snippet_.reset();
  return {};
}

Result<std::vector<SearchHit>> LexicalRetriever::search(std::string_view query, int k,
                                                        const SearchFilters& filters) const {
  std::vector<SearchHit> hits;
  FtsQuery q = translate_query(query);
  if (q.match.empty() || k <= 0) return hits;
  std::lock_guard lk(mu_);
  // One read transaction across ranking and details: a concurrent `trove index`
  // commit cannot remove a winner between the two steps.
  TROVE_TRY(db_.exec("BEGIN"));
  struct EndRead {
    Db& db;
    ~EndRead() { (void)db.exec("COMMIT"); }
  } end_read{db_};
  rank_.reset();
  rank_.bind(1, q.match).bind(2, nonempty(filters.path_glob)).bind(3, nonempty(filters.type));
  rank_.bind(4, nonempty(filters.source)).bind(5, static_cast<int64_t>(k));
  for (;;) {
    auto row = rank_.step();
    if (!row.ok()) {
      rank_.reset();
      return row.error();
    }
    if (!*row) break;
    SearchHit h;
    h.chunk_id = rank_.column_int(0);
    h.score = -rank_.column_double(1);
    hits.push_back(std::move(h));
  }
  rank_.reset();
  for (auto& h : hits) TROVE_TRY(fill_details(h, q.match));
  return hits;
}

}  // namespace trove::index
