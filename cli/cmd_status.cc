// cli/cmd_status.cc — `trove status`: what the library holds, what failed, last run.
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "answer/embed_status.h"
#include "cli/exit_codes.h"
#include "cli/term.h"
#include "index/library.h"
#include "index/library_status.h"
#include "index/lock_file.h"
#include "index/vector_store.h"
#include "index/vector_sync.h"
#include "serve/json_schema.h"

namespace trove::cli {
namespace {

using answer::EmbedStatus;

struct StatusArgs {
  bool json = false;
};

void print_embeddings(const EmbedStatus& e, const Style& st) {
  std::printf("\n%sembeddings%s\n", st.bold.c_str(), st.reset.c_str());
  if (e.model) {
    const auto& m = *e.model;
    std::printf("  model %s (%s, %d dims, sha256 %s)\n", m.name.c_str(), m.arch.c_str(), m.dim,
                m.sha256.substr(0, 12).c_str());
    std::printf("  %lld of %lld passages embedded, %lld pending; vectors.faiss %s\n",
                static_cast<long long>(e.vectors), static_cast<long long>(e.chunks),
                static_cast<long long>(e.chunks > e.vectors ? e.chunks - e.vectors : 0),
                e.faiss_state.c_str());
  }
  if (!e.lexical_reason.empty()) {
    std::printf("  search is lexical only: %s\n", e.lexical_reason.c_str());
    // The reason usually says how to add a model already; say it once.
    if (e.lexical_reason.find("trove models") == std::string::npos) {
      std::printf(
          "  add a model with trove models pull bge-small-en-v1.5 or trove models add FILE "
          "--role embed\n");
    }
  }
}

int fail(const std::string& msg, int code = kExitLibrary) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return code;
}

std::string local_time(int64_t ms) {
  if (ms <= 0) return "-";
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

void print_json(const index::LibraryPaths& p, const index::LibraryStatus& s,
                const std::optional<EmbedStatus>& e) {
  std::printf("%s\n", serve::dump(serve::versioned(serve::status_json(p.home, s, e ? &*e : nullptr))).c_str());
}

void print_human(const index::LibraryPaths& p, const index::LibraryStatus& s,
                 const std::optional<EmbedStatus>& e) {
  const Style st = Style::for_stream(stdout);
  std::printf("%slibrary%s %s (schema v%d)\n", st.bold.c_str(), st.reset.c_str(), p.home.c_str(),
              s.schema_version);
  std::printf("%lld documents, %lld passages, %lld failed, %lld skipped\n",
              static_cast<long long>(s.documents), static_cast<long long>(s.chunks),
              static_cast<long long>(s.failed), static_cast<long long>(s.skipped));
  if (!s.sources.empty()) std::printf("\n%ssources%s\n", st.bold.c_str(), st.reset.c_str());
  for (const auto& src : s.sources) {
    std::printf("  %s%s%s  %lld documents, %lld passages, %lld failed\n", st.path.c_str(),
                src.root.c_str(), st.reset.c_str(), static_cast<long long>(src.documents),
                static_cast<long long>(src.chunks), static_cast<long long>(src.failed));
  }
  if (!s.types.empty()) std::printf("\n%sby type%s\n", st.bold.c_str(), st.reset.c_str());
  for (const auto& t : s.types) {
    std::printf("  %-9s %6lld documents %8lld passages\n", t.type.c_str(),
                static_cast<long long>(t.documents), static_cast<long long>(t.chunks));
  }
  if (!s.failures.empty()) std::printf("\n%sfailed%s\n", st.bold.c_str(), st.reset.c_str());
  for (const auto& f : s.failures) {
    std::printf("  %s%s%s: %s%s%s%s\n", st.path.c_str(), f.path.c_str(), st.reset.c_str(),
                f.reason.c_str(), f.detail.empty() ? "" : ": ", f.detail.c_str(),
                f.kept_old_chunks ? " (previous version still searchable)" : "");
  }
  if (s.ocr.pages > 0) {
    std::printf("\n%sOCR%s %lld pages recognised in %.1f s; last run: %lld recognised, %lld "
                "from the cache\n",
                st.bold.c_str(), st.reset.c_str(), static_cast<long long>(s.ocr.pages),
                s.ocr.seconds, static_cast<long long>(s.ocr.pages_last_run),
                static_cast<long long>(s.ocr.hits_last_run));
  }
  if (!s.skipped_files.empty())
    std::printf("\n%sskipped (not documents)%s\n", st.bold.c_str(), st.reset.c_str());
  for (const auto& f : s.skipped_files) {
    std::printf("  %s%s%s: skipped: %s\n", st.path.c_str(), f.path.c_str(), st.reset.c_str(),
                f.detail.c_str());
  }
  if (!s.exclusions.empty()) {
    std::printf("\n%sforgotten%s (trove unforget PATH brings one back)\n", st.bold.c_str(),
                st.reset.c_str());
  }
  for (const auto& x : s.exclusions)
    std::printf("  %s%s%s\n", st.path.c_str(), x.c_str(), st.reset.c_str());
  if (!s.recent_runs.empty()) std::printf("\n%sruns%s\n", st.bold.c_str(), st.reset.c_str());
  for (const auto& r : s.recent_runs) {
    // "failed: reason" and "interrupted" are what a cron user looks for first.
    std::printf(
        "  #%lld %s%s%s, started %s: %lld files, %lld added, %lld updated, %lld moved, "
        "%lld removed, %lld failed, %lld skipped\n",
        static_cast<long long>(r.id), r.status.c_str(), r.error.empty() ? "" : ": ",
        r.error.c_str(), local_time(r.started_at_ms).c_str(), static_cast<long long>(r.files),
        static_cast<long long>(r.added), static_cast<long long>(r.updated),
        static_cast<long long>(r.moved), static_cast<long long>(r.removed),
        static_cast<long long>(r.failed), static_cast<long long>(r.skipped));
  }
  if (e) print_embeddings(*e, st);
}

int run_status(const StatusArgs& a, const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return fail(paths.error().message);
  index::LibraryStatus s;
  std::optional<EmbedStatus> e;
  if (index::library_exists(*paths)) {
    auto db = index::open_library_read_only(*paths);
    if (!db.ok()) return fail(db.error().message);
    auto st = index::library_status(*db);
    if (!st.ok()) return fail(st.error().message);
    s = std::move(*st);
    index::mark_interrupted_if_no_writer(s, index::lock_is_held(paths->lock));
    e = answer::embed_status(*db, *paths);
  }
  if (a.json) {
    print_json(*paths, s, e);
  } else {
    print_human(*paths, s, e);
    if (s.sources.empty()) std::printf("the library is empty: run trove index PATH\n");
  }
  return 0;
}

RunFn setup_status(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<StatusArgs>();
  CLI::App* cmd = app.add_subcommand("status", "What the library holds, what failed, last run");
  cmd->fallthrough();
  cmd->add_flag("--json", args->json, "Print one JSON object");
  return [args, &global] { return run_status(*args, global); };
}

TROVE_REGISTER_COMMAND("status", 40, setup_status);

}  // namespace
}  // namespace trove::cli
