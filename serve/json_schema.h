// serve/json_schema.h — the JSON objects trove prints and serves: one schema for the
// CLI's --json (search, show, ask, index, verify, status) and for the servers' replies.
//
// A hit has chunk_id, path, rel_path, title, type, heading, page_start/page_end/
// line_start/line_end (null when unknown), score, snippet (plain) and text. The
// servers add snippet_spans — the snippet split at the match markers, even entries
// plain and odd entries matched — so a page can highlight terms without parsing
// control bytes. Keys keep the order they are written in (ordered_json), and numbers
// that are measurements (scores, timings) carry six significant digits, as the CLI
// always printed them.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "answer/answer.h"
#include "answer/embed_status.h"
#include "answer/update.h"
#include "answer/verifier.h"
#include "index/library_status.h"
#include "index/retriever.h"

namespace trove::serve {

using json = nlohmann::ordered_json;

// The version of the documents the CLI's --json prints, each one's first key
// ("json_version"). Keys are only ever added, which does not change it; it is raised
// only if a key is ever removed or changes meaning, so a script can refuse what it
// was not written for.
inline constexpr int kJsonVersion = 1;

// `body` (an object) with "json_version" as its first key.
json versioned(const json& body);

// Serialises compactly; invalid UTF-8 (an odd file name, a cut snippet) becomes
// U+FFFD instead of an exception.
std::string dump(const json& j);

// A measured number with six significant digits (whole ones as integers, as printf's
// %g writes them); NaN and infinities become null.
json number(double v);

// The snippet without match markers, whitespace runs folded (as the CLI prints it).
std::string plain_snippet(const std::string& snippet);
// The snippet split at the markers: [plain, match, plain, match, …, plain].
json snippet_spans(const std::string& snippet);

enum class Snippet { kNone, kPlain, kWithSpans };
json hit_json(const index::SearchHit& hit, Snippet snippet);
// Each hit as a source: {"n": 1-based number, hit fields…}.
json sources_json(const std::vector<index::SearchHit>& hits);

// The verifier's report: {"sentences": [{text, start, end, citations, verdict, kind,
// reason?, true_of?, coverage, evidence: [{n, start, end, quote}], shown?}],
// "supported", "total"}. With `shown`, each sentence says whether it is in the
// printed answer (`ask --strict` leaves out the ones not supported).
json sentence_json(const answer::SentenceCheck& s);
json verification_json(const answer::VerifyReport& report, const std::vector<bool>* shown = nullptr);

// The `trove ask --json` object (answer, citations, invalid_citations, sources, model,
// extractive; for a generated answer also generated, strict, abstained, the
// verification and thinking; note, log_id, timings).
json answer_json(const answer::Answer& a);
// The `trove index --json` object; exit_code only when given (the CLI's).
json run_report_json(const answer::RunReport& r, std::optional<int> exit_code = std::nullopt);

// The `trove status --json` object: what the library holds, failures, runs, OCR,
// forgotten paths, and with `e` the embeddings section.
json embeddings_json(const answer::EmbedStatus& e);
json status_json(const std::string& home, const index::LibraryStatus& s,
                 const answer::EmbedStatus* e);

}  // namespace trove::serve
