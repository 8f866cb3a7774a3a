// cli/cmd_index.cc — `trove index [PATH...]`: bring the library up to date.
//
// Output: a progress bar on stderr (TTY only, not with --quiet); per-file failures as
// `trove: path: reason` on stderr when stderr is a TTY or with -v (cron runs keep them
// in `trove status`); a one-line summary on stdout (or a JSON object with --json).
// Exit: 0 the run completed (even with failed files), 2 it could not (library
// unusable, lock held, a source folder missing, disk full).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/json.h"
#include "cli/term.h"
#include "index/indexer.h"
#include "index/library.h"
#include "index/lock_file.h"

namespace trove::cli {
namespace {

struct IndexArgs {
  std::vector<std::string> paths;
  bool wait = false;
  bool json = false;
  uint64_t max_size = 50ull << 20;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return 2;
}

std::string summary_line(const index::IndexSummary& s) {
  std::string line = "indexed " + std::to_string(s.files) + " files: ";
  line += std::to_string(s.added) + " added, " + std::to_string(s.updated) + " updated, ";
  if (s.moved > 0) line += std::to_string(s.moved) + " moved, ";
  line += std::to_string(s.removed) + " removed, " + std::to_string(s.failed) + " failed in ";
  line += human_seconds(s.seconds);
  return line;
}

void print_json(const index::IndexSummary& s, bool ok) {
  JsonWriter w;
  w.begin_object();
  w.key("ok").value(ok);
  w.key("run_id").value(s.run_id);
  w.key("files").value(s.files);
  w.key("added").value(s.added);
  w.key("updated").value(s.updated);
  w.key("unchanged").value(s.unchanged);
  w.key("moved").value(s.moved);
  w.key("removed").value(s.removed);
  w.key("failed").value(s.failed);
  w.key("seconds").value(s.seconds);
  w.key("failures").begin_array();
  for (const auto& f : s.failures) {
    w.begin_object().key("path").value(f.path).key("reason").value(f.reason);
    w.key("detail").value(f.detail).end_object();
  }
  w.end_array();
  w.key("source_errors").begin_array();
  for (const auto& e : s.source_errors) w.value(e);
  w.end_array();
  w.end_object();
  std::printf("%s\n", w.str().c_str());
}

int run_index(const IndexArgs& a, const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return fail(paths.error().message);
  auto db = index::open_library(*paths);
  if (!db.ok()) return fail(db.error().message);
  auto lock = index::LockFile::acquire(
      paths->lock, a.wait ? index::LockWait::kWait : index::LockWait::kFailFast);
  if (!lock.ok()) return fail(lock.error().message);

  ProgressBar bar(!g.quiet);
  const bool show_failures = !g.quiet && (g.verbose || is_tty(stderr));
  const Style err_style = Style::for_stream(stderr);
  index::IndexOptions opt;
  opt.paths = a.paths;
  opt.max_file_size = a.max_size;
  index::IndexCallbacks cb;
  cb.on_progress = [&](const index::IndexProgress& p) {
    bar.update(p.files_done, p.files_total, p.bytes_done, p.bytes_total);
  };
  cb.on_failure = [&](const index::FileFailure& f) {
    if (!show_failures) return;
    bar.clear();
    std::fprintf(stderr, "trove: %s%s%s: %s%s%s\n", err_style.path.c_str(), f.path.c_str(),
                 err_style.reset.c_str(), f.reason.c_str(), f.detail.empty() ? "" : ": ",
                 f.detail.c_str());
  };
  auto sum = index::index_sources(*db, opt, cb);
  bar.clear();
  if (!sum.ok()) return fail(sum.error().message);
  for (const auto& e : sum->source_errors) std::fprintf(stderr, "trove: %s\n", e.c_str());
  const bool ok = sum->source_errors.empty();
  if (a.json) {
    print_json(*sum, ok);
  } else if (!g.quiet) {
    std::printf("%s\n", summary_line(*sum).c_str());
  }
  return ok ? 0 : 2;
}

RunFn setup_index(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<IndexArgs>();
  CLI::App* cmd = app.add_subcommand(
      "index", "Index folders (the first time registers them); no PATH: every registered folder");
  cmd->fallthrough();
  cmd->add_option("paths", args->paths, "Folders to index");
  cmd->add_flag("--wait", args->wait, "Wait for a running `trove index` instead of failing");
  cmd->add_flag("--json", args->json, "Print the run summary as a JSON object");
  cmd->add_option("--max-size", args->max_size, "Skip files larger than BYTES (default 50 MiB)")
      ->check(CLI::PositiveNumber);
  return [args, &global] { return run_index(*args, global); };
}

TROVE_REGISTER_COMMAND("index", 10, setup_index);

}  // namespace
}  // namespace trove::cli
