// serve/service.h — what both servers offer, over answer/'s calls, with their limits.
//
//   serve::Service svc(paths, {});
//   serve::Outcome r = svc.search({.query = "vpn keys", .k = 10});
//   // r.status 200 and r.body {"query", "mode", "note", "results": [hit, …]}, or
//   // r.status 4xx/5xx and r.body {"error": "what went wrong and what to do"}
//
// One Service lives for the whole process and is shared by every request thread:
// the searcher (and its embedding model) is opened once and reopened only when the
// library's vectors change (a `trove index` here or from cron); the answer model is
// loaded once, on the first question, and answers take turns at it (see
// answer/answer_model.h); one index run at a time. Every method is thread-safe.
// Outcome statuses follow HTTP, so the HTTP server passes them through and the MCP
// server turns anything but 200 into a tool error with the same text.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "answer/answer.h"
#include "answer/search.h"
#include "answer/update.h"
#include "index/library.h"
#include "index/sqlite.h"
#include "serve/json_schema.h"

namespace trove::serve {

struct Outcome {
  int status = 200;
  json body;
  bool ok() const { return status == 200; }
  static Outcome error(int status, const std::string& message) {
    return {status, json{{"error", message}}};
  }
};

struct ServiceOptions {
  std::string mode;          // default search mode ("" = best available)
  std::string answer_model;  // registry name or .gguf path; "" = the registry default
  int max_k = 100;
  size_t max_query_bytes = 2000;
  int max_waiting_answers = 4;  // questions queued behind the one being answered
  int threads = 0;              // generation threads (0: default)
};

struct SearchRequest {
  std::string query;
  int k = 10;
  std::string mode;  // "" = the service default
  index::SearchFilters filters;
};

struct AskRequest {
  std::string question;
  int k = 8;
  std::string mode;
  index::SearchFilters filters;
  bool no_llm = false;
  int max_tokens = 512;
};

class Service {
 public:
  Service(index::LibraryPaths paths, ServiceOptions options);
  const index::LibraryPaths& paths() const { return paths_; }
  const ServiceOptions& options() const { return options_; }

  Outcome search(const SearchRequest& r);
  // One passage with up to `neighbours` passages before and after it in its document.
  Outcome passage(int64_t chunk_id, int neighbours);
  // An indexed document (exact absolute path as indexed, or its id) and its passages,
  // only those touching `page` when page > 0. Anything not indexed is 404.
  Outcome document(const std::string& path, int64_t doc_id, int page);
  // Indexed documents, by id, for MCP resources/list (paged).
  Outcome documents(int64_t after_id, int limit);
  Outcome status();

  // True when an answer model is configured (ask then generates; else extractive).
  bool answer_model_configured() const;
  Outcome ask(const AskRequest& r, const answer::TextSink& on_text,
              const answer::RetrievedSink& on_retrieved);

  // One index run at a time: a second is refused with 409 while one runs.
  Outcome index(const answer::UpdateOptions& o, const answer::UpdateCallbacks& cb);
  bool indexing() const { return indexing_.load(); }

 private:
  Result<std::shared_ptr<const answer::Searcher>> searcher(const std::string& mode);
  Result<std::shared_ptr<answer::AnswerModel>> answer_model();
  Outcome check_query(const std::string& q, int k) const;
  // The read connection for lookups (opened when the library exists).
  Result<index::Db*> db_locked();

  index::LibraryPaths paths_;
  ServiceOptions options_;

  std::mutex search_mu_;  // guards searchers_ and generation_
  std::map<std::string, std::shared_ptr<const answer::Searcher>> searchers_;
  int64_t generation_ = -1;

  std::mutex model_mu_;
  std::shared_ptr<answer::AnswerModel> model_;

  std::mutex db_mu_;  // guards db_ (one connection; lookups take well under a ms)
  std::optional<index::Db> db_;

  std::atomic<bool> indexing_{false};
};

}  // namespace trove::serve
