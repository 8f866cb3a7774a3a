// index/hybrid_retriever.cc — dense search over FAISS and RRF fusion.
#include "index/hybrid_retriever.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "index/vector_sync.h"

namespace trove::index {
namespace {

// The lexical retriever's detail columns (read_hit_details) for all candidates in one
// prepared statement, ids as a JSON array, not one statement prepared per hit.
constexpr std::string_view kDetailsSql =
    "SELECT c.id, d.path, d.rel_path, d.title, coalesce(d.type, ''), c.heading, c.page_start,"
    " c.page_end, c.line_start, c.line_end, c.text"
    " FROM chunks c JOIN documents d ON d.id = c.document_id"
    " WHERE c.id IN (SELECT value FROM json_each(?1))";

constexpr std::string_view kAllowedSql =
    "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id"
    " WHERE (?1 IS NULL OR d.path GLOB ?1 OR d.rel_path GLOB ?1)"
    " AND (?2 IS NULL OR d.type = ?2)"
    " AND (?3 IS NULL OR d.source_id = (SELECT id FROM sources WHERE root = ?3))";

std::optional<std::string> nonempty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// Dense search fetches more than k so that hits whose chunk vanished since the
// vectors were saved (a concurrent index run) can be skipped without coming up short.
constexpr int kDenseOverfetch = 2;

}  // namespace

Result<std::unique_ptr<DenseRetriever>> DenseRetriever::open(const std::string& db_path,
                                                             const std::string& faiss_path,
                                                             std::shared_ptr<Embedder> embedder) {
  auto db = Db::open(db_path, OpenMode::kReadOnly);
  if (!db.ok()) return db.error();
  bool repaired = false;
  auto store = load_vectors(*db, faiss_path, embedder->dim(), &repaired);
  if (!store.ok()) return store.error();
  std::unique_ptr<DenseRetriever> r(
      new DenseRetriever(std::move(*db), std::move(*store), std::move(embedder)));
  r->repaired_ = repaired;
  auto details = r->db_.prepare(kDetailsSql);
  if (!details.ok()) return details.error();
  r->details_ = std::move(*details);
  TROVE_TRY(r->load_sample());
  return r;
}

// A fixed pseudo-random sample (a multiplicative hash of the id orders the rows), so
// the same library gives the same floor on every run.
Status DenseRetriever::load_sample() {
  auto st = db_.prepare(
      "SELECT vec FROM chunk_vectors ORDER BY (chunk_id * 2654435761) % 4294967311 LIMIT ?1");
  if (!st.ok()) return st.error();
  st->bind(1, kFloorSample);
  const size_t bytes = static_cast<size_t>(store_.dim()) * sizeof(float);
  for (;;) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) return {};
    auto [p, n] = st->column_blob(0);
    if (n != bytes) continue;
    size_t at = sample_.size();
    sample_.resize(at + static_cast<size_t>(store_.dim()));
    std::memcpy(&sample_[at], p, bytes);
  }
}

RelevanceFloor DenseRetriever::floor_for(const std::vector<float>& q) const {
  if (min_similarity_) {
    last_floor_ = RelevanceFloor{};
    // 0 (or below) means "keep every hit", negative cosines included.
    last_floor_.floor = last_floor_.gate = *min_similarity_ > 0 ? *min_similarity_ : -2.0;
    return last_floor_;
  }
  const size_t dim = static_cast<size_t>(store_.dim());
  std::vector<float> sims;
  for (size_t at = 0; dim > 0 && at + dim <= sample_.size(); at += dim) {
    float s = 0;
    for (size_t i = 0; i < dim; ++i) s += sample_[at + i] * q[i];
    sims.push_back(s);
  }
  last_floor_ = floor_from_sample(std::move(sims));
  return last_floor_;
}

Status DenseRetriever::allowed_ids(const SearchFilters& f, std::unordered_set<int64_t>* ids) const {
  auto st = db_.prepare(kAllowedSql);
  if (!st.ok()) return st.error();
  st->bind(1, nonempty(f.path_glob)).bind(2, nonempty(f.type)).bind(3, nonempty(f.source));
  for (;;) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    ids->insert(st->column_int(0));
  }
  return {};
}

// Fills the hits whose chunks still exist (a concurrent index run may have removed
// some since the vectors were saved) and drops the others, keeping their order.
Status DenseRetriever::fill(std::vector<SearchHit>& hits) const {
  std::unordered_map<int64_t, size_t> at;
  for (size_t i = 0; i < hits.size(); ++i) at.emplace(hits[i].chunk_id, i);
  std::vector<bool> exists(hits.size(), false);
  details_.reset();
  details_.bind(1, json_id_list(hits));
  for (;;) {
    auto row = details_.step();
    if (!row.ok()) {
      details_.reset();
      return row.error();
    }
    if (!*row) break;
    auto it = at.find(details_.column_int(0));
    if (it == at.end()) continue;
    SearchHit& h = hits[it->second];
    exists[it->second] = true;
    read_hit_details(details_, 1, h);
    h.snippet = h.text.substr(0, 300);
  }
  details_.reset();
  size_t kept = 0;
  for (size_t i = 0; i < hits.size(); ++i) {
    if (!exists[i]) continue;
    if (kept != i) hits[kept] = std::move(hits[i]);  // never onto itself: that empties strings
    ++kept;
  }
  hits.resize(kept);
  return {};
}

bool DenseRetriever::prepare_fast_scan() const {
  return store_.prepare_fast_scan();
}

Result<std::vector<SearchHit>> DenseRetriever::search(std::string_view query, int k,
                                                      const SearchFilters& filters) const {
  TROVE_TRY(check_query_length(query));
  std::vector<SearchHit> hits;
  if (k <= 0) return hits;
  std::lock_guard lk(mu_);
  std::vector<float> q = embedder_->embed_query(query);
  for (float x : q) {
    if (!std::isfinite(x)) {
      return make_error(
          "the embedding model produced a non-finite query vector (NaN or "
          "infinity); the model file is damaged or its parameters are wrong");
    }
  }
  TROVE_TRY(db_.exec("BEGIN"));
  struct EndRead {
    Db& db;
    ~EndRead() { (void)db.exec("COMMIT"); }
  } end_read{db_};
  const bool filtered =
      !filters.path_glob.empty() || !filters.type.empty() || !filters.source.empty();
  std::unordered_set<int64_t> allowed;
  if (filtered) {
    TROVE_TRY(allowed_ids(filters, &allowed));
    if (allowed.empty()) return hits;
  }
  auto found = store_.search(q.data(), k * kDenseOverfetch, filtered ? &allowed : nullptr);
  if (!found.ok()) return found.error();
  const RelevanceFloor floor = floor_for(q);
  if (!found->empty() && found->front().score < floor.gate) return hits;  // nothing stands out
  for (const VectorHit& v : *found) {
    if (v.score < floor.floor) break;  // best first: the rest are below it too
    SearchHit h;
    h.chunk_id = v.id;
    h.score = v.score;
    hits.push_back(std::move(h));
  }
  TROVE_TRY(fill(hits));
  if (static_cast<int>(hits.size()) > k) hits.resize(static_cast<size_t>(k));
  return hits;
}

std::vector<SearchHit> rrf_fuse(const std::vector<std::vector<SearchHit>>& lists, int k,
                                double rrf_k) {
  std::unordered_map<int64_t, size_t> at;  // chunk id -> index in fused
  std::vector<SearchHit> fused;
  std::vector<double> score;
  for (const auto& list : lists) {
    for (size_t r = 0; r < list.size(); ++r) {
      const SearchHit& h = list[r];
      auto [it, fresh] = at.emplace(h.chunk_id, fused.size());
      if (fresh) {
        fused.push_back(h);
        score.push_back(0);
      } else if (fused[it->second].snippet.find('\x02') == std::string::npos &&
                 h.snippet.find('\x02') != std::string::npos) {
        fused[it->second].snippet = h.snippet;  // prefer a snippet with highlighted terms
      }
      score[it->second] += 1.0 / (rrf_k + static_cast<double>(r + 1));
    }
  }
  std::vector<size_t> order(fused.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return score[a] > score[b]; });
  std::vector<SearchHit> out;
  for (size_t i = 0; i < order.size() && static_cast<int>(out.size()) < k; ++i) {
    out.push_back(std::move(fused[order[i]]));
    out.back().score = score[order[i]];
  }
  return out;
}

Result<std::vector<SearchHit>> HybridRetriever::search(std::string_view query, int k,
                                                       const SearchFilters& filters) const {
  // Each list is deeper than k so a chunk ranked moderately by both can rise to the top.
  const int depth = std::max(k * 3, 30);
  // The two lists are independent: FTS5 runs on a second thread while the query is
  // embedded and the vectors scanned (bench/hybrid, 100k chunks: lexical p50 ~7 ms
  // beside dense ~16 ms, so the hybrid costs about the dense alone).
  std::optional<Result<std::vector<SearchHit>>> lex;
  std::thread lexical_thread;
  try {
    lexical_thread = std::thread([&] { lex.emplace(lexical_->search(query, depth, filters)); });
  } catch (const std::system_error&) {  // no thread to be had: one after the other
    lex.emplace(lexical_->search(query, depth, filters));
  }
  auto dense = dense_->search(query, depth, filters);
  if (lexical_thread.joinable()) lexical_thread.join();
  if (!lex->ok()) return lex->error();
  if (!dense.ok()) return dense.error();
  return rrf_fuse({**lex, *dense}, k);
}

}  // namespace trove::index
