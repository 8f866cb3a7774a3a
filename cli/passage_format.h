// cli/passage_format.h — how a retrieved passage is shown: its location ("p. 4",
// "lines 12-30"), its snippet with matches coloured. Its JSON object is
// serve/json_schema.h's hit_json.
#pragma once

#include <string>

#include "answer/sources.h"
#include "cli/term.h"
#include "index/retriever.h"

namespace trove::cli {

using answer::format_span;  // "p. 4", "lines 12-30" (answer/sources.h)

// The snippet with kMatchOpen/kMatchClose replaced by `style.match`/`style.reset`
// (removed when colour is off) and newlines folded to spaces. for_terminal: other
// control bytes and invalid UTF-8 escaped (cli/printable.h); false: left as they
// are, for a caller that escapes them itself.
std::string render_snippet(const std::string& snippet, const Style& style,
                           bool for_terminal = true);

}  // namespace trove::cli
