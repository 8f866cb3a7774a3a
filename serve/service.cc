// serve/service.cc — see service.h.
#include "serve/service.h"

#include "index/library.h"
#include "index/library_edit.h"
#include "index/library_status.h"
#include "index/lock_file.h"
#include "index/vector_sync.h"

namespace trove::serve {
namespace {

constexpr const char* kEmpty = "the library is empty: run trove index PATH (or POST /api/index)";

// Passages of one document by ordinal, as hits.
Result<json> hits_by_ids(index::Db& db, index::Stmt& s) {
  std::vector<int64_t> ids;
  for (;;) {
    auto row = s.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    ids.push_back(s.column_int(0));
  }
  json out = json::array();
  for (int64_t id : ids) {
    auto h = index::load_chunk(db, id);
    if (!h.ok()) return h.error();
    if (*h) out.push_back(hit_json(**h, Snippet::kNone));
  }
  return out;
}

}  // namespace

Service::Service(index::LibraryPaths paths, ServiceOptions options)
    : paths_(std::move(paths)), options_(std::move(options)) {}

Result<index::Db*> Service::db_locked() {
  if (db_) return &*db_;
  if (!index::library_exists(paths_)) return make_error(kEmpty);
  auto db = index::open_library_read_only(paths_);
  if (!db.ok()) return db.error();
  db_ = std::move(*db);
  return &*db_;
}

Result<std::shared_ptr<const answer::Searcher>> Service::searcher(const std::string& mode_in) {
  const std::string mode = mode_in.empty() ? options_.mode : mode_in;
  int64_t gen = 0;
  {
    std::lock_guard<std::mutex> lock(db_mu_);
    auto db = db_locked();
    if (!db.ok()) return db.error();
    gen = index::vector_generation(**db);
  }
  std::lock_guard<std::mutex> lock(search_mu_);
  // New vectors (an index run here or from cron): the in-memory FAISS copy is stale.
  if (gen != generation_) {
    searchers_.clear();
    generation_ = gen;
  }
  auto it = searchers_.find(mode);
  if (it != searchers_.end()) return it->second;
  auto s = answer::open_search(paths_, {mode, std::nullopt});
  if (!s.ok()) return s.error();
  std::shared_ptr<const answer::Searcher> shared = std::move(*s);
  searchers_[mode] = shared;
  return shared;
}

Outcome Service::check_query(const std::string& q, int k) const {
  if (q.find_first_not_of(" \t\r\n") == std::string::npos)
    return Outcome::error(400, "the query is empty");
  if (q.size() > options_.max_query_bytes) {
    return Outcome::error(400, "the query is too long (" + std::to_string(q.size()) +
                                   " bytes; at most " + std::to_string(options_.max_query_bytes) +
                                   ")");
  }
  if (k < 1 || k > options_.max_k)
    return Outcome::error(400, "k must be between 1 and " + std::to_string(options_.max_k));
  return {};
}

Outcome Service::search(const SearchRequest& r) {
  if (Outcome bad = check_query(r.query, r.k); !bad.ok()) return bad;
  if (!index::library_exists(paths_))
    return {200, json{{"query", r.query}, {"mode", nullptr}, {"note", kEmpty}, {"results", json::array()}}};
  auto s = searcher(r.mode);
  if (!s.ok()) return Outcome::error(400, s.error().message);
  auto hits = (*s)->search(r.query, r.k, r.filters);
  if (!hits.ok()) return Outcome::error(500, hits.error().message);
  json results = json::array();
  for (const auto& h : *hits) results.push_back(hit_json(h, Snippet::kWithSpans));
  json body = {{"query", r.query},
               {"mode", index::search_mode_name((*s)->mode())},
               {"results", std::move(results)}};
  body["note"] = (*s)->note().empty() ? json(nullptr) : json((*s)->note());
  return {200, std::move(body)};
}

Outcome Service::passage(int64_t chunk_id, int neighbours) {
  if (neighbours < 0 || neighbours > 20)
    return Outcome::error(400, "neighbours must be between 0 and 20");
  std::lock_guard<std::mutex> lock(db_mu_);
  auto db = db_locked();
  if (!db.ok()) return Outcome::error(404, db.error().message);
  auto hit = index::load_chunk(**db, chunk_id);
  if (!hit.ok()) return Outcome::error(500, hit.error().message);
  if (!*hit) {
    return Outcome::error(404, "no passage with chunk_id " + std::to_string(chunk_id) +
                                   " (ids come from search results)");
  }
  auto s = (*db)->prepare(
      "SELECT n.id, n.ordinal < c.ordinal FROM chunks c JOIN chunks n ON n.document_id = "
      "c.document_id WHERE c.id = ?1 AND n.id <> c.id AND n.ordinal BETWEEN c.ordinal - ?2 AND "
      "c.ordinal + ?2 ORDER BY n.ordinal");
  if (!s.ok()) return Outcome::error(500, s.error().message);
  s->bind(1, chunk_id).bind(2, neighbours);
  json before = json::array(), after = json::array();
  for (;;) {
    auto row = s->step();
    if (!row.ok()) return Outcome::error(500, row.error().message);
    if (!*row) break;
    auto n = index::load_chunk(**db, s->column_int(0));
    if (!n.ok()) return Outcome::error(500, n.error().message);
    if (*n) (s->column_int(1) ? before : after).push_back(hit_json(**n, Snippet::kNone));
  }
  return {200, json{{"passage", hit_json(**hit, Snippet::kNone)}, {"before", before}, {"after", after}}};
}

Outcome Service::document(const std::string& path, int64_t doc_id, int page) {
  std::lock_guard<std::mutex> lock(db_mu_);
  auto db = db_locked();
  if (!db.ok()) return Outcome::error(404, db.error().message);
  // Only what the index holds: a path is looked up, never opened, so "../" and
  // friends can only ever miss.
  auto d = (*db)->prepare(
      "SELECT id, path, rel_path, title, type, page_count FROM documents "
      "WHERE status = 'ok' AND (path = ?1 OR id = ?2)");
  if (!d.ok()) return Outcome::error(500, d.error().message);
  d->bind(1, path).bind(2, path.empty() ? doc_id : int64_t{-1});
  auto row = d->step();
  if (!row.ok()) return Outcome::error(500, row.error().message);
  if (!*row) return Outcome::error(404, "no indexed document " + (path.empty() ? "#" + std::to_string(doc_id) : path));
  const int64_t id = d->column_int(0);
  json body = {{"id", id},
               {"path", d->column_text(1)},
               {"rel_path", d->column_text(2)},
               {"title", d->column_text(3)},
               {"type", d->column_text(4)},
               {"page_count", d->column_int(5)}};
  auto c = (*db)->prepare(
      "SELECT id FROM chunks WHERE document_id = ?1 AND (?2 = 0 OR (page_start <= ?2 AND "
      "max(page_end, page_start) >= ?2)) ORDER BY ordinal LIMIT 5000");
  if (!c.ok()) return Outcome::error(500, c.error().message);
  c->bind(1, id).bind(2, page);
  auto hits = hits_by_ids(**db, *c);
  if (!hits.ok()) return Outcome::error(500, hits.error().message);
  if (page > 0 && hits->empty())
    return Outcome::error(404, "document " + d->column_text(1) + " has no page " + std::to_string(page));
  body["passages"] = std::move(*hits);
  return {200, std::move(body)};
}

Outcome Service::documents(int64_t after_id, int limit) {
  std::lock_guard<std::mutex> lock(db_mu_);
  auto db = db_locked();
  if (!db.ok()) return {200, json{{"documents", json::array()}}};
  auto s = (*db)->prepare(
      "SELECT id, path, rel_path, title, type FROM documents WHERE status = 'ok' AND id > ?1 "
      "ORDER BY id LIMIT ?2");
  if (!s.ok()) return Outcome::error(500, s.error().message);
  s->bind(1, after_id).bind(2, limit);
  json docs = json::array();
  for (;;) {
    auto row = s->step();
    if (!row.ok()) return Outcome::error(500, row.error().message);
    if (!*row) break;
    docs.push_back({{"id", s->column_int(0)},
                    {"path", s->column_text(1)},
                    {"rel_path", s->column_text(2)},
                    {"title", s->column_text(3)},
                    {"type", s->column_text(4)}});
  }
  return {200, json{{"documents", std::move(docs)}}};
}

Outcome Service::status() {
  const std::string llm = answer::resolve_answer_model(paths_, options_.answer_model);
  json models = {{"answer", llm.empty() ? json(nullptr) : json(llm)}, {"embed", nullptr}};
  std::lock_guard<std::mutex> lock(db_mu_);
  auto db = db_locked();
  if (!db.ok()) {
    return {200, json{{"home", paths_.home}, {"documents", 0}, {"chunks", 0}, {"failed", 0},
                      {"last_run", nullptr}, {"note", db.error().message},
                      {"indexing", indexing()}, {"models", std::move(models)}}};
  }
  auto st = index::library_status(**db);
  if (!st.ok()) return Outcome::error(500, st.error().message);
  index::mark_interrupted_if_no_writer(*st, indexing() || index::lock_is_held(paths_.lock));
  // `trove status --json`'s object (serve/json_schema.h), and what only a server knows.
  const answer::EmbedStatus e = answer::embed_status(**db, paths_);
  json body = status_json(paths_.home, *st, &e);
  body["indexing"] = indexing();
  if (e.model) models["embed"] = e.model->name;
  body["models"] = std::move(models);
  return {200, std::move(body)};
}

bool Service::answer_model_configured() const {
  return !answer::resolve_answer_model(paths_, options_.answer_model).empty();
}

Result<std::shared_ptr<answer::AnswerModel>> Service::answer_model() {
  std::lock_guard<std::mutex> lock(model_mu_);
  if (model_) return model_;
  const std::string path = answer::resolve_answer_model(paths_, options_.answer_model);
  if (path.empty()) return std::shared_ptr<answer::AnswerModel>();
  auto m = answer::AnswerModel::open(path);
  if (!m.ok()) return m.error();
  model_ = *m;
  return model_;
}

Outcome Service::ask(const AskRequest& r, const answer::TextSink& on_text,
                     const answer::RetrievedSink& on_retrieved, const SentenceSink& on_sentence) {
  if (Outcome bad = check_query(r.question, r.k); !bad.ok()) return bad;
  if (!index::library_exists(paths_)) return Outcome::error(404, kEmpty);
  auto s = searcher(r.mode);
  if (!s.ok()) return Outcome::error(400, s.error().message);
  answer::AnswerOptions o;
  o.k = r.k;
  o.filters = r.filters;
  o.no_llm = r.no_llm;
  o.max_tokens = r.max_tokens;
  o.threads = options_.threads;
  o.searcher = s->get();
  o.max_waiting = options_.max_waiting_answers;
  o.strict = r.strict;
  o.generator = options_.generator;
  if (on_sentence)
    o.on_sentence = [&](const answer::SentenceCheck& c, bool kept, bool) { on_sentence(c, kept); };
  if (!r.no_llm) {
    auto m = answer_model();
    if (!m.ok()) return Outcome::error(500, m.error().message);
    o.model_handle = *m;
    o.no_llm = *m == nullptr;
  }
  auto a = answer::answer(paths_, r.question, o, on_text, on_retrieved);
  if (!a.ok()) {
    const bool busy = a.error().message.find("busy") != std::string::npos;
    return Outcome::error(busy ? 503 : 500, a.error().message);
  }
  return {200, answer_json(*a)};
}

Outcome Service::index(const answer::UpdateOptions& o, const answer::UpdateCallbacks& cb) {
  bool expected = false;
  if (!indexing_.compare_exchange_strong(expected, true))
    return Outcome::error(409, "an index run is already in progress");
  auto r = answer::update_library(paths_, o, cb);
  indexing_ = false;
  if (!r.ok()) return Outcome::error(500, r.error().message);
  return {200, run_report_json(*r)};
}

}  // namespace trove::serve
