// serve/json_schema.h — the JSON objects the servers return, in the same schema as
// the CLI's --json (cli/passage_format.h, cmd_ask, cmd_index): a hit has chunk_id,
// path, rel_path, title, type, heading, page_start/page_end/line_start/line_end (null
// when unknown), score, snippet (plain) and text. The servers add snippet_spans — the
// snippet split at the match markers, even entries plain and odd entries matched — so
// a page can highlight terms without parsing control bytes.
#pragma once

#include <nlohmann/json.hpp>

#include "answer/answer.h"
#include "answer/update.h"
#include "index/retriever.h"

namespace trove::serve {

using nlohmann::json;

// Serialises compactly; invalid UTF-8 (an odd file name, a cut snippet) becomes
// U+FFFD instead of an exception.
std::string dump(const json& j);

// The snippet without match markers, whitespace runs folded (as the CLI prints it).
std::string plain_snippet(const std::string& snippet);
// The snippet split at the markers: [plain, match, plain, match, …, plain].
json snippet_spans(const std::string& snippet);

json hit_json(const index::SearchHit& hit, bool with_snippet);
// The `trove ask --json` object (answer, citations, invalid_citations, sources, model,
// extractive, note, timings).
json answer_json(const answer::Answer& a);
// The `trove index --json` object.
json run_report_json(const answer::RunReport& r);

}  // namespace trove::serve
