// index/vector_factory.h — which FAISS index factory strings trove accepts for its
// vector store (`trove index --vector-index`), checked before anything is written.
//
// Accepted: Flat (exact); HNSW<M> (4 ≤ M ≤ 128) optionally with ,Flat / ,SQ8 /
// ,PQ<m>[x<b>]; IVF<n>,Flat / ,SQ8 / ,PQ<m>[x<b>] (n ≥ 1); PQ<m>[x<b>]; SQ8 / SQ4 /
// SQfp16. PQ needs m to divide the dimension and 1 ≤ b ≤ 16. A trained index needs
// enough vectors to train on: IVF<n> at least n, PQ…x<b> at least 2^b. Anything else
// is refused with a message naming what was expected, instead of reaching FAISS,
// which answers garbage with an exception and HNSW99999999 with std::bad_alloc.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace trove::index {

// vectors: how many vectors the index will hold (and train on); -1 when not known
// yet (only the string and the dimension are checked then).
Status check_vector_factory(const std::string& factory, int dim, int64_t vectors);

// True when an index of this (valid) factory must be trained before vectors are added.
bool factory_needs_training(const std::string& factory, int dim);
// True when vectors can be removed from it one by one (else it is rebuilt).
bool factory_supports_removal(const std::string& factory, int dim);

}  // namespace trove::index
