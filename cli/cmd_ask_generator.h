// cli/cmd_ask_generator.h — the text generator `trove ask` hands to answer():
// null in the trove binary (the answer model decodes). The ask tests link the same
// CLI with a scripted generator in its place (tests/ask/scripted_generator.cc), so
// that no user flag can replace generation.
#pragma once

#include <memory>

#include "answer/text_generator.h"

namespace trove::cli {

std::shared_ptr<const answer::TextGenerator> ask_text_generator();

}  // namespace trove::cli
