// cli/verdict_format.h — printing the claim verifier's report (answer/verifier.h), for
// `trove verify` and `trove ask`: a readable report where supported sentences are
// plain and the others are marked (the JSON is serve/json_schema.h's
// verification_json).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "answer/verifier.h"
#include "cli/term.h"

namespace trove::cli {

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
