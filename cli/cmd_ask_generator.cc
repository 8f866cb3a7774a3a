// cli/cmd_ask_generator.cc — see cmd_ask_generator.h.
#include "cli/cmd_ask_generator.h"

namespace trove::cli {

std::shared_ptr<const answer::TextGenerator> ask_text_generator() {
  return nullptr;
}

}  // namespace trove::cli
