// embed/model_family.h — which retrieval-model family a GGUF file holds, and the
// instruction prefixes that family was trained with.
//
// Prefixes matter: bge/arctic-embed queries without their instruction, or e5/nomic
// texts without "query: " / "search_document: ", land measurably worse in retrieval.
#pragma once

#include <string>
#include <string_view>

namespace trove {

// Instruction prefixes of a model family; empty strings mean none.
struct EmbeddingPrefixes {
  std::string family;  // "bge", "e5", "nomic", "arctic-embed", "minilm" or "unknown"
  std::string query;
  std::string document;
};

// The family and prefixes for a model, from general.name, general.basename and the
// file path (case-insensitive; the first that names a known family wins).
EmbeddingPrefixes detect_prefixes(std::string_view name, std::string_view basename,
                                  std::string_view file_path);

}  // namespace trove
