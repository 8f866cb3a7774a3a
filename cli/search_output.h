// cli/search_output.h — how `trove search` prints its hits, in ripgrep's manners.
//
//   kFlat     one hit a line, `path:line: text` (ripgrep's --vimgrep form without the
//             column): the default when stdout is not a terminal, so that grep, awk,
//             vim's quickfix (`vim -q`) and scripts can read it. `line` is the hit's
//             line in the source file (cli/hit_line.h); without source lines, the
//             page or section label ("p. 4", "section Results"); with neither, the
//             field is left out (`path: text`). text: the snippet on one line.
//   kGrouped  the default on a terminal: hits grouped under their file's path (files
//             in the order of their best hit, hits in rank order), each with its
//             line, heading, score and passage id, then the snippet; coloured.
//   kFiles    -l: each file with a hit, once, in the order of its best hit.
//   kCount    --count: `path:N`, the hits in each file, in the same order.
// Everything not written by trove (paths, headings, text) goes through printable().
#pragma once

#include <vector>

#include "cli/term.h"
#include "index/retriever.h"

namespace trove::cli {

enum class SearchLayout { kFlat, kGrouped, kFiles, kCount };

void print_hits(const std::vector<index::SearchHit>& hits, SearchLayout layout,
                const Style& style);

}  // namespace trove::cli
