// cli/main.cc — entry point: global flags, subcommand dispatch, exit codes.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <exception>

#include "cli/command.h"

namespace trove::cli {
std::vector<CommandEntry>& command_registry() {
  static std::vector<CommandEntry> r;
  return r;
}
}  // namespace trove::cli

int main(int argc, char** argv) {
  using namespace trove::cli;
  // A closed pipe (trove search ... | head) ends the process quietly, as in ripgrep.
  std::signal(SIGPIPE, SIG_DFL);

  CLI::App app{"trove — private, offline search and answers over your documents"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "trove 0.1.0");
  GlobalOptions global;
  app.add_option("--home", global.home, "Library folder (default: $TROVE_HOME or ~/.local/share/trove)")
      ->envname("TROVE_HOME");
  app.add_flag("-q,--quiet", global.quiet, "Print nothing but results and errors");
  app.add_flag("-v,--verbose", global.verbose, "Print debug messages");

  auto& reg = command_registry();
  std::sort(reg.begin(), reg.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  std::vector<std::pair<CLI::App*, RunFn>> runs;
  for (auto& entry : reg) {
    size_t before = app.get_subcommands({}).size();
    RunFn fn = entry.setup(app, global);
    auto subs = app.get_subcommands({});
    if (subs.size() > before) runs.emplace_back(subs.back(), std::move(fn));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  for (auto& [sub, fn] : runs) {
    if (sub->parsed()) {
      try {
        return fn();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "trove: %s\n", e.what());
        return 2;
      }
    }
  }
  return 2;
}
