// tests/ask/scripted_cli.h — running trove_scripted (tests/ask/scripted_generator.cc):
// the trove CLI whose generation streams a scripted answer when one is given, so the
// ask and provenance tests can check everything around the model.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace trove::testing {

struct ScriptedRun {
  int rc = -1;
  std::string out, err;
};

// Runs `trove_scripted --home HOME ARGS...` with `script` as the generated text
// ("" = the model decodes for real); `prompt_out`, when given, receives the rendered
// prompt. `scratch` is a folder for the script and the captured output.
inline ScriptedRun run_scripted(const std::string& scratch, const std::string& home,
                                const std::vector<std::string>& args, const std::string& script,
                                const std::string& prompt_out = "") {
  const std::string script_path = scratch + "/script", out = scratch + "/out", err = scratch + "/err";
  std::ofstream(script_path, std::ios::binary) << script;
  pid_t pid = ::fork();
  if (pid == 0) {
    if (!script.empty()) ::setenv("TROVE_TEST_SCRIPT", script_path.c_str(), 1);
    if (!prompt_out.empty()) ::setenv("TROVE_TEST_PROMPT_OUT", prompt_out.c_str(), 1);
    std::vector<std::string> all = {TROVE_SCRIPTED_BIN, "--home", home};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(all.size());
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    // NOLINTNEXTLINE(cppcoreguidelines-owning-memory): the child's stdout/stderr, owned by no one
    if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(err.c_str(), "w", stderr)) ::_exit(126);
    ::execv(TROVE_SCRIPTED_BIN, argv.data());
    ::_exit(127);
  }
  ScriptedRun r;
  r.rc = wait_exit(pid);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace trove::testing
