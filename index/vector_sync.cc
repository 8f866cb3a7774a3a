// index/vector_sync.cc — the embedding pass and the generation check (vector_sync.h).
#include "index/vector_sync.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/log.h"
#include "core/parse_int.h"
#include "index/vector_factory.h"

namespace trove::index {
namespace {

constexpr int64_t kPageRows = 256;  // chunks read per query while embedding

Result<std::optional<std::string>> get_meta(Db& db, const char* key) {
  auto st = db.prepare("SELECT value FROM meta WHERE key = ?1");
  if (!st.ok()) return st.error();
  st->bind(1, key);
  auto row = st->step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(st->column_text(0));
}

Status set_meta(Db& db, const char* key, const std::string& value) {
  auto st = db.prepare(
      "INSERT INTO meta(key, value) VALUES(?1, ?2)"
      " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!st.ok()) return st.error();
  st->bind(1, key).bind(2, value);
  return st->run();
}

// Called inside a transaction that changed chunk_vectors.
Status bump_generation(Db& db) {
  return set_meta(db, "vector_generation", std::to_string(vector_generation(db) + 1));
}

Status record_model(Db& db, const EmbeddingModelId& m) {
  TROVE_TRY(set_meta(db, "embed_model_name", m.name));
  TROVE_TRY(set_meta(db, "embed_model_path", m.path));
  TROVE_TRY(set_meta(db, "embed_model_sha256", m.sha256));
  TROVE_TRY(set_meta(db, "embed_model_arch", m.arch));
  TROVE_TRY(set_meta(db, "embed_model_dim", std::to_string(m.dim)));
  TROVE_TRY(set_meta(db, "embed_model_family", m.family));
  TROVE_TRY(set_meta(db, "embed_query_prefix", m.query_prefix));
  return set_meta(db, "embed_document_prefix", m.document_prefix);
}

// A new store for `factory` holding every vector of `table`, trained on all of them
// when the factory needs training.
Result<VectorStore> rebuild_from_table(Db& db, const std::string& table, int dim,
                                       const std::string& factory) {
  auto store = VectorStore::create(dim, factory);
  if (!store.ok()) return store.error();
  auto st = db.prepare("SELECT chunk_id, vec FROM " + table + " ORDER BY chunk_id");
  if (!st.ok()) return st.error();
  std::vector<int64_t> ids;
  std::vector<float> vecs;
  const size_t bytes = static_cast<size_t>(dim) * sizeof(float);
  for (;;) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    auto [p, n] = st->column_blob(1);
    if (n != bytes) {
      return make_error("chunk " + std::to_string(st->column_int(0)) + " has a " +
                        std::to_string(n) + "-byte vector, expected " + std::to_string(bytes) +
                        ": run trove index --reembed");
    }
    ids.push_back(st->column_int(0));
    size_t at = vecs.size();
    vecs.resize(at + dim);
    std::memcpy(&vecs[at], p, bytes);
  }
  TROVE_TRY(store->add(ids, vecs));
  return store;
}

Result<VectorStore> rebuild_from_db(Db& db, int dim, const std::string& factory) {
  return rebuild_from_table(db, "chunk_vectors", dim, factory);
}

std::string factory_of(Db& db, const std::string& fallback) {
  auto f = get_meta(db, "vector_factory");
  return f.ok() && f->has_value() ? **f : fallback;
}

}  // namespace

std::string embedding_text(const std::string& title, const std::string& heading,
                           const std::string& text) {
  std::string head = title;
  if (!heading.empty() && heading != title) head += head.empty() ? heading : " — " + heading;
  return head.empty() ? text : head + "\n" + text;
}

int64_t vector_generation(Db& db) {
  auto v = get_meta(db, "vector_generation");
  if (!v.ok() || !v->has_value()) return 0;
  return std::strtoll((*v)->c_str(), nullptr, 10);
}

Result<std::optional<EmbeddingModelId>> stored_embedding_model(Db& db) {
  auto sha = get_meta(db, "embed_model_sha256");
  if (!sha.ok()) return sha.error();
  if (!sha->has_value()) return std::optional<EmbeddingModelId>();
  EmbeddingModelId m;
  m.sha256 = **sha;
  auto text = [&](const char* k) {
    auto v = get_meta(db, k);
    return v.ok() && v->has_value() ? **v : std::string();
  };
  m.name = text("embed_model_name");
  m.path = text("embed_model_path");
  m.arch = text("embed_model_arch");
  m.dim = parse_int(text("embed_model_dim")).value_or(0);
  m.family = text("embed_model_family");
  m.query_prefix = text("embed_query_prefix");
  m.document_prefix = text("embed_document_prefix");
  return std::optional<EmbeddingModelId>(m);
}

EmbeddingModelId identity_of(const Embedder& e, std::string name, std::string path,
                             std::string sha256) {
  EmbeddingModelId m;
  m.name = std::move(name);
  m.path = std::move(path);
  m.sha256 = std::move(sha256);
  m.arch = e.arch();
  m.dim = e.dim();
  m.family = e.family();
  m.query_prefix = e.query_prefix();
  m.document_prefix = e.document_prefix();
  return m;
}

Result<VectorStore> load_vectors(Db& db, const std::string& faiss_path, int dim, bool* repaired) {
  *repaired = false;
  const int64_t want = vector_generation(db);
  if (std::filesystem::exists(faiss_path)) {
    auto store = VectorStore::load(faiss_path);
    if (store.ok() && store->generation() == static_cast<uint64_t>(want) && store->dim() == dim)
      return store;
    log_warn(store.ok() ? faiss_path + " is at vector generation " +
                              std::to_string(store->generation()) + ", the database at " +
                              std::to_string(want) + ": rebuilding it from stored embeddings"
                        : store.error().message + ": rebuilding it from stored embeddings");
  } else if (want > 0) {
    log_warn(faiss_path + " is missing: rebuilding it from stored embeddings");
  }
  *repaired = want > 0;
  return rebuild_from_db(db, dim, factory_of(db, "Flat"));
}

namespace {

Status delete_meta(Db& db, const char* key) {
  auto st = db.prepare("DELETE FROM meta WHERE key = ?1");
  if (!st.ok()) return st.error();
  st->bind(1, key);
  return st->run();
}

Result<std::vector<int64_t>> pending_delete_ids(Db& db);

Result<int64_t> apply_pending_deletes(Db& db, VectorStore& store) {
  auto ids = pending_delete_ids(db);
  if (!ids.ok()) return ids.error();
  if (ids->empty()) return int64_t{0};
  TROVE_TRY(store.remove(*ids));
  auto tx = Transaction::begin(db);
  if (!tx.ok()) return tx.error();
  TROVE_TRY(db.exec("DELETE FROM pending_vector_deletes"));
  TROVE_TRY(bump_generation(db));
  TROVE_TRY(tx->commit());
  return static_cast<int64_t>(ids->size());
}

Result<std::vector<int64_t>> pending_delete_ids(Db& db) {
  std::vector<int64_t> ids;
  auto st = db.prepare("SELECT chunk_id FROM pending_vector_deletes");
  if (!st.ok()) return st.error();
  for (;;) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) return ids;
    ids.push_back(st->column_int(0));
  }
}

struct PendingChunk {
  int64_t id;
  std::string text;
};

// Chunks without a row in `table` (chunk_vectors, or chunk_vectors_next while
// re-embedding), in id order after `after`.
Result<std::vector<PendingChunk>> next_unembedded(Db& db, const std::string& table, int64_t after) {
  auto st = db.prepare(
      "SELECT c.id, coalesce(d.title, ''), coalesce(c.heading, ''), c.text FROM chunks c"
      " JOIN documents d ON d.id = c.document_id"
      " LEFT JOIN " + table + " v ON v.chunk_id = c.id"
      " WHERE v.chunk_id IS NULL AND c.id > ?1 ORDER BY c.id LIMIT ?2");
  if (!st.ok()) return st.error();
  st->bind(1, after).bind(2, kPageRows);
  std::vector<PendingChunk> out;
  for (;;) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back({st->column_int(0),
                   embedding_text(st->column_text(1), st->column_text(2), st->column_text(3))});
  }
  return out;
}

// Stores one batch in `table`. Live vectors (chunk_vectors) bump the generation and
// go into `live` (when it can take them incrementally); staged ones do neither.
Status store_batch(Db& db, const std::string& table, VectorStore* live,
                   const std::vector<int64_t>& ids, const std::vector<std::vector<float>>& vecs,
                   int dim) {
  std::vector<float> flat;
  flat.reserve(ids.size() * dim);
  auto tx = Transaction::begin(db);
  if (!tx.ok()) return tx.error();
  auto ins = db.prepare("INSERT OR REPLACE INTO " + table + "(chunk_id, vec) VALUES(?1, ?2)");
  if (!ins.ok()) return ins.error();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (static_cast<int>(vecs[i].size()) != dim)
      return make_error("embedder returned a vector of the wrong size");
    ins->bind(1, ids[i]).bind_blob(2, vecs[i].data(), vecs[i].size() * sizeof(float));
    TROVE_TRY(ins->run());
    flat.insert(flat.end(), vecs[i].begin(), vecs[i].end());
  }
  if (table == "chunk_vectors") TROVE_TRY(bump_generation(db));
  TROVE_TRY(tx->commit());
  return live ? live->add(ids, flat) : Status{};
}

// A NaN or infinite component would poison every search that touches it: such a
// vector is an error naming the model, never stored (issue 15, fault 4).
Status check_finite(const std::vector<int64_t>& ids, const std::vector<std::vector<float>>& vecs,
                    const std::string& model_path) {
  for (size_t i = 0; i < vecs.size(); ++i) {
    if (!std::all_of(vecs[i].begin(), vecs[i].end(), [](float x) { return std::isfinite(x); })) {
      return make_error(model_path +
                        ": the embedding model produced a non-finite value (NaN or infinity) "
                        "for passage " +
                        std::to_string(ids[i]) +
                        "; the model file is damaged or its parameters are wrong");
    }
  }
  return {};
}

// Embeds every chunk that has no row in `table`.
Result<int64_t> embed_missing(Db& db, const std::string& table, VectorStore* live,
                              Embedder& embedder, const EmbeddingModelId& model,
                              const VectorSyncOptions& opts) {
  const int dim = model.dim;
  auto total = query_int(db, "SELECT count(*) FROM chunks c LEFT JOIN " + table +
                                 " v ON v.chunk_id = c.id WHERE v.chunk_id IS NULL");
  if (!total.ok()) return total.error();
  int64_t done = 0, after = 0;
  for (;;) {
    auto page = next_unembedded(db, table, after);
    if (!page.ok()) return page.error();
    if (page->empty()) break;
    for (size_t at = 0; at < page->size(); at += opts.batch_texts) {
      size_t end = std::min(page->size(), at + static_cast<size_t>(opts.batch_texts));
      std::vector<int64_t> ids;
      std::vector<std::string> texts;
      for (size_t i = at; i < end; ++i) {
        ids.push_back((*page)[i].id);
        texts.push_back((*page)[i].text);
      }
      auto vecs = embedder.embed_documents(texts);
      TROVE_TRY(check_finite(ids, vecs, model.path));
      TROVE_TRY(store_batch(db, table, live, ids, vecs, dim));
      done += static_cast<int64_t>(ids.size());
      if (opts.progress) opts.progress(done, *total);
    }
    after = page->back().id;
  }
  return done;
}

// The staged vectors become the library's, with the new model and factory, in one
// transaction: readers see the old set or the new one, never a mix.
Status swap_in_staged(Db& db, const EmbeddingModelId& model, const std::string& factory) {
  auto tx = Transaction::begin(db);
  if (!tx.ok()) return tx.error();
  TROVE_TRY(db.exec(
      "DELETE FROM chunk_vectors;"
      " INSERT INTO chunk_vectors(chunk_id, vec) SELECT chunk_id, vec FROM chunk_vectors_next;"
      " DELETE FROM chunk_vectors_next; DELETE FROM pending_vector_deletes;"));
  TROVE_TRY(record_model(db, model));
  TROVE_TRY(set_meta(db, "vector_factory", factory));
  TROVE_TRY(delete_meta(db, "reembed_sha256"));
  TROVE_TRY(bump_generation(db));
  return tx->commit();
}

// Starts (or resumes, same model) a re-embedding into chunk_vectors_next.
Status begin_staging(Db& db, const EmbeddingModelId& model) {
  auto prev = get_meta(db, "reembed_sha256");
  if (!prev.ok()) return prev.error();
  if (prev->has_value() && **prev == model.sha256) return {};  // resume a killed one
  auto tx = Transaction::begin(db);
  if (!tx.ok()) return tx.error();
  TROVE_TRY(db.exec("DELETE FROM chunk_vectors_next"));
  TROVE_TRY(set_meta(db, "reembed_sha256", model.sha256));
  return tx->commit();
}

// Builds the store for `factory` from chunk_vectors beside the current one, clears
// the delete queue and records the factory; nothing is changed when the build fails.
Result<VectorStore> rebuild_and_record(Db& db, int dim, const std::string& factory) {
  auto store = rebuild_from_db(db, dim, factory);
  if (!store.ok()) return store.error();
  auto tx = Transaction::begin(db);
  if (!tx.ok()) return tx.error();
  TROVE_TRY(db.exec("DELETE FROM pending_vector_deletes"));
  TROVE_TRY(set_meta(db, "vector_factory", factory));
  TROVE_TRY(bump_generation(db));
  TROVE_TRY(tx->commit());
  return store;
}

}  // namespace

Result<VectorSyncStats> sync_vectors(Db& db, const std::string& faiss_path, Embedder& embedder,
                                     const EmbeddingModelId& model, const VectorSyncOptions& opts) {
  auto t0 = std::chrono::steady_clock::now();
  VectorSyncStats stats;
  auto stored = stored_embedding_model(db);
  if (!stored.ok()) return stored.error();
  if (stored->has_value() && !(*stored)->same_model(model) && !opts.reembed) {
    const auto& s = **stored;
    return make_error("the library's vectors were made with " + s.name + " (" + s.arch + ", " +
                      std::to_string(s.dim) + " dims, sha256 " + s.sha256.substr(0, 12) +
                      "); the embedding model now is " + model.name + " (" + model.arch + ", " +
                      std::to_string(model.dim) + " dims, sha256 " + model.sha256.substr(0, 12) +
                      "): run trove index --reembed to re-embed every chunk with it");
  }
  const std::string current_factory = factory_of(db, "Flat");
  const std::string factory = opts.factory.empty() ? current_factory : opts.factory;
  auto chunks = query_int(db, "SELECT count(*) FROM chunks");
  if (!chunks.ok()) return chunks.error();
  // Before anything is written: a factory that cannot be built is refused here.
  TROVE_TRY(check_vector_factory(factory, model.dim, *chunks));

  if (!stored->has_value()) {
    // First vectors of this library: record the model now so a killed run resumes.
    auto tx = Transaction::begin(db);
    if (!tx.ok()) return tx.error();
    TROVE_TRY(record_model(db, model));
    TROVE_TRY(set_meta(db, "vector_factory", factory));
    TROVE_TRY(tx->commit());
  }

  if (opts.reembed && stored->has_value()) {
    // Beside the live vectors, which keep serving search until the swap.
    TROVE_TRY(begin_staging(db, model));
    auto n = embed_missing(db, "chunk_vectors_next", nullptr, embedder, model, opts);
    if (!n.ok()) return n.error();
    stats.embedded = *n;
    auto removed = pending_delete_ids(db);
    if (!removed.ok()) return removed.error();
    stats.removed = static_cast<int64_t>(removed->size());
    // Build the new FAISS index in memory first: if it cannot be built, the old
    // vectors, model and index stay as they were.
    auto store = rebuild_from_table(db, "chunk_vectors_next", model.dim, factory);
    if (!store.ok()) return store.error();
    TROVE_TRY(swap_in_staged(db, model, factory));
    TROVE_TRY(store->save(faiss_path, static_cast<uint64_t>(vector_generation(db))));
    stats.reembedded = true;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats;
  }

  // Incremental: possible when the factory is unchanged, needs no training and
  // supports removal (Flat); otherwise the index is rebuilt from chunk_vectors after
  // embedding, beside the current file, and swapped in by the atomic save.
  const bool incremental = factory == current_factory &&
                           !factory_needs_training(factory, model.dim) &&
                           factory_supports_removal(factory, model.dim);
  std::optional<VectorStore> live;
  if (incremental) {
    auto store = load_vectors(db, faiss_path, model.dim, &stats.rebuilt);
    if (!store.ok()) return store.error();
    live.emplace(std::move(*store));
    auto removed = apply_pending_deletes(db, *live);
    if (!removed.ok()) return removed.error();
    stats.removed = *removed;
  } else {
    auto removed = pending_delete_ids(db);
    if (!removed.ok()) return removed.error();
    stats.removed = static_cast<int64_t>(removed->size());
  }
  auto n = embed_missing(db, "chunk_vectors", live ? &*live : nullptr, embedder, model, opts);
  if (!n.ok()) return n.error();
  stats.embedded = *n;

  if (live) {
    if (stats.embedded > 0 || stats.removed > 0 || stats.rebuilt ||
        !std::filesystem::exists(faiss_path)) {
      TROVE_TRY(live->save(faiss_path, static_cast<uint64_t>(vector_generation(db))));
    }
  } else {
    bool repaired = false;
    // Nothing changed and the file is current: keep it.
    bool current = false;
    if (stats.embedded == 0 && stats.removed == 0 && factory == current_factory) {
      auto loaded = load_vectors(db, faiss_path, model.dim, &repaired);
      current = loaded.ok() && !repaired;
    }
    if (!current) {
      auto store = rebuild_and_record(db, model.dim, factory);
      if (!store.ok()) return store.error();
      TROVE_TRY(store->save(faiss_path, static_cast<uint64_t>(vector_generation(db))));
      stats.rebuilt = true;
    }
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return stats;
}

}  // namespace trove::index
