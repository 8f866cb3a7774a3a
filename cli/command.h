// cli/command.h — how a subcommand plugs into the `trove` binary.
//
// Each command lives in its own cli/cmd_<name>.cc and registers itself with
// TROVE_REGISTER_COMMAND. setup() adds the subcommand and its flags to the app and
// returns the function to run when that subcommand was chosen; the function returns
// the process exit code (ripgrep's convention: 0 found/ok, 1 nothing found, 2 error).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace trove::cli {

// Options shared by every command (set before the subcommand runs).
struct GlobalOptions {
  std::string home;  // --home; empty means $TROVE_HOME or the XDG data folder
  bool quiet = false;
  bool verbose = false;
};

using RunFn = std::function<int()>;
using SetupFn = std::function<RunFn(CLI::App& app, const GlobalOptions& global)>;

struct CommandEntry {
  std::string name;
  int order;  // position in --help
  SetupFn setup;
};

std::vector<CommandEntry>& command_registry();

struct CommandRegistrar {
  CommandRegistrar(std::string name, int order, SetupFn setup) {
    command_registry().push_back({std::move(name), order, std::move(setup)});
  }
};

}  // namespace trove::cli

#define TROVE_CONCAT_INNER_(a, b) a##b
#define TROVE_CONCAT_(a, b) TROVE_CONCAT_INNER_(a, b)
#define TROVE_REGISTER_COMMAND(name, order, fn) \
  static const ::trove::cli::CommandRegistrar TROVE_CONCAT_(trove_cmd_, __LINE__)(name, order, fn)
