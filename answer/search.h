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
// (the retrievers it holds are; see index/retriever.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <optional>
#include "core/result.h"
#include "embed/embedder.h"

#include "index/library.h"
#include "index/retriever.h"

namespace trove::answer {

struct SearchOptions {
  std::string mode;  // "", "lexical", "semantic" or "hybrid"
  // A fixed cosine floor for dense hits in place of the per-query one
  // (index/relevance_floor.h); <= 0 keeps every dense hit. Unset: per-query floor.
  std::optional<double> min_similarity;
};

class Searcher {
 public:
  // The fused (or single-mode) ranking: the k best passages, best first.
  Result<std::vector<index::SearchHit>> search(std::string_view query, int k,
                                               const index::SearchFilters& filters) const;

  index::SearchMode mode() const { return mode_; }
  const std::string& note() const { return note_; }  // "" unless something is worth saying
  const index::LibraryPaths& paths() const { return paths_; }

  // The two lists behind hybrid search, kept apart (answer() floors each on its own).
  // In lexical mode dense() is null; in semantic mode lexical() is null.
  const index::Retriever* lexical() const { return lexical_.get(); }
  const index::Retriever* dense() const { return dense_.get(); }

 private:
  friend Result<std::unique_ptr<Searcher>> open_search(const index::LibraryPaths&,
                                                       const SearchOptions&);
  index::LibraryPaths paths_;
  index::SearchMode mode_ = index::SearchMode::kLexical;
  std::unique_ptr<index::Retriever> lexical_, dense_, fused_;
  std::string note_;
};

Result<std::unique_ptr<Searcher>> open_search(const index::LibraryPaths& paths,
                                              const SearchOptions& options);

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
