// cli/hit_line.h — the line of the source file a search hit points at, for output
// that an editor can jump to (`path:line: text`, as ripgrep's --vimgrep).
//
// A passage spans lines line_start..line_end of its file; the hit's line is the first
// of those that holds one of the words the search marked in the snippet (compared
// without ASCII case), read from the file as it is now. When the file cannot be read,
// is larger than kMaxScanBytes, has changed so that no line in the span holds a marked
// word, or the hit has no marked words (a semantic hit): line_start. 0 when the
// passage has no source lines (PDF pages, mail parts, office documents).
#pragma once

#include <cstdint>

#include "index/retriever.h"

namespace trove::cli {

inline constexpr uint64_t kMaxScanBytes = 64ull << 20;

int hit_line(const index::SearchHit& hit);

}  // namespace trove::cli
