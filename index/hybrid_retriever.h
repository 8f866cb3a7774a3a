// index/hybrid_retriever.h — semantic (dense) and hybrid retrieval.
//
// DenseRetriever embeds the query with the model's query prefix and searches
// vectors.faiss, keeping only hits above the relevance floor (relevance_floor.h); filters are resolved to the allowed chunk ids in SQLite first, so
// they apply to dense results exactly as to lexical ones. HybridRetriever fuses the
// lexical and dense rankings by reciprocal-rank fusion: score = Σ 1 / (60 + rank),
// one result per chunk; the lexical list is made on a second thread while the dense one
// is. Both keep the Retriever contract: search() is const and may
// be called from several threads (calls take turns on the embedder).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

#include "embed/embedder.h"
#include "index/relevance_floor.h"
#include "index/retriever.h"
#include "index/vector_store.h"

namespace trove::index {

inline constexpr double kRrfK = 60.0;

class DenseRetriever final : public Retriever {
 public:
  // Opens the database read-only and loads (or, if stale, rebuilds in memory) the
  // vectors. The embedder must be the model that made the vectors (the caller checks
  // stored_embedding_model()).
  static Result<std::unique_ptr<DenseRetriever>> open(const std::string& db_path,
                                                      const std::string& faiss_path,
                                                      std::shared_ptr<Embedder> embedder);

  Result<std::vector<SearchHit>> search(std::string_view query, int k,
                                        const SearchFilters& filters) const override;

  // Builds the vector store's Q8_0 codes now rather than at the second search
  // (VectorStore::prepare_fast_scan); true when searches use them.
  bool prepare_fast_scan() const;

  // True when vectors.faiss was stale and this process rebuilt it in memory.
  bool repaired() const { return repaired_; }

  // The relevance floor (index/relevance_floor.h): by default measured per query
  // against a sample of the library's vectors; a value replaces it by that fixed
  // cosine (0 or below keeps every hit).
  void set_min_similarity(std::optional<double> v) { min_similarity_ = v; }
  // The floor the last search applied (for -v and --json diagnostics).
  RelevanceFloor last_floor() const {
    std::lock_guard lk(mu_);
    return last_floor_;
  }

 private:
  DenseRetriever(Db db, VectorStore store, std::shared_ptr<Embedder> embedder)
      : db_(std::move(db)), store_(std::move(store)), embedder_(std::move(embedder)) {}
  Status allowed_ids(const SearchFilters& f, std::unordered_set<int64_t>* ids) const;
  Status fill(std::vector<SearchHit>& hits) const;
  Status load_sample();
  RelevanceFloor floor_for(const std::vector<float>& q) const;

  mutable std::mutex mu_;
  mutable Db db_;
  mutable Stmt details_;  // prepared once (kDetailsSql); used under mu_
  VectorStore store_;
  std::shared_ptr<Embedder> embedder_;
  bool repaired_ = false;
  std::vector<float> sample_;  // kFloorSample vectors at most, row-major
  std::optional<double> min_similarity_;
  mutable RelevanceFloor last_floor_;
};

class HybridRetriever final : public Retriever {
 public:
  HybridRetriever(std::unique_ptr<Retriever> lexical, std::unique_ptr<Retriever> dense)
      : lexical_(std::move(lexical)), dense_(std::move(dense)) {}

  Result<std::vector<SearchHit>> search(std::string_view query, int k,
                                        const SearchFilters& filters) const override;

 private:
  std::unique_ptr<Retriever> lexical_;
  std::unique_ptr<Retriever> dense_;
};

// Reciprocal-rank fusion of ranked lists (best first), one result per chunk id,
// best first; the fused score replaces each hit's score. Exposed for tests.
std::vector<SearchHit> rrf_fuse(const std::vector<std::vector<SearchHit>>& lists, int k,
                                double rrf_k = kRrfK);

}  // namespace trove::index
