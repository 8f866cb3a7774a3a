// cli/cmd_index.cc — `trove index [PATH...]`: bring the library up to date.
//
// Flags → answer::update_library() (answer/update.h: lock, embedding model, indexing,
// vectors) → progress while it runs and the summary after.
//
// Output: a progress bar on stderr (TTY only, not with --quiet); per-file failures as
// `trove: path: reason` on stderr when stderr is a TTY or with -v (cron runs keep them
// in `trove status`); a one-line summary on stdout (or a JSON object with --json).
// Exit: 0 the run completed (even with failed files), 2 it could not (library
// unusable, lock held, a source folder missing, disk full).
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "answer/update.h"
#include "cli/command.h"
#include "cli/json.h"
#include "cli/term.h"
#include "index/library.h"

namespace trove::cli {
namespace {

struct IndexArgs {
  std::vector<std::string> paths;
  bool wait = false;
  bool json = false;
  uint64_t max_size = 50ull << 20;
  std::string embed_model;  // registry name or .gguf path; "" = registry default
  bool reembed = false;
  std::string vector_index = "Flat";
  bool follow = false;
};

// "embedding 1200/27321 chunks" on stderr, at most ~10 times a second.
class EmbedProgress {
 public:
  explicit EmbedProgress(bool enabled) : enabled_(enabled) {}
  ~EmbedProgress() { clear(); }
  EmbedProgress(const EmbedProgress&) = delete;
  EmbedProgress& operator=(const EmbedProgress&) = delete;
  void update(int64_t done, int64_t total) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (drawn_ && done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::fprintf(stderr, "\r\x1b[2Kembedding %lld/%lld chunks", static_cast<long long>(done),
                 static_cast<long long>(total));
    std::fflush(stderr);
    drawn_ = true;
  }
  void clear() {
    if (drawn_) std::fprintf(stderr, "\r\x1b[2K");
    drawn_ = false;
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return 2;
}

std::string lexical_line(const index::IndexSummary& s) {
  std::string line = "indexed " + std::to_string(s.files) + " files: ";
  line += std::to_string(s.added) + " added, " + std::to_string(s.updated) + " updated, ";
  if (s.moved > 0) line += std::to_string(s.moved) + " moved, ";
  line += std::to_string(s.removed) + " removed, " + std::to_string(s.failed) + " failed in ";
  line += human_seconds(s.seconds);
  return line;
}

std::string summary_line(const answer::RunReport& r) {
  std::string line = lexical_line(r.summary);
  const index::VectorSyncStats& v = r.vectors;
  if (r.embedded) {
    line += "; embedded " + std::to_string(v.embedded) + " chunks";
    if (v.removed > 0) line += ", " + std::to_string(v.removed) + " vectors removed";
    line += " with " + r.model_name + " in " + human_seconds(v.seconds);
  } else {
    line += " (lexical only: " + r.no_model_reason + ")";
  }
  return line;
}

void print_json(const answer::RunReport& r) {
  const index::IndexSummary& s = r.summary;
  const index::VectorSyncStats& v = r.vectors;
  JsonWriter w;
  w.begin_object();
  w.key("ok").value(r.ok());
  w.key("run_id").value(s.run_id);
  w.key("files").value(s.files);
  w.key("added").value(s.added);
  w.key("updated").value(s.updated);
  w.key("unchanged").value(s.unchanged);
  w.key("moved").value(s.moved);
  w.key("removed").value(s.removed);
  w.key("failed").value(s.failed);
  w.key("seconds").value(s.seconds);
  w.key("model");
  if (r.embedded) {
    w.value(r.model_name);
  } else {
    w.null();
  }
  w.key("embedded").value(v.embedded);
  w.key("vectors_removed").value(v.removed);
  w.key("embed_seconds").value(v.seconds);
  if (!r.vector_error.empty()) w.key("error").value(r.vector_error);
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
  answer::UpdateOptions opt;
  opt.paths = a.paths;
  opt.wait_for_lock = a.wait;
  opt.max_file_size = a.max_size;
  opt.embed_model = a.embed_model;
  opt.reembed = a.reembed;
  opt.vector_index = a.vector_index;
  opt.follow = a.follow;

  ProgressBar bar(!g.quiet);
  EmbedProgress eprog(!g.quiet && is_tty(stderr));
  const bool show_failures = !g.quiet && (g.verbose || is_tty(stderr));
  const Style err_style = Style::for_stream(stderr);
  answer::UpdateCallbacks cb;
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
  cb.on_embed_start = [&] { bar.clear(); };
  cb.on_embed_progress = [&](int64_t done, int64_t total) { eprog.update(done, total); };
  auto r = answer::update_library(*paths, opt, cb);
  bar.clear();
  eprog.clear();
  if (!r.ok()) return fail(r.error().message);
  for (const auto& e : r->summary.source_errors) std::fprintf(stderr, "trove: %s\n", e.c_str());
  if (!r->vector_error.empty()) {
    if (a.json) print_json(*r);
    // The lexical part is committed: say so, so the user knows search still works.
    return fail(r->vector_error + "\ntrove: the lexical index is up to date (" +
                lexical_line(r->summary) + ")");
  }
  if (a.json) {
    print_json(*r);
  } else if (!g.quiet) {
    std::printf("%s\n", summary_line(*r).c_str());
  }
  return r->ok() ? 0 : 2;
}

RunFn setup_index(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<IndexArgs>();
  CLI::App* cmd = app.add_subcommand(
      "index", "Index folders (the first time registers them); no PATH: every registered folder");
  cmd->fallthrough();
  cmd->add_option("paths", args->paths, "Folders to index");
  cmd->add_flag("--wait", args->wait, "Wait for a running `trove index` instead of failing");
  cmd->add_flag("--json", args->json, "Print the run summary as a JSON object");
  cmd->add_flag("--follow", args->follow,
                "Also index symlinks to regular files outside the folder (links to folders "
                "outside are never walked)");
  cmd->add_option("--max-size", args->max_size, "Skip files larger than BYTES (default 50 MiB)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--embed-model", args->embed_model,
                  "Embedding model: a registered name or a .gguf file (default: the registry's "
                  "default for role embed; none: lexical only)");
  cmd->add_flag("--reembed", args->reembed,
                "Drop every vector and embed all passages again (needed to switch models)");
  cmd->add_option("--vector-index", args->vector_index,
                  "FAISS index factory for a new vector store (default Flat: exact; for big "
                  "libraries HNSW32, or IVF4096,PQ32 with enough passages to train)");
  return [args, &global] { return run_index(*args, global); };
}

TROVE_REGISTER_COMMAND("index", 10, setup_index);

}  // namespace
}  // namespace trove::cli
