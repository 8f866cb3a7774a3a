// cli/verdict_format.h — printing the claim verifier's report (answer/verifier.h), for
// `trove verify` and `trove ask`: JSON with every verdict and evidence span, or a
// readable report where supported sentences are plain and the others are marked.
#pragma once

#include <cstdio>
#include <string>

#include "answer/verifier.h"
#include "cli/json.h"
#include "cli/term.h"

namespace trove::cli {

// Writes `"sentences": [...], "supported": k, "total": n` into the object being
// written (the caller opens and closes it).
void write_verification_json(JsonWriter& w, const answer::VerifyReport& report);

// One sentence a line: a mark (✓ supported, ✗ unsupported (kind: reason), ? uncited),
// the sentence; with `show_evidence`, the quoted evidence under each one.
std::string format_verification_text(const answer::VerifyReport& report, const Style& style,
                                     bool show_evidence);

// The answer as prose again, with each sentence that is not supported followed by a
// short mark ("[unsupported: negation]", "[uncited]"): what `ask` prints on a terminal.
std::string format_marked_answer(const answer::VerifyReport& report, const Style& style,
                                 bool show_evidence);

}  // namespace trove::cli
