// cli/cmd_status.cc — `trove status`: what the library holds, what failed, last run.
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/json.h"
#include "cli/term.h"
#include "index/library.h"
#include "index/library_status.h"

namespace trove::cli {
namespace {

struct StatusArgs {
  bool json = false;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return 2;
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

void print_json(const index::LibraryPaths& p, const index::LibraryStatus& s) {
  JsonWriter w;
  w.begin_object();
  w.key("home").value(p.home);
  w.key("schema_version").value(s.schema_version);
  w.key("documents").value(s.documents);
  w.key("chunks").value(s.chunks);
  w.key("failed").value(s.failed);
  w.key("sources").begin_array();
  for (const auto& src : s.sources) {
    w.begin_object().key("root").value(src.root).key("documents").value(src.documents);
    w.key("chunks").value(src.chunks).key("failed").value(src.failed).end_object();
  }
  w.end_array();
  w.key("types").begin_array();
  for (const auto& t : s.types) {
    w.begin_object().key("type").value(t.type).key("documents").value(t.documents);
    w.key("chunks").value(t.chunks).end_object();
  }
  w.end_array();
  w.key("failures").begin_array();
  for (const auto& f : s.failures) {
    w.begin_object().key("path").value(f.path).key("reason").value(f.reason);
    w.key("detail").value(f.detail).key("kept_old_chunks").value(f.kept_old_chunks);
    w.end_object();
  }
  w.end_array();
  w.key("last_run");
  if (s.last_run) {
    const auto& r = *s.last_run;
    w.begin_object().key("id").value(r.id).key("status").value(r.status);
    w.key("started_at_ms").value(r.started_at_ms).key("ended_at_ms").value(r.ended_at_ms);
    w.key("files").value(r.files).key("added").value(r.added).key("updated").value(r.updated);
    w.key("unchanged").value(r.unchanged).key("moved").value(r.moved);
    w.key("removed").value(r.removed).key("failed").value(r.failed);
    w.key("error").value(r.error).end_object();
  } else {
    w.null();
  }
  w.end_object();
  std::printf("%s\n", w.str().c_str());
}

void print_human(const index::LibraryPaths& p, const index::LibraryStatus& s) {
  const Style st = Style::for_stream(stdout);
  std::printf("%slibrary%s %s (schema v%d)\n", st.bold.c_str(), st.reset.c_str(), p.home.c_str(),
              s.schema_version);
  std::printf("%lld documents, %lld passages, %lld failed\n", static_cast<long long>(s.documents),
              static_cast<long long>(s.chunks), static_cast<long long>(s.failed));
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
  if (s.last_run) {
    const auto& r = *s.last_run;
    std::printf(
        "\n%slast run%s #%lld %s, started %s: %lld files, %lld added, %lld updated, "
        "%lld moved, %lld removed, %lld failed%s%s\n",
        st.bold.c_str(), st.reset.c_str(), static_cast<long long>(r.id), r.status.c_str(),
        local_time(r.started_at_ms).c_str(), static_cast<long long>(r.files),
        static_cast<long long>(r.added), static_cast<long long>(r.updated),
        static_cast<long long>(r.moved), static_cast<long long>(r.removed),
        static_cast<long long>(r.failed), r.error.empty() ? "" : ": ", r.error.c_str());
  }
}

int run_status(const StatusArgs& a, const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return fail(paths.error().message);
  index::LibraryStatus s;
  if (index::library_exists(*paths)) {
    auto db = index::Db::open(paths->db, index::OpenMode::kReadOnly);
    if (!db.ok()) return fail(db.error().message);
    auto st = index::library_status(*db);
    if (!st.ok()) return fail(st.error().message);
    s = std::move(*st);
  }
  if (a.json) {
    print_json(*paths, s);
  } else {
    print_human(*paths, s);
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
