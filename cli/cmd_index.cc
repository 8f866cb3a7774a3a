// cli/cmd_index.cc — `trove index [PATH...]`: bring the library up to date.
//
// Output: a progress bar on stderr (TTY only, not with --quiet); per-file failures as
// `trove: path: reason` on stderr when stderr is a TTY or with -v (cron runs keep them
// in `trove status`); a one-line summary on stdout (or a JSON object with --json).
// Exit: 0 the run completed (even with failed files), 2 it could not (library
// unusable, lock held, a source folder missing, disk full).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/embed_token_counter.h"
#include "cli/json.h"
#include "cli/term.h"
#include "core/sha256.h"
#include "embed/embedder.h"
#include "index/indexer.h"
#include "index/library.h"
#include "index/lock_file.h"
#include "index/model_registry.h"
#include "index/vector_sync.h"

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

// The embedding model this run uses, or none (lexical only).
struct EmbedModel {
  std::unique_ptr<Embedder> embedder;
  index::EmbeddingModelId id;
  std::string none_reason;  // why there is no model (when embedder is null)
};

Result<EmbedModel> open_embed_model(const std::string& flag, const std::string& home) {
  EmbedModel m;
  auto reg = index::ModelRegistry::open(home);
  if (!reg.ok()) return reg.error();
  std::string name, path, sha;
  if (!flag.empty()) {
    if (const auto* e = reg->find(flag)) {
      name = e->name, path = e->path, sha = e->sha256;
    } else if (std::filesystem::is_regular_file(flag)) {
      path = std::filesystem::absolute(flag).lexically_normal().string();
      name = std::filesystem::path(path).stem().string();
      auto h = sha256_file(path);
      if (!h.ok()) return h.error();
      sha = *h;
    } else {
      return make_error("--embed-model " + flag +
                        ": neither a registered model (see trove models) nor a file");
    }
  } else if (const auto* e = reg->default_for(index::ModelRole::kEmbed)) {
    name = e->name, path = e->path, sha = e->sha256;
  } else {
    m.none_reason = "no embedding model; see trove models pull";
    return m;
  }
  auto emb = Embedder::open(path, {});
  if (!emb.ok()) return make_error("embedding model " + name + ": " + emb.error().message);
  m.embedder = std::move(*emb);
  m.id = index::identity_of(*m.embedder, name, path, sha);
  return m;
}

// Chunks sized for the model: its context less a margin, overlap about 15%.
ingest::ChunkOptions chunk_options_for(const Embedder& e) {
  ingest::ChunkOptions c;
  c.max_tokens = std::max(32, std::min(400, e.max_tokens() - 16));
  c.overlap_tokens = c.max_tokens * 15 / 100;
  return c;
}

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

std::string summary_line(const index::IndexSummary& s, const EmbedModel& m,
                         const index::VectorSyncStats& v) {
  std::string line = lexical_line(s);
  if (m.embedder) {
    line += "; embedded " + std::to_string(v.embedded) + " chunks";
    if (v.removed > 0) line += ", " + std::to_string(v.removed) + " vectors removed";
    line += " with " + m.id.name + " in " + human_seconds(v.seconds);
  } else {
    line += " (lexical only: " + m.none_reason + ")";
  }
  return line;
}

void print_json(const index::IndexSummary& s, bool ok, const EmbedModel& m,
                const index::VectorSyncStats& v, const std::string& error) {
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
  w.key("model");
  if (m.embedder) {
    w.value(m.id.name);
  } else {
    w.null();
  }
  w.key("embedded").value(v.embedded);
  w.key("vectors_removed").value(v.removed);
  w.key("embed_seconds").value(v.seconds);
  if (!error.empty()) w.key("error").value(error);
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

  auto model = open_embed_model(a.embed_model, paths->home);
  if (!model.ok()) return fail(model.error().message);
  std::unique_ptr<EmbedTokenCounter> counter;

  ProgressBar bar(!g.quiet);
  const bool show_failures = !g.quiet && (g.verbose || is_tty(stderr));
  const Style err_style = Style::for_stream(stderr);
  index::IndexOptions opt;
  opt.paths = a.paths;
  opt.max_file_size = a.max_size;
  opt.follow = a.follow;
  if (model->embedder) {
    // Chosen before indexing so every chunk fits the model it is embedded with.
    counter = std::make_unique<EmbedTokenCounter>(*model->embedder);
    opt.counter = counter.get();
    opt.chunk = chunk_options_for(*model->embedder);
  }
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
  index::VectorSyncStats vs;
  if (model->embedder) {
    index::VectorSyncOptions vo;
    vo.reembed = a.reembed;
    vo.factory = a.vector_index;
    EmbedProgress eprog(!g.quiet && is_tty(stderr));
    vo.progress = [&](int64_t done, int64_t total) { eprog.update(done, total); };
    auto r = index::sync_vectors(*db, paths->vectors, *model->embedder, model->id, vo);
    eprog.clear();
    if (!r.ok()) {
      const std::string msg = r.error().message;
      if (a.json) {
        print_json(*sum, false, *model, vs, msg);
      }
      // The lexical part is committed: say so, so the user knows search still works.
      return fail(msg + "\ntrove: the lexical index is up to date (" + lexical_line(*sum) + ")");
    }
    vs = *r;
  }
  const bool ok = sum->source_errors.empty();
  if (a.json) {
    print_json(*sum, ok, *model, vs, "");
  } else if (!g.quiet) {
    std::printf("%s\n", summary_line(*sum, *model, vs).c_str());
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
