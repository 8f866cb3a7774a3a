// answer/update.cc — see update.h.
#include "answer/update.h"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "core/sha256.h"
#include "embed/embedder.h"
#include "index/lock_file.h"
#include "index/model_registry.h"
#include "ingest/token_counter.h"

namespace trove::answer {
namespace {

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

}  // namespace

Result<RunReport> update_library(const index::LibraryPaths& paths, const UpdateOptions& o,
                                 const UpdateCallbacks& cb) {
  auto db = index::open_library(paths);
  if (!db.ok()) return db.error();
  auto lock = index::LockFile::acquire(
      paths.lock, o.wait_for_lock ? index::LockWait::kWait : index::LockWait::kFailFast);
  if (!lock.ok()) return lock.error();

  auto model = open_embed_model(o.embed_model, paths.home);
  if (!model.ok()) return model.error();
  std::unique_ptr<EmbedTokenCounter> counter;
  index::IndexOptions opt;
  opt.paths = o.paths;
  opt.max_file_size = o.max_file_size;
  opt.follow = o.follow;
  if (model->embedder) {
    // Chosen before indexing so every chunk fits the model it is embedded with.
    counter = std::make_unique<EmbedTokenCounter>(*model->embedder);
    opt.counter = counter.get();
    opt.chunk = chunk_options_for(*model->embedder);
  }
  index::IndexCallbacks icb{cb.on_progress, cb.on_failure};
  auto sum = index::index_sources(*db, opt, icb);
  if (cb.on_embed_start) cb.on_embed_start();
  if (!sum.ok()) return sum.error();

  RunReport report;
  report.summary = std::move(*sum);
  report.embedded = model->embedder != nullptr;
  report.model_name = model->id.name;
  report.no_model_reason = model->none_reason;
  if (!model->embedder) return report;
  index::VectorSyncOptions vo;
  vo.reembed = o.reembed;
  vo.factory = o.vector_index;
  vo.progress = [&](int64_t done, int64_t total) {
    if (cb.on_embed_progress) cb.on_embed_progress(done, total);
  };
  auto r = index::sync_vectors(*db, paths.vectors, *model->embedder, model->id, vo);
  if (!r.ok()) {
    report.vector_error = r.error().message;
    return report;
  }
  report.vectors = *r;
  return report;
}

}  // namespace trove::answer
