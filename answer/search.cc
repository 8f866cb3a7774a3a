// answer/search.cc — see search.h.
#include "answer/search.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <numeric>

#include "core/sha256.h"

#include "index/fts_query.h"
#include "index/hybrid_retriever.h"
#include "index/library.h"
#include "index/model_registry.h"
#include "index/vector_sync.h"

namespace trove::answer {
namespace {

constexpr const char* kHowToAdd =
    "add an embedding model with `trove models pull bge-small-en-v1.5` (or `trove models add "
    "FILE --role embed`), then run `trove index`";

// Lets HybridRetriever fuse two retrievers the Searcher also keeps for answer().
class Borrowed final : public index::Retriever {
 public:
  explicit Borrowed(const index::Retriever& r) : r_(r) {}
  Result<std::vector<index::SearchHit>> search(std::string_view q, int k,
                                               const index::SearchFilters& f) const override {
    return r_.search(q, k, f);
  }

 private:
  const index::Retriever& r_;
};

// The reranker the options ask for; null (with *why set) when none is configured or
// it cannot be used, so search goes on unreranked.
std::shared_ptr<Reranker> open_reranker(const index::LibraryPaths& paths,
                                        const RerankOptions& options, std::string* name,
                                        std::string* why) {
  if (options.enabled == false) return nullptr;
  auto reg = index::ModelRegistry::open(paths.home);
  if (!reg.ok()) {
    if (options.enabled == true || !options.model.empty())
      *why = "not reranked: " + reg.error().message;
    return nullptr;
  }
  auto resolved = reg->resolve(options.model, index::ModelRole::kRerank);
  if (!resolved.ok()) {
    *why = "not reranked: " + resolved.error().message;
    return nullptr;
  }
  if (!resolved->has_value()) {
    if (options.enabled == true)
      *why = "not reranked: no rerank model; add one with `trove models add FILE --role rerank`";
    return nullptr;
  }
  auto rr = Reranker::open((*resolved)->path);
  if (!rr.ok()) {
    *why = "not reranked: " + rr.error().message;
    return nullptr;
  }
  *name = (*resolved)->name;
  return std::shared_ptr<Reranker>(std::move(*rr));
}

void add_note(std::string& note, const std::string& more) {
  if (more.empty()) return;
  if (!note.empty()) note += "; ";
  note += more;
}

}  // namespace

Result<std::shared_ptr<Embedder>> open_library_embedder(const index::LibraryPaths& paths) {
  auto db = index::open_library_read_only(paths);
  if (!db.ok()) return db.error();
  auto stored = index::stored_embedding_model(*db);
  if (!stored.ok()) return stored.error();
  if (!stored->has_value() || index::vector_generation(*db) == 0)
    return make_error(std::string("the library has no embeddings: ") + kHowToAdd);
  const index::EmbeddingModelId& id = **stored;
  // The registry is the authority on model files: a registered model with the
  // vectors' sha256 is opened through resolve(), which refuses a file that changed
  // since it was registered (vectors are never queried with another model's output).
  std::string path;
  auto reg = index::ModelRegistry::open(paths.home);
  if (reg.ok()) {
    for (const auto& e : reg->entries()) {
      if (e.sha256 != id.sha256 || e.role != index::ModelRole::kEmbed) continue;
      auto r = reg->resolve(e.name, index::ModelRole::kEmbed);
      if (!r.ok()) return r.error();
      path = (*r)->path;
      break;
    }
  }
  std::error_code ec;
  if (path.empty() && !id.path.empty() && std::filesystem::is_regular_file(id.path, ec)) {
    // Vectors made from a .gguf given by path (--embed-model FILE): that file, if it
    // is still the same one.
    auto h = sha256_file(id.path);
    if (!h.ok()) return h.error();
    if (*h != id.sha256) {
      return make_error("the embedding model that made this library's vectors, " + id.path +
                        ", changed since (sha256 " + h->substr(0, 12) + ", vectors made with " +
                        id.sha256.substr(0, 12) +
                        "): put the original back, or re-embed: `trove index --reembed`");
    }
    path = id.path;
  }
  if (path.empty()) {
    return make_error("the embedding model that made this library's vectors (" + id.name +
                      ", sha256 " + id.sha256.substr(0, 12) +
                      ") is not available: add it back with `trove models add FILE --role embed`, "
                      "or re-embed with another model: `trove index --reembed`");
  }
  EmbedderParams params;
  auto emb = Embedder::open(path, params);
  if (!emb.ok()) return emb.error();
  if ((*emb)->dim() != id.dim) {
    return make_error(path + ": model has " + std::to_string((*emb)->dim()) +
                      " dimensions but the library's vectors have " + std::to_string(id.dim));
  }
  return std::shared_ptr<Embedder>(std::move(*emb));
}

bool library_has_embeddings(const index::LibraryPaths& paths) {
  auto db = index::open_library_read_only(paths);
  if (!db.ok()) return false;
  auto stored = index::stored_embedding_model(*db);
  return stored.ok() && stored->has_value() && index::vector_generation(*db) != 0;
}

std::string semantic_unavailable_reason(const index::LibraryPaths& paths) {
  auto emb = open_library_embedder(paths);
  return emb.ok() ? std::string() : emb.error().message;
}

Result<std::unique_ptr<Searcher>> open_search(const index::LibraryPaths& paths,
                                              const SearchOptions& options,
                                              const RerankOptions& rerank) {
  auto s = Searcher::open_retrievers(paths, options);
  if (!s.ok()) return s.error();
  std::string why;
  (*s)->reranker_ = open_reranker(paths, rerank, &(*s)->reranker_name_, &why);
  (*s)->rerank_top_n_ = std::max(1, rerank.top_n);
  add_note((*s)->note_, why);
  return s;
}

Result<std::unique_ptr<Searcher>> Searcher::open_retrievers(const index::LibraryPaths& paths,
                                                            const SearchOptions& options) {
  const std::string& mode = options.mode;
  auto s = std::make_unique<Searcher>();
  s->paths_ = paths;
  auto lexical = index::LexicalRetriever::open(paths.db);
  if (!lexical.ok()) return lexical.error();
  if (mode == "lexical") {
    s->lexical_ = std::move(*lexical);
    return s;
  }
  if (!mode.empty() && mode != "semantic" && mode != "hybrid")
    return make_error("unknown search mode '" + mode + "' (lexical, semantic or hybrid)");

  auto emb = open_library_embedder(paths);
  if (!emb.ok()) {
    if (!mode.empty()) return make_error(mode + " search is not available: " + emb.error().message);
    s->note_ = "lexical search only: " + emb.error().message;
    s->lexical_ = std::move(*lexical);
    return s;
  }
  auto dense = index::DenseRetriever::open(paths.db, paths.vectors, *emb);
  if (!dense.ok()) return dense.error();
  (*dense)->set_min_similarity(options.min_similarity);
  if ((*dense)->repaired()) {
    s->note_ =
        "vectors.faiss was out of date and was rebuilt in memory; `trove index` saves the repair";
  }
  s->dense_ = std::move(*dense);
  if (mode == "semantic") {
    s->mode_ = index::SearchMode::kSemantic;
    return s;
  }
  s->mode_ = index::SearchMode::kHybrid;
  s->lexical_ = std::move(*lexical);
  s->fused_ = std::make_unique<index::HybridRetriever>(std::make_unique<Borrowed>(*s->lexical_),
                                                       std::make_unique<Borrowed>(*s->dense_));
  return s;
}

Result<std::vector<index::SearchHit>> Searcher::search(std::string_view query, int k,
                                                       const index::SearchFilters& filters,
                                                       SearchStats* stats) const {
  const int depth = reranker_ ? std::max(k, rerank_top_n_) : k;
  const index::Retriever* r = mode_ == index::SearchMode::kLexical    ? lexical_.get()
                              : mode_ == index::SearchMode::kSemantic ? dense_.get()
                                                                      : fused_.get();
  auto hits = r->search(query, depth, filters);
  if (!hits.ok() || !reranker_) return hits;
  rerank(query, *hits, stats);
  if (static_cast<int>(hits->size()) > k) hits->resize(static_cast<size_t>(k));
  return hits;
}

void Searcher::rerank(std::string_view query, std::vector<index::SearchHit>& hits,
                      SearchStats* stats) const {
  if (!reranker_ || hits.empty()) return;
  const auto t0 = std::chrono::steady_clock::now();
  const size_t n = std::min(hits.size(), static_cast<size_t>(rerank_top_n_));
  std::vector<std::string> passages;
  passages.reserve(n);
  for (size_t i = 0; i < n; ++i) passages.push_back(hits[i].text);
  const std::vector<float> scores = reranker_->score(query, passages);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Ties keep the retrieval order.
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  std::vector<index::SearchHit> top;
  top.reserve(n);
  for (size_t i : order) {
    top.push_back(std::move(hits[i]));
    top.back().score = scores[i];
  }
  std::move(top.begin(), top.end(), hits.begin());
  if (stats) {
    stats->reranked = static_cast<int>(n);
    stats->rerank_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
}

EmptyReason explain_empty(const index::LibraryPaths& paths, std::string_view query) {
  auto db = index::open_library_read_only(paths);
  if (db.ok()) {
    auto chunks = index::query_int(*db, "SELECT count(*) FROM chunks");
    if (chunks.ok() && *chunks == 0) return EmptyReason::kLibraryEmpty;
  }
  if (index::translate_query(query).match.empty()) return EmptyReason::kNoSearchableWords;
  return EmptyReason::kNoMatch;
}

}  // namespace trove::answer
