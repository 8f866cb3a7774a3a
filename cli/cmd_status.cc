// cli/cmd_status.cc — `trove status`: what the library holds, what failed, last run.
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/json.h"
#include "answer/search.h"
#include "cli/term.h"
#include "index/library.h"
#include "index/library_status.h"
#include "index/lock_file.h"
#include "index/vector_store.h"
#include "index/vector_sync.h"

namespace trove::cli {
namespace {

struct StatusArgs {
  bool json = false;
};

// What the library's vectors look like (the Embeddings section).
struct EmbedStatus {
  std::optional<index::EmbeddingModelId> model;
  int64_t vectors = 0;
  int64_t chunks = 0;
  int64_t pending_deletes = 0;
  int64_t generation = 0;
  std::string faiss_state;     // "current", "stale (rebuilt on next use)", "missing"
  std::string lexical_reason;  // non-empty: search is lexical only, and why
};

EmbedStatus embed_status(index::Db& db, const index::LibraryPaths& p) {
  EmbedStatus e;
  auto m = index::stored_embedding_model(db);
  if (m.ok()) e.model = *m;
  auto count = [&](const char* sql) {
    auto v = index::query_int(db, sql);
    return v.ok() ? *v : 0;
  };
  e.chunks = count("SELECT count(*) FROM chunks");
  e.vectors = count("SELECT count(*) FROM chunk_vectors");
  e.pending_deletes = count("SELECT count(*) FROM pending_vector_deletes");
  e.generation = index::vector_generation(db);
  if (!std::filesystem::exists(p.vectors)) {
    e.faiss_state = "missing";
  } else {
    auto store = index::VectorStore::load(p.vectors);
    e.faiss_state = store.ok() && static_cast<int64_t>(store->generation()) == e.generation
                        ? "current"
                        : "stale (rebuilt in memory on search; trove index saves it)";
  }
  e.lexical_reason = answer::semantic_unavailable_reason(p);
  return e;
}

void json_embeddings(JsonWriter& w, const EmbedStatus& e) {
  w.key("embeddings").begin_object();
  w.key("model");
  if (e.model) {
    const auto& m = *e.model;
    w.begin_object().key("name").value(m.name).key("arch").value(m.arch);
    w.key("dim").value(static_cast<int64_t>(m.dim)).key("sha256").value(m.sha256);
    w.key("path").value(m.path).end_object();
  } else {
    w.null();
  }
  w.key("vectors").value(e.vectors).key("chunks").value(e.chunks);
  w.key("pending").value(e.chunks - e.vectors > 0 ? e.chunks - e.vectors : 0);
  w.key("pending_deletes").value(e.pending_deletes);
  w.key("generation").value(e.generation).key("faiss").value(e.faiss_state);
  w.key("semantic_available").value(e.lexical_reason.empty());
  if (!e.lexical_reason.empty()) w.key("lexical_only_reason").value(e.lexical_reason);
  w.end_object();
}

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
    if (e.lexical_reason.find("trove models") == std::string::npos)
      std::printf(
          "  add a model with trove models pull bge-small-en-v1.5 or trove models add FILE "
          "--role embed\n");
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
  JsonWriter w;
  w.begin_object();
  w.key("home").value(p.home);
  w.key("schema_version").value(s.schema_version);
  w.key("documents").value(s.documents);
  w.key("chunks").value(s.chunks);
  w.key("failed").value(s.failed);
  w.key("skipped").value(s.skipped);
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
  w.key("skipped_files").begin_array();
  for (const auto& f : s.skipped_files)
    w.begin_object().key("path").value(f.path).key("reason").value(f.detail).end_object();
  w.end_array();
  auto run_json = [&w](const index::RunStatus& r) {
    w.begin_object().key("id").value(r.id).key("status").value(r.status);
    w.key("started_at_ms").value(r.started_at_ms).key("ended_at_ms").value(r.ended_at_ms);
    w.key("files").value(r.files).key("added").value(r.added).key("updated").value(r.updated);
    w.key("unchanged").value(r.unchanged).key("moved").value(r.moved);
    w.key("removed").value(r.removed).key("failed").value(r.failed);
    w.key("skipped").value(r.skipped);
    w.key("error").value(r.error).end_object();
  };
  w.key("last_run");
  if (s.last_run) {
    run_json(*s.last_run);
  } else {
    w.null();
  }
  w.key("runs").begin_array();
  for (const auto& r : s.recent_runs) run_json(r);
  w.end_array();
  w.key("ocr").begin_object().key("pages").value(s.ocr.pages).key("seconds").value(s.ocr.seconds);
  w.key("pages_last_run").value(s.ocr.pages_last_run);
  w.key("cache_hits_last_run").value(s.ocr.hits_last_run).end_object();
  w.key("forgotten").begin_array();
  for (const auto& x : s.exclusions) w.value(x);
  w.end_array();
  if (e) json_embeddings(w, *e);
  w.end_object();
  std::printf("%s\n", w.str().c_str());
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
    auto db = index::Db::open(paths->db, index::OpenMode::kReadOnly);
    if (!db.ok()) return fail(db.error().message);
    auto st = index::library_status(*db);
    if (!st.ok()) return fail(st.error().message);
    s = std::move(*st);
    index::mark_interrupted_if_no_writer(s, index::lock_is_held(paths->lock));
    e = embed_status(*db, *paths);
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
