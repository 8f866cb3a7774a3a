// cli/cmd_forget.cc — `trove forget PATH` and `trove unforget PATH`.
//
// forget: drop a source, or a document or folder under one, from the library (the
// files themselves are never touched). A path inside a source is remembered as an
// exclusion, so the next `trove index` does not bring it back; `trove unforget PATH`
// (or `trove index PATH`) undoes that.
// Exit (cli/exit_codes.h): 0 done; 2 an empty path, a path outside every source or
// matching nothing (nothing changed); 4 locked; 5 the library cannot be used.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "index/library.h"
#include "index/library_edit.h"
#include "index/lock_file.h"

namespace trove::cli {
namespace {

struct ForgetArgs {
  std::string path;
  bool wait = false;
};

int fail(int code, const std::string& msg) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return code;
}

// Opens the library and takes the writer lock; on failure *code is the exit code.
struct Writer {
  index::Db db;
  index::LockFile lock;
};

Result<Writer> open_writer(const GlobalOptions& g, bool wait, int* code) {
  *code = kExitLibrary;
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return paths.error();
  if (!index::library_exists(*paths)) {
    *code = kExitUsage;
    return make_error("the library " + paths->home + " is empty: nothing to forget");
  }
  auto db = index::open_library(*paths);
  if (!db.ok()) return db.error();
  auto lock =
      index::LockFile::acquire(paths->lock, wait ? index::LockWait::kWait : index::LockWait::kFailFast);
  if (!lock.ok()) {
    if (index::is_lock_held_error(lock.error())) *code = kExitLocked;
    return lock.error();
  }
  return Writer{std::move(*db), std::move(*lock)};
}

int run_forget(const ForgetArgs& a, const GlobalOptions& g) {
  int code = 0;
  auto w = open_writer(g, a.wait, &code);
  if (!w.ok()) return fail(code, w.error().message);
  auto res = index::forget_path(w->db, a.path);
  if (!res.ok()) return fail(kExitLibrary, res.error().message);
  if (!res->refused.empty()) return fail(kExitUsage, res->refused);
  if (!g.quiet) {
    std::printf("forgot %lld documents%s\n", static_cast<long long>(res->documents),
                res->source_removed ? " and the source" : "");
    if (res->excluded) {
      std::printf("%s stays out of the library until trove unforget %s\n", res->path.c_str(),
                  res->path.c_str());
    }
  }
  return kExitOk;
}

int run_unforget(const ForgetArgs& a, const GlobalOptions& g) {
  int code = 0;
  auto w = open_writer(g, a.wait, &code);
  if (!w.ok()) return fail(code, w.error().message);
  auto res = index::unforget_path(w->db, a.path);
  if (!res.ok()) return fail(kExitLibrary, res.error().message);
  if (!res->refused.empty()) return fail(kExitUsage, res->refused);
  if (!g.quiet) {
    std::printf("%s will be indexed again by the next trove index\n", res->path.c_str());
  }
  return kExitOk;
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

RunFn setup_unforget(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<ForgetArgs>();
  CLI::App* cmd = app.add_subcommand(
      "unforget", "Undo trove forget for a path inside a source (the next index brings it back)");
  cmd->fallthrough();
  cmd->add_option("path", args->path, "A path that trove forget removed")->required();
  cmd->add_flag("--wait", args->wait, "Wait for a running `trove index` instead of failing");
  return [args, &global] { return run_unforget(*args, global); };
}

TROVE_REGISTER_COMMAND("forget", 60, setup_forget);
TROVE_REGISTER_COMMAND("unforget", 61, setup_unforget);

}  // namespace
}  // namespace trove::cli
