// index/retriever.cc — lexical retrieval over FTS5 (see retriever.h).
#include "index/retriever.h"

#include <algorithm>
#include <unordered_map>

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

// Without filters the joins are pure cost (one lookup per matching row): skip them.
constexpr std::string_view kRankUnfilteredSql =
    "SELECT rowid, bm25(chunks_fts, 1.0, 2.0, 3.0) AS score FROM chunks_fts"
    " WHERE chunks_fts MATCH ?1 ORDER BY score LIMIT ?2";

// Details and snippets for all winners in one statement each: evaluating the MATCH
// once per hit (rowid = ?) re-reads the terms' doclists every time, which cost more
// than the ranking itself on common words.
constexpr std::string_view kDetailsSql =
    "SELECT c.id, d.path, d.rel_path, d.title, coalesce(d.type, ''), c.heading, c.page_start,"
    " c.page_end, c.line_start, c.line_end, c.text"
    " FROM chunks c JOIN documents d ON d.id = c.document_id"
    " WHERE c.id IN (SELECT value FROM json_each(?1))";

constexpr std::string_view kSnippetSql =
    "SELECT rowid, snippet(chunks_fts, 0, char(2), char(3), '…', 40) FROM chunks_fts"
    " WHERE chunks_fts MATCH ?1 AND rowid IN (SELECT value FROM json_each(?2))";

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
  auto rank_all = db_.prepare(kRankUnfilteredSql);
  if (!rank_all.ok()) return rank_all.error();
  auto details = db_.prepare(kDetailsSql);
  if (!details.ok()) return details.error();
  auto snippet = db_.prepare(kSnippetSql);
  if (!snippet.ok()) return snippet.error();
  rank_ = std::move(*rank);
  rank_all_ = std::move(*rank_all);
  details_ = std::move(*details);
  snippet_ = std::move(*snippet);
  return {};
}

Status LexicalRetriever::fill_details(std::vector<SearchHit>& hits,
                                      const std::string& match) const {
  std::unordered_map<int64_t, SearchHit*> by_id;
  for (auto& h : hits) by_id[h.chunk_id] = &h;
  const std::string ids = json_id_list(hits);
  details_.reset();
  details_.bind(1, ids);
  for (;;) {
    auto row = details_.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    auto it = by_id.find(details_.column_int(0));
    if (it == by_id.end()) continue;
    read_hit_details(details_, 1, *it->second);
  }
  details_.reset();
  snippet_.reset();
  snippet_.bind(1, match).bind(2, ids);
  for (;;) {
    auto row = snippet_.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    auto it = by_id.find(snippet_.column_int(0));
    if (it != by_id.end()) it->second->snippet = snippet_.column_text(1);
  }
  snippet_.reset();
  return {};
}

std::string json_id_list(const std::vector<SearchHit>& hits) {
  std::string out = "[";
  for (const auto& h : hits) {
    if (out.size() > 1) out += ',';
    out += std::to_string(h.chunk_id);
  }
  out += ']';
  return out;
}

void read_hit_details(const Stmt& st, int first, SearchHit& h) {
  h.path = st.column_text(first);
  h.rel_path = st.column_text(first + 1);
  h.title = st.column_text(first + 2);
  h.type = st.column_text(first + 3);
  h.heading = st.column_text(first + 4);
  h.page_start = static_cast<int>(st.column_int(first + 5));
  h.page_end = static_cast<int>(st.column_int(first + 6));
  h.line_start = static_cast<int>(st.column_int(first + 7));
  h.line_end = static_cast<int>(st.column_int(first + 8));
  h.text = st.column_text(first + 9);
}

Status check_query_length(std::string_view query) {
  if (query.size() <= kMaxQueryBytes) return {};
  return make_error("the query is " + std::to_string(query.size()) + " bytes; at most " +
                    std::to_string(kMaxQueryBytes) +
                    " are accepted (search for its distinctive "
                    "words or a passage of it)");
}

Result<std::vector<SearchHit>> LexicalRetriever::search(std::string_view query, int k,
                                                        const SearchFilters& filters) const {
  TROVE_TRY(check_query_length(query));
  std::vector<SearchHit> hits;
  FtsQuery q = translate_query(query);
  if (q.match.empty() || k <= 0) return hits;
  std::lock_guard lk(mu_);
  // One read transaction across ranking and details: a concurrent `trove index`
  // commit cannot remove a winner between the two steps.
  auto snapshot = ReadTransaction::begin(db_);
  if (!snapshot.ok()) return snapshot.error();
  const bool filtered =
      !filters.path_glob.empty() || !filters.type.empty() || !filters.source.empty();
  Stmt& rank = filtered ? rank_ : rank_all_;
  rank.reset();
  rank.bind(1, q.match);
  if (filtered) {
    rank.bind(2, nonempty(filters.path_glob)).bind(3, nonempty(filters.type));
    rank.bind(4, nonempty(filters.source)).bind(5, static_cast<int64_t>(k));
  } else {
    rank.bind(2, static_cast<int64_t>(k));
  }
  for (;;) {
    auto row = rank.step();
    if (!row.ok()) {
      rank.reset();
      return row.error();
    }
    if (!*row) break;
    SearchHit h;
    h.chunk_id = rank.column_int(0);
    h.score = -rank.column_double(1);
    hits.push_back(std::move(h));
  }
  rank.reset();
  if (!hits.empty()) TROVE_TRY(fill_details(hits, q.match));
  return hits;
}

}  // namespace trove::index
