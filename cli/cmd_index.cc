// cli/cmd_index.cc — `trove index [PATH...]`: bring the library up to date.
//
// Flags → answer::update_library() (answer/update.h: lock, embedding model, indexing,
// vectors) → progress while it runs and the summary after.
//
// Output: a progress bar on stderr (TTY only, not with --quiet); every file that
// failed in this run as `trove: path: reason` on stderr, on a terminal or not and
// with --quiet too (they are errors, and cron mails stderr); a one-line summary on
// stdout, or with --json exactly one JSON document on stdout whatever happened
// (including {"ok":false,"error":"locked","holder_pid":N,...} when the run cannot start).
// Exit (cli/exit_codes.h): 0 done; 3 partial: a new or changed file failed, a source
// folder was missing or empty (its documents kept), or the vectors were not updated
// (model missing, changed or broken: the text is indexed anyway); 2 the request was
// refused and nothing changed; 4 another index holds the lock; 5 the library is
// unusable.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "answer/update.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/printable.h"
#include "cli/term.h"
#include "index/library.h"
#include "serve/json_schema.h"

namespace trove::cli {
namespace {

struct IndexArgs {
  std::vector<std::string> paths;
  bool wait = false;
  bool json = false;
  bool allow_empty = false;
  uint64_t max_size = 50ull << 20;
  double parse_timeout = 60;     // seconds per file
  uint64_t parse_memory = 1024;  // MiB per file
  std::string embed_model;       // registry name or .gguf path; "" = registry default
  bool reembed = false;
  std::string vector_index;  // "" keeps the library's factory
  bool follow = false;
  bool no_ocr = false;
  std::string ocr_lang;  // "" = the library's setting
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
    char line[96];
    std::snprintf(line, sizeof line, "embedding %lld/%lld chunks", static_cast<long long>(done),
                  static_cast<long long>(total));
    std::fprintf(stderr, "\r\x1b[2K%s", fit_line(line, terminal_columns(stderr)).c_str());
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

int fail(const std::string& msg, int code) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return code;
}

int refusal_exit(answer::UpdateRefusal::Kind k) {
  switch (k) {
    case answer::UpdateRefusal::Kind::kUsage:
      return kExitUsage;
    case answer::UpdateRefusal::Kind::kLocked:
      return kExitLocked;
    case answer::UpdateRefusal::Kind::kLibrary:
      break;
  }
  return kExitLibrary;
}

const char* refusal_name(answer::UpdateRefusal::Kind k) {
  switch (k) {
    case answer::UpdateRefusal::Kind::kUsage:
      return "usage";
    case answer::UpdateRefusal::Kind::kLocked:
      return "locked";
    case answer::UpdateRefusal::Kind::kLibrary:
      break;
  }
  return "library";
}

// --json when the run could not start: still one JSON document on stdout.
void print_json_refusal(const answer::UpdateRefusal& r, const std::string& message, int code) {
  serve::json j = {{"ok", false}, {"error", refusal_name(r.kind)}};
  if (r.kind == answer::UpdateRefusal::Kind::kLocked) {
    char* end = nullptr;
    const long long pid = std::strtoll(r.holder_pid.c_str(), &end, 10);
    const bool known = !r.holder_pid.empty() && end != nullptr && *end == '\0' && pid > 0;
    j["holder_pid"] = known ? serve::json(static_cast<int64_t>(pid)) : serve::json(nullptr);
  }
  j["message"] = message;
  j["exit_code"] = code;
  std::printf("%s\n", serve::dump(serve::versioned(j)).c_str());
}

std::string lexical_line(const index::IndexSummary& s) {
  std::string line = "indexed " + std::to_string(s.files) + " files: ";
  line += std::to_string(s.added) + " added, " + std::to_string(s.updated) + " updated, ";
  if (s.moved > 0) line += std::to_string(s.moved) + " moved, ";
  line += std::to_string(s.removed) + " removed, " + std::to_string(s.failed) + " failed, ";
  line += std::to_string(s.skipped) + " skipped in ";
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

// The same object POST /api/index ends with, plus the exit code (serve/json_schema.h).
void print_json(const answer::RunReport& r, int code) {
  std::printf("%s\n", serve::dump(serve::versioned(serve::run_report_json(r, code))).c_str());
}

int run_index(const IndexArgs& a, const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) {
    if (a.json) print_json_refusal({}, paths.error().message, kExitLibrary);
    return fail(paths.error().message, kExitLibrary);
  }
  answer::UpdateOptions opt;
  opt.paths = a.paths;
  opt.wait_for_lock = a.wait;
  opt.allow_empty = a.allow_empty;
  opt.max_file_size = a.max_size;
  opt.embed_model = a.embed_model;
  opt.reembed = a.reembed;
  opt.vector_index = a.vector_index;
  opt.follow = a.follow;

  ProgressBar bar(!g.quiet);
  EmbedProgress eprog(!g.quiet && is_tty(stderr));
  const Style err_style = Style::for_stream(stderr);
  opt.parse_budget.seconds = a.parse_timeout;
  opt.parse_budget.memory_bytes = a.parse_memory << 20;
  opt.ocr = !a.no_ocr;
  opt.ocr_languages = a.ocr_lang;  // checked by update_library: a usage error (exit 2)
  answer::UpdateCallbacks cb;
  cb.on_progress = [&](const index::IndexProgress& p) {
    bar.update(p.files_done, p.files_total, p.bytes_done, p.bytes_total, p.ocr_pages);
  };
  cb.on_failure = [&](const index::FileFailure& f) {
    bar.clear();
    std::fprintf(stderr, "trove: %s%s%s: %s%s%s\n", err_style.path.c_str(),
                 printable(f.path).c_str(), err_style.reset.c_str(), f.reason.c_str(),
                 f.detail.empty() ? "" : ": ", printable(f.detail).c_str());
  };
  cb.on_skip = [&](const index::FileFailure& f) {
    if (g.quiet || !g.verbose) return;  // not documents: only --verbose lists them as they go
    bar.clear();
    std::fprintf(stderr, "trove: %s%s%s: skipped: %s\n", err_style.path.c_str(),
                 printable(f.path).c_str(), err_style.reset.c_str(), printable(f.detail).c_str());
  };
  cb.on_embed_start = [&] { bar.clear(); };
  cb.on_embed_progress = [&](int64_t done, int64_t total) { eprog.update(done, total); };
  answer::UpdateRefusal refusal;
  auto r = answer::update_library(*paths, opt, cb, &refusal);
  bar.clear();
  eprog.clear();
  if (!r.ok()) {
    const int code = refusal_exit(refusal.kind);
    if (a.json) print_json_refusal(refusal, r.error().message, code);
    return fail(r.error().message, code);
  }
  for (const auto& e : r->summary.source_errors)
    std::fprintf(stderr, "trove: %s\n", printable(e).c_str());
  const int code = r->partial() ? kExitPartial : kExitOk;
  if (a.json) {
    print_json(*r, code);
  } else if (!g.quiet || code != kExitOk) {
    std::printf("%s\n", summary_line(*r).c_str());
  }
  if (!r->vector_error.empty()) {
    // The lexical part is committed: say so, so the user knows search still works.
    std::fprintf(stderr, "trove: vectors not updated: %s\ntrove: the text index is up to date\n",
                 r->vector_error.c_str());
  }
  if (!r->summary.failures.empty() && !a.json) {
    std::fprintf(stderr,
                 "trove: %zu file%s failed in this run (listed above; trove status keeps "
                 "the list)\n",
                 r->summary.failures.size(), r->summary.failures.size() == 1 ? "" : "s");
  }
  return code;
}

RunFn setup_index(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<IndexArgs>();
  CLI::App* cmd = app.add_subcommand(
      "index", "Index folders (the first time registers them); no PATH: every registered folder");
  cmd->fallthrough();
  cmd->add_option("paths", args->paths, "Folders to index");
  cmd->add_flag("--wait", args->wait, "Wait for a running `trove index` instead of failing");
  cmd->add_flag("--json", args->json,
                "Print the run summary (or why it could not run) as one JSON object");
  cmd->add_flag("--allow-empty", args->allow_empty,
                "A source folder that is empty or missing is so on purpose: forget its documents "
                "(default: keep them and exit 3, as for an unmounted disk)");
  cmd->add_flag("--follow", args->follow,
                "Also index symlinks to regular files outside the folder (links to folders "
                "outside are never walked)");
  cmd->add_option("--max-size", args->max_size, "Skip files larger than BYTES (default 50 MiB)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--parse-timeout", args->parse_timeout,
                  "Give up parsing a file after SECONDS (default 60); it is recorded failed "
                  "and not retried until it changes")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--parse-memory", args->parse_memory,
                  "Memory in MiB one file's parse may use (default 1024)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--no-ocr", args->no_ocr,
                "Do not OCR scanned PDF pages and page images in this run (they are read "
                "the next time OCR is on)");
  cmd->add_option("--ocr-lang", args->ocr_lang,
                  "Tesseract languages for OCR, e.g. eng+deu (kept as the library's setting; "
                  "default eng)");
  cmd->add_option("--embed-model", args->embed_model,
                  "Embedding model: a registered name or a .gguf file (default: the registry's "
                  "default for role embed; none: lexical only)");
  cmd->add_flag("--reembed", args->reembed,
                "Drop every vector and embed all passages again (needed to switch models)");
  cmd->add_option(
      "--vector-index", args->vector_index,
      "FAISS index factory, rebuilt beside the old one and kept for later runs (default: "
      "the library's, Flat for a new one: exact; for big libraries HNSW32, or "
      "IVF4096,PQ32 with enough passages to train)");
  return [args, &global] { return run_index(*args, global); };
}

TROVE_REGISTER_COMMAND("index", 10, setup_index);

}  // namespace
}  // namespace trove::cli
