// cli/cmd_doctor.cc — `trove doctor`: checks everything a run depends on and says
// what to do about each problem. Read-only: it repairs nothing (trove index repairs
// a stale vectors.faiss; models verify accepts a changed model).
//
// Checks: the home (exists, private), the database (opens, schema, PRAGMA
// quick_check), the models (every registered file present with its registered size
// and SHA-256), the vector index (vectors.faiss matches the database's generation and
// vector count), and the CPU kernels this machine uses.
// Exit: 0 all fine, 5 a library problem, 6 a model problem (the worst one found).
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/term.h"
#include "core/cpu_features.h"
#include "core/kernels_internal.h"
#include "core/str_cat.h"
#include "index/library.h"
#include "index/model_registry.h"
#include "index/schema.h"
#include "index/vector_store.h"
#include "index/vector_sync.h"

namespace trove::cli {
namespace {

class Report {
 public:
  explicit Report(const Style& st) : st_(st) {}
  void ok(const std::string& what) { std::printf("  ok    %s\n", what.c_str()); }
  void note(const std::string& what) { std::printf("  note  %s\n", what.c_str()); }
  void bad(int code, const std::string& what, const std::string& todo) {
    std::printf("  %sFAIL%s  %s\n        fix: %s\n", st_.error.c_str(), st_.reset.c_str(),
                what.c_str(), todo.c_str());
    if (rc_ == kExitOk || code == kExitLibrary) rc_ = code;
  }
  void section(const char* name) { std::printf("%s%s%s\n", st_.bold.c_str(), name, st_.reset.c_str()); }
  int rc() const { return rc_; }

 private:
  Style st_;
  int rc_ = kExitOk;
};

std::string mode_str(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "";
  char buf[8];
  std::snprintf(buf, sizeof buf, "%03o", st.st_mode & 0777);
  return buf;
}

void check_home(const index::LibraryPaths& p, Report& r) {
  r.section("home");
  if (!std::filesystem::is_directory(p.home)) {
    r.note(p.home + " does not exist yet (trove index PATH creates it)");
    return;
  }
  const std::string m = mode_str(p.home);
  if (m == "700") {
    r.ok(p.home + " is private (0700)");
  } else {
    r.bad(kExitLibrary, p.home + " has mode " + m + ": other users may read your library",
          "chmod 700 " + p.home);
  }
  for (const std::string& f : {p.db, p.lock, p.vectors}) {
    const std::string fm = mode_str(f);
    if (!fm.empty() && fm != "600")
      r.bad(kExitLibrary, str_cat({f, " has mode ", fm}), str_cat({"chmod 600 ", f}));
  }
}

void check_database(const index::LibraryPaths& p, Report& r) {
  r.section("database");
  if (!index::library_exists(p)) {
    r.note("no library yet: trove index PATH");
    return;
  }
  auto db = index::Db::open(p.db, index::OpenMode::kReadOnly);
  if (!db.ok()) {
    r.bad(kExitLibrary, "cannot open " + p.db + ": " + db.error().message,
          "check the file's permissions and free space; restore it from a backup if damaged");
    return;
  }
  auto v = index::schema_version(*db);
  if (!v.ok() || *v > index::latest_schema_version()) {
    r.bad(kExitLibrary, p.db + ": schema version " + (v.ok() ? std::to_string(*v) : "unreadable"),
          "use the trove that wrote it, or a newer one");
    return;
  }
  auto st = db->prepare("PRAGMA quick_check");
  std::string result = "unknown";
  if (st.ok()) {
    auto row = st->step();
    if (row.ok() && *row) result = st->column_text(0);
  }
  if (result == "ok") {
    r.ok(p.db + ": schema v" + std::to_string(*v) + ", integrity ok");
  } else {
    r.bad(kExitLibrary, p.db + ": integrity check says: " + result,
          "restore trove.db from a backup, or remove the home folder and index again");
  }
}

void check_models(const index::LibraryPaths& p, Report& r) {
  r.section("models");
  auto reg = index::ModelRegistry::open(p.home);
  if (!reg.ok()) {
    r.bad(kExitModel, reg.error().message, "fix or remove " + p.home + "/models/registry.tsv");
    return;
  }
  if (reg->entries().empty()) r.note("no models: search is lexical only (trove models pull --list)");
  for (const auto& e : reg->entries()) {
    auto res = reg->resolve(e.name, e.role);
    if (res.ok()) {
      r.ok(e.name + " (" + std::string(index::role_name(e.role)) + "): " + e.path +
           ", size and sha256 as registered");
    } else {
      r.bad(kExitModel, res.error().message, "see the message: models verify, pull or add");
    }
  }
}

void check_vectors(const index::LibraryPaths& p, Report& r) {
  r.section("vector index");
  if (!index::library_exists(p)) return;
  auto db = index::Db::open(p.db, index::OpenMode::kReadOnly);
  if (!db.ok()) return;
  auto count = index::query_int(*db, "SELECT count(*) FROM chunk_vectors");
  if (!count.ok() || *count == 0) {
    r.note("no vectors (lexical only)");
    return;
  }
  const int64_t gen = index::vector_generation(*db);
  auto store = index::VectorStore::load(p.vectors);
  if (!store.ok()) {
    r.bad(kExitLibrary, p.vectors + ": " + store.error().message,
          "trove index rebuilds it from the database");
  } else if (static_cast<int64_t>(store->generation()) != gen || store->size() != *count) {
    r.bad(kExitLibrary,
          p.vectors + " holds " + std::to_string(store->size()) + " vectors at generation " +
              std::to_string(store->generation()) + "; the database " + std::to_string(*count) +
              " at " + std::to_string(gen),
          "trove index rebuilds it (search rebuilds it in memory meanwhile)");
  } else {
    r.ok(p.vectors + ": " + std::to_string(*count) + " vectors, in step with the database");
  }
}

void check_cpu(Report& r) {
  r.section("cpu");
  const CpuFeatures& f = cpu_features();
  r.ok(std::string("kernels: ") + kern::simd_level_name(kern::best_kernels().level) +
       " (cpu: avx2 " + (f.has_avx2_set() ? "yes" : "no") + ", avx512 " +
       (f.has_avx512_set() ? "yes" : "no") + "; TROVE_SIMD chooses another)");
}

RunFn setup_doctor(CLI::App& app, const GlobalOptions& global) {
  app.add_subcommand("doctor", "Check the library, models, vector index and CPU kernels");
  return [&global]() -> int {
    auto paths = index::resolve_library_paths(global.home);
    if (!paths.ok()) {
      std::fprintf(stderr, "trove: %s\n", paths.error().message.c_str());
      return kExitUsage;
    }
    Report r(Style::for_stream(stdout));
    check_home(*paths, r);
    check_database(*paths, r);
    check_models(*paths, r);
    check_vectors(*paths, r);
    check_cpu(r);
    std::printf(r.rc() == kExitOk ? "no problems found\n" : "problems found: see fix: above\n");
    return r.rc();
  };
}

TROVE_REGISTER_COMMAND("doctor", 90, setup_doctor);

}  // namespace
}  // namespace trove::cli
