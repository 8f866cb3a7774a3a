// cli/cmd_forget.cc — `trove forget PATH`: drop a source, or a document or folder
// under one, from the library (the files themselves are never touched).
// Exit: 0 something removed, 1 nothing in the library under PATH, 2 error.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "index/library.h"
#include "index/library_edit.h"
#include "index/lock_file.h"

namespace trove::cli {
namespace {

struct ForgetArgs {
  std::string path;
  bool wait = false;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return 2;
}

int run_forget(const ForgetArgs& a, const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return fail(paths.error().message);
  if (!index::library_exists(*paths)) {
    std::fprintf(stderr, "trove: the library is empty: nothing to forget\n");
    return 1;
  }
  auto db = index::open_library(*paths);
  if (!db.ok()) return fail(db.error().message);
  auto lock = index::LockFile::acquire(
      paths->lock, a.wait ? index::LockWait::kWait : index::LockWait::kFailFast);
  if (!lock.ok()) return fail(lock.error().message);
  auto res = index::forget_path(*db, a.path);
  if (!res.ok()) return fail(res.error().message);
  if (!res->source_removed && res->documents == 0) {
    std::fprintf(stderr, "trove: %s: not in the library\n", a.path.c_str());
    return 1;
  }
  if (!g.quiet) {
    std::printf("forgot %lld documents%s\n", static_cast<long long>(res->documents),
                res->source_removed ? " and the source" : "");
  }
  return 0;
}

RunFn setup_forget(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<ForgetArgs>();
  CLI::App* cmd =
      app.add_subcommand("forget", "Remove a source, or documents under a path, from the library");
  cmd->fallthrough();
  cmd->add_option("path", args->path, "A source folder, or a file or folder inside one")
      ->required();
  cmd->add_flag("--wait", args->wait, "Wait for a running `trove index` instead of failing");
  return [args, &global] { return run_forget(*args, global); };
}

TROVE_REGISTER_COMMAND("forget", 60, setup_forget);

}  // namespace
}  // namespace trove::cli
