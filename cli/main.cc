// cli/main.cc — entry point: global flags, subcommand dispatch, parse errors in our
// words (with did-you-mean), output errors, exit codes (cli/exit_codes.h).
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/suggest.h"
#include "cli/version.h"
#include "core/str_cat.h"

namespace trove::cli {

std::vector<CommandEntry>& command_registry() {
  static std::vector<CommandEntry> r;
  return r;
}

namespace {

std::vector<std::string> names_of_subcommands(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::App* s : app.get_subcommands({})) out.push_back(s->get_name());
  return out;
}

// Every long and short flag name of `app` and of the global options.
std::vector<std::string> flag_names(const CLI::App& app, const CLI::App& root) {
  std::vector<std::string> out;
  for (const CLI::App* a : {&app, &root}) {
    for (const CLI::Option* o : a->get_options({})) {
      for (const auto& l : o->get_lnames()) out.push_back("--" + l);
      for (const auto& s : o->get_snames()) out.push_back("-" + s);
    }
  }
  return out;
}

std::string suggestion(const std::vector<std::string>& close) {
  if (close.empty()) return "";
  std::string s = " (did you mean " + close[0];
  for (size_t i = 1; i < close.size() && i < 3; ++i) s += " or " + close[i];
  return s + "?)";
}

// True when `flag` (e.g. "--home") of `app` or `root` takes a value (the next word).
bool takes_value(const CLI::App& app, const CLI::App& root, const std::string& flag) {
  if (flag.find('=') != std::string::npos) return false;
  for (const CLI::App* a : {&app, &root}) {
    for (const CLI::Option* o : a->get_options({})) {
      if (o->check_name(flag)) return o->get_type_size() != 0;
    }
  }
  return false;
}

struct Chosen {
  const CLI::App* cmd;
  std::string stray;  // the first word after the command path that is not a value
};

// The deepest subcommand the user named (so errors and suggestions are about it), and
// the first word after it that is neither a flag nor a flag's value.
Chosen chosen_command(const CLI::App& root, int argc, char** argv) {
  Chosen c{&root, {}};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() > 1 && a[0] == '-') {
      if (takes_value(*c.cmd, root, a)) ++i;
      continue;
    }
    const CLI::App* next = nullptr;
    for (const CLI::App* s : c.cmd->get_subcommands({}))
      if (s->get_name() == a) next = s;
    if (!next) {
      c.stray = a;
      break;
    }
    c.cmd = next;
  }
  return c;
}

std::string command_path(const CLI::App* app) {
  std::string p;
  for (const CLI::App* a = app; a && a->get_parent(); a = a->get_parent())
    p = p.empty() ? a->get_name() : str_cat({a->get_name(), " ", p});
  return p;
}

// CLI11's messages in trove's words: what was expected, what was found, what to do.
int parse_error(const CLI::App& root, const CLI::ParseError& e, int argc, char** argv) {
  const Chosen chosen = chosen_command(root, argc, argv);
  const CLI::App* cmd = chosen.cmd;
  const std::string where = command_path(cmd);
  const std::string prefix = "trove" + (where.empty() ? std::string() : " " + where) + ": ";
  const std::string help = "trove " + (where.empty() ? std::string() : where + " ") + "--help";
  if (!cmd->get_subcommands({}).empty() && !chosen.stray.empty()) {
    // `trove serch` or `trove models lsit`.
    auto names = names_of_subcommands(*cmd);
    std::fprintf(stderr, "%s'%s' is not a command%s; %s lists them\n", prefix.c_str(),
                 chosen.stray.c_str(), suggestion(close_matches(chosen.stray, names)).c_str(),
                 help.c_str());
    return kExitUsage;
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    // Unknown words: a mistyped command, or a flag this command does not have.
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a.rfind('-', 0) == 0 && a.size() > 1) {
        std::string name = a.substr(0, a.find('='));
        auto flags = flag_names(*cmd, root);
        if (std::find(flags.begin(), flags.end(), name) != flags.end()) continue;
        std::fprintf(stderr, "%sunknown flag %s%s; %s lists the flags\n", prefix.c_str(),
                     name.c_str(), suggestion(close_matches(name, flags)).c_str(), help.c_str());
        return kExitUsage;
      }
    }
    std::fprintf(stderr, "%stoo many arguments: %s; see %s\n", prefix.c_str(), e.what(),
                 help.c_str());
    return kExitUsage;
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && !cmd->get_subcommands({}).empty()) {
    std::fprintf(stderr, "%sexpected a command; %s lists them\n", prefix.c_str(), help.c_str());
    return kExitUsage;
  }
  std::fprintf(stderr, "%s%s; see %s\n", prefix.c_str(), e.what(), help.c_str());
  return kExitUsage;
}

// Output that could not be written (a full disk, /dev/full, a closed pipe other than
// SIGPIPE's) must not look like success.
int finish_output(int rc) {
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr, "trove: cannot write the output: %s\n", std::strerror(errno));
    return rc == kExitOk || rc == kExitNothing ? kExitLibrary : rc;
  }
  return rc;
}

}  // namespace
}  // namespace trove::cli

namespace {

int trove_main(int argc, char** argv) {
  using namespace trove::cli;
  // A closed pipe (trove search ... | head) ends the process quietly, as in ripgrep.
  std::signal(SIGPIPE, SIG_DFL);
  // Everything trove creates describes private documents (the library, the model
  // registry, downloads, logs): private from the first byte, whatever the caller's
  // umask. Files written through core/atomic_file.h set their mode explicitly too.
  ::umask(077);

  CLI::App app{"trove — private, offline search and answers over your documents"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_line());
  GlobalOptions global;
  app.add_option("--home", global.home, "Library folder (default: $TROVE_HOME or ~/.local/share/trove)")
      ->envname("TROVE_HOME");
  app.add_flag("-q,--quiet", global.quiet, "Print nothing but results and errors");
  app.add_flag("-v,--verbose", global.verbose, "Print debug messages and timings");
  app.footer("Exit codes: trove help exit-codes");
  // Global flags work after the command too (`trove ask Q --home H`), as in git and
  // ripgrep: every subcommand inherits this and hands flags it lacks to the root.
  app.fallthrough();

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
  } catch (const CLI::CallForHelp& e) {
    return finish_output(app.exit(e));
  } catch (const CLI::CallForAllHelp& e) {
    return finish_output(app.exit(e));
  } catch (const CLI::CallForVersion& e) {
    return finish_output(app.exit(e));
  } catch (const CLI::ParseError& e) {
    return parse_error(app, e, argc, argv);
  }
  for (auto& [sub, fn] : runs) {
    if (sub->parsed()) {
      try {
        return finish_output(fn());
      } catch (const std::exception& e) {  // a bug or std::bad_alloc: still an error
        std::fprintf(stderr, "trove: %s\n", e.what());
        return kExitUsage;
      }
    }
  }
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  // Setting the commands up can throw too (CLI11 on a duplicate flag, bad_alloc): an
  // error message and a non-zero exit, never std::terminate's abort.
  try {
    return trove_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "trove: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "trove: unexpected error\n");
  }
  return trove::cli::kExitUsage;
}
