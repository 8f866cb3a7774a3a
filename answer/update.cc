// answer/update.cc — see update.h.
#include "answer/update.h"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "core/sha256.h"
#include "embed/embedder.h"
#include "index/lock_file.h"
#include "index/model_registry.h"
#include "ingest/ocr.h"
#include "index/store.h"
#include "index/vector_factory.h"
#include "ingest/token_counter.h"

namespace trove::answer {
namespace {

// The embedding model this run uses, or none (lexical only).
struct EmbedModel {
  std::unique_ptr<Embedder> embedder;
  index::EmbeddingModelId id;
  std::string none_reason;  // why there is no model (when embedder is null)
  bool problem = false;     // none_reason is a fault (missing, changed, broken), not a choice
};

// A model named by --embed-model that is neither registered nor a file is a usage
// error (the run is refused); every other model fault falls back to lexical indexing.
bool names_nothing(const std::string& flag, const index::ModelRegistry& reg) {
  std::error_code ec;
  return !flag.empty() && reg.find(flag) == nullptr && !std::filesystem::exists(flag, ec);
}

EmbedModel no_model(std::string reason, bool problem) {
  EmbedModel m;
  m.none_reason = std::move(reason);
  m.problem = problem;
  return m;
}

EmbedModel open_embed_model(const std::string& flag, const index::ModelRegistry& reg) {
  auto resolved = reg.resolve(flag, index::ModelRole::kEmbed);
  if (!resolved.ok()) return no_model(resolved.error().message, true);
  if (!resolved->has_value()) return no_model("no embedding model; see trove models pull", false);
  const index::ResolvedModel& r = **resolved;
  auto emb = Embedder::open(r.path, {});
  if (!emb.ok()) return no_model("embedding model " + r.name + ": " + emb.error().message, true);
  EmbedModel m;
  m.embedder = std::move(*emb);
  m.id = index::identity_of(*m.embedder, r.name, r.path, r.sha256);
  return m;
}

// The chunker's token budget measured with the embedding model's own tokenizer, so
// every chunk fits the model it will be embedded with.
class EmbedTokenCounter final : public ingest::TokenCounter {
 public:
  explicit EmbedTokenCounter(const Embedder& e) : embedder_(e) {}
  int count(std::string_view text) const override {
    return static_cast<int>(embedder_.count_tokens(text));
  }

 private:
  const Embedder& embedder_;
};

// Chunks sized for the model: its context less a margin, overlap about 15%.
ingest::ChunkOptions chunk_options_for(const Embedder& e) {
  ingest::ChunkOptions c;
  c.max_tokens = std::max(32, std::min(400, e.max_tokens() - 16));
  c.overlap_tokens = c.max_tokens * 15 / 100;
  return c;
}

// The OCR languages of this run: the flag (already checked; kept as the library's
// setting), else the setting, else English.
Result<std::string> ocr_languages(index::Db& db, const std::string& flag) {
  if (!flag.empty()) {
    auto put = db.prepare(
        "INSERT INTO meta(key, value) VALUES('ocr_languages', ?1)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!put.ok()) return put.error();
    put->bind(1, flag);
    TROVE_TRY(put->run());
    return flag;
  }
  auto get = db.prepare("SELECT value FROM meta WHERE key = 'ocr_languages'");
  if (!get.ok()) return get.error();
  auto row = get->step();
  if (!row.ok()) return row.error();
  return *row ? get->column_text(0) : std::string("eng");
}

Error refuse(UpdateRefusal* out, UpdateRefusal::Kind kind, Error e, std::string pid = {}) {
  if (out != nullptr) *out = UpdateRefusal{kind, std::move(pid)};
  return e;
}

// The factory string checked before anything is written, against the passages the
// library holds now (a library without any yet: the string and dimension only; the
// vector step checks the count again after indexing).
Status precheck_factory(index::Db& db, const std::string& factory, int dim) {
  if (factory.empty()) return {};
  auto chunks = index::query_int(db, "SELECT count(*) FROM chunks");
  if (!chunks.ok()) return chunks.error();
  return index::check_vector_factory(factory, dim, *chunks > 0 ? *chunks : -1);
}

// A run whose vector step did not happen is not "completed" in the run history.
void record_vector_failure(index::Db& db, const RunReport& r) {
  if (r.vector_error.empty() || r.summary.run_id == 0) return;
  // Best effort: the run's outcome is reported either way; a failure to write it
  // must not hide the reason from the user.
  (void)index::Store(db).mark_run_failed(r.summary.run_id,
                                         "vectors not updated: " + r.vector_error);
}

}  // namespace

Result<RunReport> update_library(const index::LibraryPaths& paths, const UpdateOptions& o,
                                 const UpdateCallbacks& cb, UpdateRefusal* refusal) {
  using Kind = UpdateRefusal::Kind;
  auto db = index::open_library(paths);
  if (!db.ok()) return refuse(refusal, Kind::kLibrary, db.error());
  auto lock = index::LockFile::acquire(
      paths.lock, o.wait_for_lock ? index::LockWait::kWait : index::LockWait::kFailFast);
  if (!lock.ok()) {
    if (index::is_lock_held_error(lock.error()))
      return refuse(refusal, Kind::kLocked, lock.error(), index::lock_holder_pid(paths.lock));
    return refuse(refusal, Kind::kLibrary, lock.error());
  }

  index::IndexOptions opt;
  opt.paths = o.paths;
  opt.max_file_size = o.max_file_size;
  opt.follow = o.follow;
  opt.allow_empty = o.allow_empty;
  opt.parse_budget = o.parse_budget;
  opt.ocr = o.ocr;
  if (!o.ocr_languages.empty()) {
    if (std::string why = ingest::ocr_language_problem(o.ocr_languages); !why.empty())
      return refuse(refusal, Kind::kUsage, make_error(why));
  }
  auto langs = ocr_languages(*db, o.ocr_languages);
  if (!langs.ok()) return refuse(refusal, Kind::kLibrary, langs.error());
  opt.ocr_languages = *langs;
  auto problem = index::index_request_problem(*db, opt);
  if (!problem.ok()) return refuse(refusal, Kind::kLibrary, problem.error());
  if (!problem->empty()) return refuse(refusal, Kind::kUsage, make_error(*problem));

  auto reg = index::ModelRegistry::open(paths.home);
  if (!reg.ok()) return refuse(refusal, Kind::kLibrary, reg.error());
  if (names_nothing(o.embed_model, *reg)) {
    return refuse(refusal, Kind::kUsage,
                  make_error("--embed-model " + o.embed_model +
                             ": neither a registered model (see trove models list) nor a file"));
  }
  EmbedModel model = open_embed_model(o.embed_model, *reg);
  std::unique_ptr<EmbedTokenCounter> counter;
  if (model.embedder) {
    if (auto st = precheck_factory(*db, o.vector_index, model.embedder->dim()); !st)
      return refuse(refusal, Kind::kUsage, make_error("--vector-index " + st.error().message));
    // Chosen before indexing so every chunk fits the model it is embedded with.
    counter = std::make_unique<EmbedTokenCounter>(*model.embedder);
    opt.counter = counter.get();
    opt.chunk = chunk_options_for(*model.embedder);
  }
  index::IndexCallbacks icb{cb.on_progress, cb.on_failure, cb.on_skip};
  auto sum = index::index_sources(*db, opt, icb);
  if (cb.on_embed_start) cb.on_embed_start();
  if (!sum.ok()) return refuse(refusal, Kind::kLibrary, sum.error());

  RunReport report;
  report.summary = std::move(*sum);
  report.embedded = model.embedder != nullptr;
  report.model_name = model.id.name;
  report.no_model_reason = model.none_reason;
  if (!model.embedder) {
    if (model.problem) {
      report.vector_error = model.none_reason;
      report.model_problem = true;
      record_vector_failure(*db, report);
    }
    return report;
  }
  index::VectorSyncOptions vo;
  vo.reembed = o.reembed;
  vo.factory = o.vector_index;
  vo.progress = [&](int64_t done, int64_t total) {
    if (cb.on_embed_progress) cb.on_embed_progress(done, total);
  };
  auto r = index::sync_vectors(*db, paths.vectors, *model.embedder, model.id, vo);
  if (!r.ok()) {
    report.vector_error = r.error().message;
    record_vector_failure(*db, report);
    return report;
  }
  report.vectors = *r;
  return report;
}

}  // namespace trove::answer
