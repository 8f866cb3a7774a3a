// cli/passage_format.h — how a retrieved passage is shown: its location ("p. 4",
// "lines 12-30"), its snippet with matches coloured, and its JSON object.
#pragma once

#include <string>

#include "answer/sources.h"
#include "cli/json.h"
#include "cli/term.h"
#include "index/retriever.h"

namespace trove::cli {

using answer::format_span;  // "p. 4", "lines 12-30" (answer/sources.h)

// The snippet with kMatchOpen/kMatchClose replaced by `style.match`/`style.reset`
// (removed when colour is off) and newlines folded to spaces. for_terminal: other
// control bytes and invalid UTF-8 escaped (cli/printable.h); false for JSON, whose
// writer escapes them itself.
std::string render_snippet(const std::string& snippet, const Style& style,
                           bool for_terminal = true);

// Writes the hit's fields (chunk_id, path, rel_path, title, type, heading, page_start,
// page_end, line_start, line_end, score, text and, when `with_snippet`, the snippet
// without markers) into an object the caller has begun.
void write_hit_fields(JsonWriter& w, const index::SearchHit& hit, bool with_snippet);

}  // namespace trove::cli
