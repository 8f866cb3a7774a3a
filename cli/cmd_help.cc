// cli/cmd_help.cc — `trove help [TOPIC]`: topics that do not fit a command's --help.
// Today: `exit-codes`, printed from the one table in cli/exit_codes.h.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/exit_codes.h"

namespace trove::cli {
namespace {

int print_exit_codes(bool markdown) {
  if (markdown) {
    // README.md's "Exit codes" table is this output verbatim (tests/cli/readme.sh).
    std::printf("| code | name | meaning |\n|-----:|------|---------|\n");
    for (const auto& e : kExitCodeTable) {
      std::printf("| %d | %.*s | %.*s |\n", e.code, static_cast<int>(e.name.size()),
                  e.name.data(), static_cast<int>(e.meaning.size()), e.meaning.data());
    }
    return kExitOk;
  }
  std::printf("trove exit codes (the same for every command):\n\n");
  for (const auto& e : kExitCodeTable) {
    std::printf("  %d  %-16.*s %.*s\n", e.code, static_cast<int>(e.name.size()), e.name.data(),
                static_cast<int>(e.meaning.size()), e.meaning.data());
  }
  return kExitOk;
}

RunFn setup_help(CLI::App& app, const GlobalOptions& /*global*/) {
  auto topic = std::make_shared<std::string>();
  auto markdown = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("help", "Help topics: exit-codes (trove COMMAND --help: flags)");
  cmd->add_option("topic", *topic, "Topic: exit-codes");
  cmd->add_flag("--markdown", *markdown, "Print the table as Markdown (README's)");
  return [topic, markdown, &app]() -> int {
    if (*topic == "exit-codes") return print_exit_codes(*markdown);
    if (topic->empty()) {
      std::printf("%s", app.help().c_str());
      return kExitOk;
    }
    std::fprintf(stderr, "trove: help: unknown topic '%s' (expected exit-codes)\n",
                 topic->c_str());
    return kExitUsage;
  };
}

TROVE_REGISTER_COMMAND("help", 95, setup_help);

}  // namespace
}  // namespace trove::cli
