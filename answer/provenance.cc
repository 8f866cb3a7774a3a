// answer/provenance.cc — see provenance.h.
#include "answer/provenance.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/sha256.h"
#include "generate/sampler.h"
#include "index/library.h"
#include "index/library_edit.h"
#include "index/model_registry.h"
#include "index/sqlite.h"
#include "index/vector_sync.h"

namespace trove::answer {
namespace {

using nlohmann::json;

// The log never stops an answer: text that is not UTF-8 is replaced, not thrown.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string new_id(const std::string& time, const std::string& what) {
  static std::atomic<uint64_t> counter{0};
  return sha256_hex(time + "\n" + std::to_string(::getpid()) + "\n" + std::to_string(counter++) + "\n" + what)
      .substr(0, 12);
}

// A registered model's recorded hash (the registry re-checks it on use), else the file's.
std::string model_file_sha256(const index::LibraryPaths& paths, const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return "";
  if (auto reg = index::ModelRegistry::open(paths.home); reg.ok()) {
    for (const auto& e : reg->entries()) {
      if (std::filesystem::equivalent(e.path, path, ec) && e.size == size && !e.sha256.empty()) return e.sha256;
    }
  }
  auto h = sha256_file(path);
  return h.ok() ? *h : "";
}

json embedding_model_json(const index::LibraryPaths& paths) {
  auto db = index::open_library_read_only(paths);
  if (!db.ok()) return nullptr;
  auto id = index::stored_embedding_model(*db);
  if (!id.ok() || !*id) return nullptr;
  return {{"name", (*id)->name}, {"path", (*id)->path}, {"sha256", (*id)->sha256}};
}

json chunks_json(const std::vector<index::SearchHit>& hits, const std::vector<std::string>& sha) {
  json out = json::array();
  for (size_t i = 0; i < hits.size(); ++i) {
    const auto& h = hits[i];
    out.push_back({{"n", i + 1},
                   {"chunk_id", h.chunk_id},
                   {"path", h.path},
                   {"line_start", h.line_start},
                   {"line_end", h.line_end},
                   {"page_start", h.page_start},
                   {"page_end", h.page_end},
                   {"sha256", i < sha.size() ? sha[i] : sha256_hex(h.text)}});
  }
  return out;
}

json filters_json(const index::SearchFilters& f) {
  return {{"path", f.path_glob}, {"type", f.type}, {"source", f.source}};
}

const char* kind_name_of(AnswerKind k) {
  switch (k) {
    case AnswerKind::kGenerated: return "generated";
    case AnswerKind::kExtractive: return "extractive";
    case AnswerKind::kNotFound: return "not-found";
  }
  return "";
}

// An fd closed on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Status write_all(int fd, std::string_view s, const std::string& path) {
  while (!s.empty()) {
    const ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(path + ": cannot append to the provenance log: " + std::strerror(errno));
    s.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status append_line(const index::LibraryPaths& paths, const std::string& line) {
  const std::string path = provenance_log_path(paths);
  Fd f;
  f.fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (f.fd < 0) return make_error(path + ": cannot open the provenance log: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode))
    return make_error(path + ": the provenance log is not a regular file");
  if ((st.st_mode & 077) != 0) ::fchmod(f.fd, 0600);
  while (::flock(f.fd, LOCK_EX) != 0) {
    if (errno != EINTR) return make_error(path + ": cannot lock the provenance log: " + std::strerror(errno));
  }
  // A record cut short by a crash: start this one on a line of its own.
  std::string out;
  if (::fstat(f.fd, &st) == 0 && st.st_size > 0) {
    char last = '\n';
    Fd r;
    r.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (r.fd >= 0 && ::pread(r.fd, &last, 1, st.st_size - 1) == 1 && last != '\n') out = "\n";
  }
  out += line;
  out += "\n";
  TROVE_TRY(write_all(f.fd, out, path));
  if (::fsync(f.fd) != 0) return make_error(path + ": cannot sync the provenance log: " + std::strerror(errno));
  return {};
}

Result<json> find_record(const index::LibraryPaths& paths, const std::string& id) {
  auto all = read_log(paths, 0);
  if (!all.ok()) return all.error();
  const LogRecord* hit = nullptr;
  for (const auto& r : all->records) {
    if (r.id.rfind(id, 0) != 0) continue;
    if (hit && hit->id != r.id) return make_error("'" + id + "' names more than one record: give more of the id");
    hit = &r;
  }
  if (!hit || id.empty()) return make_error("no record '" + id + "' in the provenance log (see trove log)");
  return json::parse(hit->json);
}

// The chunk as it is now: by id, else (re-indexed under new ids) the chunk of the same
// document nearest the recorded span.
Result<std::optional<index::SearchHit>> current_chunk(index::Db& db, const json& c) {
  auto by_id = index::load_chunk(db, c.value("chunk_id", int64_t{0}));
  if (!by_id.ok() || *by_id) return by_id;
  auto st = db.prepare(
      "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.path = ?1 "
      "ORDER BY abs(c.line_start - ?2) + abs(c.page_start - ?3), c.ordinal LIMIT 1");
  if (!st.ok()) return st.error();
  st->bind(1, c.value("path", std::string())).bind(2, c.value("line_start", int64_t{0}))
      .bind(3, c.value("page_start", int64_t{0}));
  auto row = st->step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<index::SearchHit>();
  return index::load_chunk(db, st->column_int(0));
}

AnswerOptions options_from(const json& r) {
  AnswerOptions o;
  const json& ret = r.value("retrieval", json::object());
  o.k = ret.value("k", 8);
  o.mode = ret.value("mode", std::string());
  // null: the per-query floor. Records from before it hold the old fixed 0.45.
  if (ret.contains("min_similarity") && ret["min_similarity"].is_number())
    o.min_similarity = ret["min_similarity"].get<double>();
  const json& am = r.value("answer_model", json::object());
  o.model = am.is_object() ? am.value("path", std::string()) : std::string();
  const json& s = r.value("sampler", json::object());
  o.temperature = s.value("temperature", 0.0f);
  o.seed = s.value("seed", uint64_t{0});
  o.max_tokens = s.value("max_tokens", 512);
  o.ctx = s.value("ctx", int64_t{0});
  o.strict = r.value("strict", false);
  o.log = false;  // a replay is not a new question
  return o;
}

}  // namespace

std::string provenance_log_path(const index::LibraryPaths& paths) {
  return paths.home + "/provenance.jsonl";
}

Result<std::string> append_ask_record(const index::LibraryPaths& paths, const std::string& question,
                                      const AnswerOptions& o, const Answer& a) {
  const std::string time = utc_now();
  json r;
  r["id"] = new_id(time, question + a.prompt_sha256 + a.generated);
  r["time"] = time;
  r["command"] = "ask";
  r["question"] = question;
  r["retrieval"] = {{"mode", index::search_mode_name(a.mode)}, {"requested_mode", o.mode}, {"k", o.k},
                    {"min_similarity", o.min_similarity ? json(*o.min_similarity) : json(nullptr)}, {"filters", filters_json(o.filters)}};
  r["chunks"] = chunks_json(a.sources, a.source_sha256);
  r["embedding_model"] = embedding_model_json(paths);
  if (!a.model_path.empty()) {
    r["answer_model"] = {{"name", a.model_name}, {"path", a.model_path},
                         {"sha256", model_file_sha256(paths, a.model_path)}};
  } else {
    r["answer_model"] = nullptr;
  }
  const SamplerParams defaults;
  r["sampler"] = {{"temperature", o.temperature}, {"seed", o.seed},     {"top_k", defaults.top_k},
                  {"top_p", defaults.top_p},      {"min_p", defaults.min_p}, {"max_tokens", o.max_tokens},
                  {"ctx", o.ctx}};
  r["strict"] = o.strict;
  r["kind"] = kind_name_of(a.kind);
  r["prompt_sha256"] = a.prompt_sha256;
  r["answer"] = a.text;
  r["generated"] = a.generated;
  json verdicts = json::array();
  for (const auto& s : a.verification.sentences) {
    json v = {{"start", s.start}, {"end", s.end}, {"citations", s.citations},
              {"verdict", std::string(verdict_name(s.verdict))}};
    v["kind"] = s.kind == UnsupportedKind::kNone ? json(nullptr) : json(std::string(kind_name(s.kind)));
    verdicts.push_back(std::move(v));
  }
  r["verdicts"] = std::move(verdicts);
  r["supported"] = a.verification.supported;
  r["total"] = a.verification.total;
  r["abstained"] = a.abstained;
  TROVE_TRY(append_line(paths, dump(r)));
  return r["id"].get<std::string>();
}

Result<std::string> append_search_record(const index::LibraryPaths& paths, const std::string& query,
                                         const std::string& mode, int k, const index::SearchFilters& filters,
                                         const std::vector<index::SearchHit>& hits) {
  const std::string time = utc_now();
  json r;
  r["id"] = new_id(time, query);
  r["time"] = time;
  r["command"] = "search";
  r["question"] = query;
  r["retrieval"] = {{"mode", mode}, {"k", k}, {"filters", filters_json(filters)}};
  r["chunks"] = chunks_json(hits, {});
  r["embedding_model"] = embedding_model_json(paths);
  TROVE_TRY(append_line(paths, dump(r)));
  return r["id"].get<std::string>();
}

Result<LogListing> read_log(const index::LibraryPaths& paths, size_t n) {
  LogListing out;
  const std::string path = provenance_log_path(paths);
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    if (!std::filesystem::exists(path)) return out;
    return make_error(path + ": cannot read the provenance log");
  }
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("id")) {
      ++out.damaged;
      continue;
    }
    LogRecord r;
    r.id = j.value("id", std::string());
    r.time = j.value("time", std::string());
    r.command = j.value("command", std::string());
    r.question = j.value("question", std::string());
    if (j.contains("answer_model") && j["answer_model"].is_object())
      r.answer_model = j["answer_model"].value("name", std::string());
    if (j.contains("total")) {
      r.supported = j.value("supported", 0);
      r.total = j.value("total", 0);
    }
    r.json = std::move(line);
    out.records.push_back(std::move(r));
  }
  if (n > 0 && out.records.size() > n)
    out.records.erase(out.records.begin(), out.records.end() - static_cast<std::ptrdiff_t>(n));
  return out;
}

Result<size_t> clear_log(const index::LibraryPaths& paths) {
  auto all = read_log(paths, 0);
  const size_t count = all.ok() ? all->records.size() : 0;
  const std::string path = provenance_log_path(paths);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    return make_error(path + ": cannot remove the provenance log: " + std::strerror(errno));
  return count;
}

Result<ReplayResult> replay(const index::LibraryPaths& paths, const std::string& id, const TextSink& on_text,
                            const ReplayOptions& ro) {
  auto rec = find_record(paths, id);
  if (!rec.ok()) return rec.error();
  const json& r = *rec;
  if (r.value("command", std::string()) != "ask")
    return make_error("record " + r.value("id", std::string()) + " is a search, not an ask: nothing to replay");
  ReplayResult out;
  out.id = r.value("id", std::string());
  out.recorded = r.value("generated", std::string());
  if (!index::library_exists(paths)) return make_error("the library is gone: nothing to replay against");
  auto db = index::open_library_read_only(paths);
  if (!db.ok()) return db.error();
  std::vector<index::SearchHit> hits;
  for (const json& c : r.value("chunks", json::array())) {
    ChunkChange ch;
    ch.n = c.value("n", int64_t{0});
    ch.chunk_id = c.value("chunk_id", int64_t{0});
    ch.path = c.value("path", std::string());
    auto now = current_chunk(*db, c);
    if (!now.ok()) return now.error();
    if (!*now) {
      ch.status = "vanished";
      out.changes.push_back(ch);
      continue;
    }
    if (sha256_hex((*now)->text) != c.value("sha256", std::string())) {
      ch.status = "changed";
      out.changes.push_back(ch);
    } else if ((*now)->path != ch.path) {
      ch.status = "moved";
      ch.now_path = (*now)->path;
      out.changes.push_back(ch);
    }
    hits.push_back(std::move(**now));
  }
  AnswerOptions o = options_from(r);
  o.generator = ro.generator;
  o.threads = ro.threads;
  if (r.contains("total") && r["total"].is_number_integer()) {
    out.recorded_supported = r.value("supported", 0);
    out.recorded_total = r.value("total", 0);
  }
  const json& am = r.value("answer_model", json());
  if (am.is_object()) {
    if (!std::filesystem::exists(o.model))
      return make_error(o.model + ": the answer model of record " + out.id + " is no longer there");
    out.model_changed = model_file_sha256(paths, o.model) != am.value("sha256", std::string());
  } else {
    o.no_llm = true;
  }
  auto a = answer_from_sources(paths, r.value("question", std::string()), std::move(hits), o, on_text);
  if (!a.ok()) return a.error();
  out.answer = std::move(*a);
  out.replayed = out.answer.kind == AnswerKind::kGenerated ? out.answer.generated : out.answer.text;
  if (out.answer.kind != AnswerKind::kGenerated) out.recorded = r.value("answer", std::string());
  out.identical = out.replayed == out.recorded;
  out.prompt_identical = out.answer.prompt_sha256 == r.value("prompt_sha256", std::string());
  return out;
}

}  // namespace trove::answer
