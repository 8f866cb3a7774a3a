// answer/sources.h — from retrieval results to the numbered sources of an answer:
// the relevance floor, and how each source is labelled.
//
// Relevance floor: an answer must never be built on passages that merely share
// "the" and "is" with the question. A lexical hit counts only if it matched at least
// one content word of the question (not a stop word); a dense hit only if it passed the
// dense retriever's floor (the same floor as `trove search`: per query, or a fixed
// --min-similarity). Hybrid keeps the RRF order of what survives.
#pragma once

#include <string>
#include <vector>

#include "index/retriever.h"

namespace trove::answer {

// True when the hit's snippet marks at least one matched word that is not a stop word.
bool lexical_hit_relevant(const index::SearchHit& hit);

// Applies the floor to each list, then fuses (or keeps the single list) to k hits.
std::vector<index::SearchHit> relevant_passages(const std::vector<index::SearchHit>& lexical,
                                                const std::vector<index::SearchHit>* dense,
                                                int k);

// "p. 4", "pp. 4-5", "line 7", "lines 12-30"; for documents without pages or lines
// (DOCX, ODT, EPUB) "section <innermost heading>" / "chapter <chapter title>"; "" when
// nothing is known.
std::string format_span(const index::SearchHit& hit);

// "notes/vpn.md, lines 10-24 — Setup > Keys" (source-relative path: short, for the
// prompt) or with the absolute path (for the sources list the user opens).
std::string source_label(const index::SearchHit& hit, bool absolute_path);

}  // namespace trove::answer
