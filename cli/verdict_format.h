// cli/verdict_format.h — printing the claim verifier's report (answer/verifier.h), for
// `trove verify` and `trove ask`: JSON with every verdict and evidence span, or a
// readable report where supported sentences are plain and the others are marked.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "answer/verifier.h"
#include "cli/json.h"
#include "cli/term.h"

namespace trove::cli {

// Writes `"sentences": [...], "supported": k, "total": n` into the object being
// written (the caller opens and closes it).
// With `shown`, each sentence also says whether it is in the printed answer
// (`ask --strict` leaves out the sentences that are not supported).
void write_verification_json(JsonWriter& w, const answer::VerifyReport& report,
                             const std::vector<bool>* shown = nullptr);

// One sentence as `ask` prints it on a terminal: plain when supported, else marked
// with why ("[unsupported: wrong-number — …]", "[uncited]").
std::string format_marked_sentence(const answer::SentenceCheck& s, const Style& style);

// The quoted evidence of a sentence, one indented line per span.
std::string format_evidence(const answer::SentenceCheck& s, const Style& style);

// One sentence a line: a mark (✓ supported, ✗ unsupported (kind: reason), ? uncited),
// the sentence; with `show_evidence`, the quoted evidence under each one.
std::string format_verification_text(const answer::VerifyReport& report, const Style& style,
                                     bool show_evidence);

}  // namespace trove::cli
