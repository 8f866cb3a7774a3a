// cli/retrieval.h — choosing the search mode and opening the retriever for it, shared
// by `trove search` and `trove ask`.
//
// Mode resolution: an explicit --mode is honoured or refused with the reason; with no
// --mode, hybrid when the library has vectors and their embedding model can be
// loaded, else lexical with a note saying why and how to add a model.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "embed/embedder.h"
#include "index/library.h"
#include "index/retriever.h"

namespace trove::cli {

struct RetrievalSetup {
  index::SearchMode mode = index::SearchMode::kLexical;
  std::unique_ptr<index::Retriever> retriever;
  std::unique_ptr<index::Retriever> lexical;  // set for ask (separate lists for its floor)
  std::unique_ptr<index::Retriever> dense;    // null in lexical mode
  std::string note;                           // why search is lexical only (empty otherwise)
};

// mode_flag: "", "lexical", "semantic" or "hybrid". With split = true the lexical and
// dense retrievers are also returned separately (ask applies a relevance floor to each).
Result<RetrievalSetup> open_retrieval(const index::LibraryPaths& paths,
                                      const std::string& mode_flag, bool split = false);

// Why the library cannot do semantic search right now ("" when it can).
std::string semantic_unavailable_reason(const index::LibraryPaths& paths);

// Opens the embedding model recorded with the library's vectors (path, then the
// registry entry with the same sha256). Error text says why and what to do.
Result<std::shared_ptr<Embedder>> open_library_embedder(const index::LibraryPaths& paths);

}  // namespace trove::cli
