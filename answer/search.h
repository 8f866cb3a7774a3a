// answer/search.h — open_search(): the searcher for a library, with the mode chosen.
//
//   auto s = answer::open_search(paths, {.mode = ""});
//   if (!s->note().empty()) warn(s->note());         // e.g. why search is lexical only
//   auto hits = s->search("vpn keys", 10, filters);
//
// Mode resolution: an explicit mode ("lexical", "semantic", "hybrid") is honoured or
// refused with the reason; with none, hybrid when the library has vectors and their
// embedding model can be loaded, else lexical with a note saying why and how to add a
// model. A Searcher is opened once and is safe to use from several threads at once
// (the retrievers it holds are; see index/retriever.h; reranker calls take turns).
//
// Reranking: with a cross-encoder (embed/reranker.h) the fused (or single-mode) top
// rerank_top_n passages are read again together with the query and reordered by its
// score, which then becomes each hit's score; passages past the top N keep their
// order after them. Whether: RerankOptions::enabled unset = when the registry has a
// default rerank model (a library without one searches exactly as before); false =
// never; true = asked for. A reranker that is missing or fails to load never fails
// the search: it runs unreranked and note() says why, naming the file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <optional>
#include "core/result.h"

#include "embed/embedder.h"
#include "embed/reranker.h"
#include "index/library.h"
#include "index/retriever.h"

namespace trove::answer {

struct SearchOptions {
  std::string mode;  // "", "lexical", "semantic" or "hybrid"
  // A fixed cosine floor for dense hits in place of the per-query one
  // (index/relevance_floor.h); <= 0 keeps every dense hit. Unset: per-query floor.
  std::optional<double> min_similarity;
};

// Kept apart from SearchOptions so that callers that set no reranking options keep
// compiling unchanged (and get the default: rerank when a rerank model is registered).
struct RerankOptions {
  std::optional<bool> enabled;  // see the header comment
  std::string model;            // a registry name or .gguf path; "": the default rerank model
  int top_n = 30;               // passages the reranker reads
};

// What a search did besides retrieving, for -v and the eval.
struct SearchStats {
  int reranked = 0;  // passages the reranker scored (0: not reranked)
  double rerank_ms = 0;
};

class Searcher {
 public:
  // The fused (or single-mode) ranking: the k best passages, best first.
  Result<std::vector<index::SearchHit>> search(std::string_view query, int k,
                                               const index::SearchFilters& filters,
                                               SearchStats* stats = nullptr) const;
  // Reorders the first rerank_top_n of hits by the reranker's score (no-op without
  // one): answer() fuses its own lists and reranks them here.
  void rerank(std::string_view query, std::vector<index::SearchHit>& hits,
              SearchStats* stats = nullptr) const;
  bool reranks() const { return reranker_ != nullptr; }
  int rerank_top_n() const { return rerank_top_n_; }
  const std::string& reranker_name() const { return reranker_name_; }

  index::SearchMode mode() const { return mode_; }
  const std::string& note() const { return note_; }  // "" unless something is worth saying
  const index::LibraryPaths& paths() const { return paths_; }

  // The two lists behind hybrid search, kept apart (answer() floors each on its own).
  // In lexical mode dense() is null; in semantic mode lexical() is null.
  const index::Retriever* lexical() const { return lexical_.get(); }
  const index::Retriever* dense() const { return dense_.get(); }

 private:
  friend Result<std::unique_ptr<Searcher>> open_search(const index::LibraryPaths&,
                                                       const SearchOptions&, const RerankOptions&);
  // The retrievers for the mode (open_search adds the reranker).
  static Result<std::unique_ptr<Searcher>> open_retrievers(const index::LibraryPaths& paths,
                                                           const SearchOptions& options);
  index::LibraryPaths paths_;
  index::SearchMode mode_ = index::SearchMode::kLexical;
  std::unique_ptr<index::Retriever> lexical_, dense_, fused_;
  std::shared_ptr<trove::Reranker> reranker_;
  std::string reranker_name_;
  int rerank_top_n_ = 30;
  std::string note_;
};

Result<std::unique_ptr<Searcher>> open_search(const index::LibraryPaths& paths,
                                              const SearchOptions& options,
                                              const RerankOptions& rerank = {});

// Why a search came back empty, so the caller can say it in its own words.
enum class EmptyReason { kLibraryEmpty, kNoSearchableWords, kNoMatch };
EmptyReason explain_empty(const index::LibraryPaths& paths, std::string_view query);

// Why the library cannot do semantic search right now ("" when it can).
std::string semantic_unavailable_reason(const index::LibraryPaths& paths);

// True when the library holds vectors (so semantic search failing is a model problem).
bool library_has_embeddings(const index::LibraryPaths& paths);

// Opens the embedding model recorded with the library's vectors: the registered model
// with the same sha256 (refused when its file changed since it was registered), else
// the recorded path if its file still hashes the same. Error text says why and what
// to do.
Result<std::shared_ptr<Embedder>> open_library_embedder(const index::LibraryPaths& paths);

}  // namespace trove::answer
