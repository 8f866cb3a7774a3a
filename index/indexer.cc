// index/indexer.cc — the index pipeline (see indexer.h).
//
// Shape: plan (walk every source, compare stats with stored rows) → one worker thread
// turns each file that needs reading into a FileResult (touch / move / write / failed)
// → the calling thread applies results to the Store in batched transactions → vanished
// documents are removed → the run row is closed.
#include "index/indexer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/log.h"
#include "index/content_hash.h"
#include "index/ocr_cache.h"
#include "index/exclusions.h"
#include "index/store.h"
#include "ingest/discover.h"
#include "ingest/parse.h"

namespace trove::index {
namespace {

using Clock = std::chrono::steady_clock;

// ---------- sources ----------

Result<std::string> real_path(const std::string& p) {
  char buf[PATH_MAX];
  if (!::realpath(p.c_str(), buf)) return make_error(p + ": " + std::strerror(errno));
  return std::string(buf);
}

bool is_under(const std::string& path, const std::string& root) {
  if (root == "/") return true;
  return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                          path[root.size()] == '/');
}

// Where an explicit PATH argument belongs: the source that owns it, or none (a new
// source), or a refusal (usage error) in `refused`.
struct PathRequest {
  std::string abs;
  const Source* owner = nullptr;
  std::string refused;
};

Result<PathRequest> classify_path(Db& db, const std::vector<Source>& known, const std::string& p) {
  PathRequest r;
  auto abs = real_path(p);
  if (!abs.ok()) {
    r.refused = abs.error().message;
    return r;
  }
  r.abs = *abs;
  for (const auto& s : known)
    if (is_under(r.abs, s.root)) r.owner = &s;
  if (r.owner) {
    auto excl = exclusions_of_source(db, r.owner->id);
    if (!excl.ok()) return excl.error();
    std::string cover = covering_exclusion(*excl, r.abs);
    if (!cover.empty() && cover != r.abs) {
      r.refused = r.abs + " is inside the forgotten folder " + cover + ": run trove unforget " +
                  cover + " first (or trove index " + cover + ")";
    }
    return r;
  }
  for (const auto& s : known) {
    if (is_under(s.root, r.abs)) {
      r.refused = r.abs + " contains the registered source " + s.root + ": run `trove forget " +
                  s.root + "` first";
      return r;
    }
  }
  struct stat st {};
  if (::stat(r.abs.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    r.refused = r.abs + ": not a folder (a source must be a folder)";
  }
  return r;
}

Result<std::vector<Source>> resolve_sources(Db& db, Store& store,
                                            const std::vector<std::string>& paths) {
  auto known = store.sources();
  if (!known.ok()) return known.error();
  if (paths.empty()) return std::move(*known);
  std::vector<Source> out;
  auto add_unique = [&](const Source& s) {
    for (const auto& o : out)
      if (o.id == s.id) return;
    out.push_back(s);
  };
  for (const auto& p : paths) {
    auto req = classify_path(db, *known, p);
    if (!req.ok()) return req.error();
    if (!req->refused.empty()) return make_error(req->refused);
    if (req->owner) {
      // Indexing a forgotten path by name brings it back.
      auto n = remove_exclusions_at_or_under(db, req->abs);
      if (!n.ok()) return n.error();
      add_unique(*req->owner);
      continue;
    }
    auto id = store.add_source(req->abs);
    if (!id.ok()) return id.error();
    Source s{*id, req->abs};
    known->push_back(s);
    add_unique(s);
  }
  return out;
}

// ---------- planning ----------

struct ReadJob {
  int64_t source_id = 0;
  ingest::DiscoveredFile file;
  std::optional<StoredDocument> stored;  // the row at this path, if any
  std::vector<StoredPart> parts;         // documents stored inside that row
};

struct SkipJob {
  int64_t source_id = 0;
  ingest::SkippedFile skip;
  std::string rel_path;
  std::optional<StoredDocument> stored;
};

struct Plan {
  std::vector<ReadJob> reads;
  std::vector<SkipJob> skips;
  std::vector<StoredDocument> unchanged_stale;  // same stat, ok, stale mark to clear
  std::vector<StoredDocument> vanished;         // not seen in a walked source
  int64_t unchanged = 0, unchanged_failed = 0, unchanged_skipped = 0;
  uint64_t bytes_to_read = 0;
  std::vector<std::string> source_errors;
};

bool is_skip(const std::string& reason) {
  return reason == ingest::fail_reason_name(ingest::FailReason::kSkipped);
}

std::string rel_of(const std::string& path, const std::string& root) {
  if (path.size() > root.size() + 1 && is_under(path, root)) return path.substr(root.size() + 1);
  return path;
}

Status plan_source(Db& db, const Source& src, const IndexOptions& opt, Store& store, Plan& plan) {
  auto stored = store.documents_of(src.id);
  if (!stored.ok()) return stored.error();
  auto excluded = exclusions_of_source(db, src.id);
  if (!excluded.ok()) return excluded.error();
  std::unordered_map<std::string, StoredDocument> by_path;
  for (auto& d : *stored) by_path.emplace(d.path, std::move(d));

  std::vector<ingest::DiscoveredFile> files;
  std::vector<ingest::SkippedFile> skipped;
  ingest::DiscoverOptions dopt;
  dopt.max_file_size = opt.max_file_size;
  dopt.include_hidden = opt.include_hidden;
  dopt.follow_outside = opt.follow;
  auto walked = ingest::discover(
      src.root, dopt, [&](ingest::DiscoveredFile f) { files.push_back(std::move(f)); },
      [&](ingest::SkippedFile s) { skipped.push_back(std::move(s)); });
  struct stat root_st {};
  const bool root_missing = ::stat(src.root.c_str(), &root_st) != 0 && errno == ENOENT;
  if (!walked.ok() && !(root_missing && opt.allow_empty)) {
    // Never treat an unreachable root as "every file deleted".
    plan.source_errors.push_back(walked.error().message + ": kept its " +
                                 std::to_string(by_path.size()) +
                                 " documents (an unmounted disk?); trove index --allow-empty "
                                 "forgets them");
    return {};
  }
  // Forgotten paths stay forgotten.
  if (!excluded->empty()) {
    std::erase_if(files, [&](const ingest::DiscoveredFile& f) {
      return !covering_exclusion(*excluded, f.path).empty();
    });
    std::erase_if(skipped, [&](const ingest::SkippedFile& f) {
      return !covering_exclusion(*excluded, f.path).empty();
    });
  }
  // An empty mount point looks exactly like "every file deleted": keep the documents
  // unless the user says the folder is empty on purpose.
  if (files.empty() && skipped.empty() && !by_path.empty() && !opt.allow_empty) {
    plan.source_errors.push_back(src.root + " is empty but the library holds " +
                                 std::to_string(by_path.size()) +
                                 " documents from it: kept them (an unmounted disk or a moved "
                                 "folder?); trove index --allow-empty forgets them");
    return {};
  }

  auto take = [&](const std::string& path) -> std::optional<StoredDocument> {
    auto it = by_path.find(path);
    if (it == by_path.end()) return std::nullopt;
    std::optional<StoredDocument> d = std::move(it->second);
    by_path.erase(it);
    return d;
  };
  for (auto& f : files) {
    auto d = take(f.path);
    bool same_stat = d && d->size == f.size && d->mtime_ns == f.mtime_ns;
    if (same_stat && d->ok) {
      ++plan.unchanged;
      if (d->stale) plan.unchanged_stale.push_back(*d);
      continue;
    }
    // A failed file is not retried until it changes (an encrypted PDF stays encrypted),
    // except one refused as too large: the limit may have been raised.
    // And one OCR could read that was read with OCR off.
    const bool ocr_may_read = opt.ocr && d && d->fail_detail.find(ingest::kOcrOff) != std::string::npos;
    if (same_stat && !d->ok && f.size <= opt.max_file_size && !ocr_may_read) {
      ++(is_skip(d->fail_reason) ? plan.unchanged_skipped : plan.unchanged_failed);
      continue;
    }
    plan.bytes_to_read += f.size;
    std::vector<StoredPart> parts;
    if (d && d->ok) {
      auto p = store.parts_of(d->id);
      if (!p.ok()) return p.error();
      parts = std::move(*p);
    }
    plan.reads.push_back({src.id, std::move(f), std::move(d), std::move(parts)});
  }
  for (auto& s : skipped) {
    auto d = take(s.path);
    std::string rel = rel_of(s.path, src.root);
    plan.skips.push_back({src.id, std::move(s), std::move(rel), std::move(d)});
  }
  for (auto& [path, d] : by_path) plan.vanished.push_back(std::move(d));
  return {};
}

// ---------- the worker: read, hash, parse, chunk ----------

enum class Outcome { kTouch, kMove, kWrite, kFailed };

// A document inside the file (ingest::DocumentPart) as the writer stores it.
struct PartResult {
  bool unchanged = false;  // stored already with this key and content: keep it as is
  DocumentWrite doc;       // container_id is filled in by the writer
  std::vector<ingest::Chunk> chunks;
};

struct FileResult {
  Outcome outcome = Outcome::kFailed;
  const ReadJob* job = nullptr;
  uint64_t size = 0;  // as read (the file may have changed since the walk)
  int64_t mtime_ns = 0;
  int64_t move_from = 0;  // kMove: the vanished document's id
  DocumentWrite doc;
  std::vector<ingest::Chunk> chunks;
  std::vector<PartResult> parts;
  std::vector<ingest::OcrPage> ocr;  // pages recognised or reused, for the OCR cache
  std::string reason, detail;
};

// Labels become paths ("a.mbox#3"), which must be unique: a parser's label that is
// already another key's (stored or earlier in this file) gets a "~2"-style suffix.
class LabelBook {
 public:
  explicit LabelBook(const std::vector<StoredPart>& stored) {
    for (const auto& p : stored) owner_.emplace(p.label, p.key);
  }
  std::string claim(const std::string& key, const std::string& label) {
    std::string l = label.empty() ? key : label;
    for (int n = 2;; ++n) {
      auto [it, fresh] = owner_.emplace(l, key);
      if (fresh || it->second == key) return l;
      l = (label.empty() ? key : label) + "~" + std::to_string(n);
    }
  }

 private:
  std::unordered_map<std::string, std::string> owner_;  // label → key
};

struct ReadBytes {
  std::string bytes;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  ingest::FailReason fail = ingest::FailReason::kNone;
  std::string detail;
};

ReadBytes read_file(const ingest::DiscoveredFile& file, uint64_t max_size) {
  ReadBytes r;
  // Never a link planted since the walk, never a different file than the walk saw.
  int fd = ingest::open_discovered(file, &r.detail);
  if (fd < 0) {
    r.fail = ingest::FailReason::kUnreadable;
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    r.fail = ingest::FailReason::kUnreadable;
    r.detail = "not a regular file";
    return r;
  }
  r.size = static_cast<uint64_t>(st.st_size);
  r.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  if (r.size > max_size) {
    ::close(fd);
    r.fail = ingest::FailReason::kTooLarge;
    r.detail = std::to_string(r.size) + " bytes, limit " + std::to_string(max_size);
    return r;
  }
  r.bytes.resize(r.size);
  size_t got = 0;
  while (got < r.bytes.size()) {
    ssize_t n = ::read(fd, r.bytes.data() + got, r.bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.fail = ingest::FailReason::kUnreadable;
      r.detail = std::strerror(errno);
      break;
    }
    if (n == 0) break;  // shrank while reading: index what is there
    got += static_cast<size_t>(n);
  }
  r.bytes.resize(got);
  ::close(fd);
  return r;
}

class Worker {
 public:
  Worker(const std::vector<StoredDocument>& vanished, const IndexOptions& opt,
         const ingest::TokenCounter& counter, const ingest::OcrCache* ocr_cache)
      : opt_(opt), counter_(counter), ocr_cache_(ocr_cache) {
    for (const auto& d : vanished)
      if (d.ok && !d.content_hash.empty()) movable_.emplace(d.content_hash, d.id);
  }

  // Pages OCR'd so far (the parse child's heartbeats); read from the writer's thread.
  int64_t ocr_pages() const { return ocr_pages_.load(std::memory_order_relaxed); }

  // Ids of vanished documents a moved file claimed (read after join()).
  const std::unordered_set<int64_t>& claimed() const { return claimed_; }

  FileResult process(const ReadJob& job) {
    FileResult res;
    res.job = &job;
    ReadBytes rb = read_file(job.file, opt_.max_file_size);
    res.size = rb.size ? rb.size : job.file.size;
    res.mtime_ns = rb.mtime_ns ? rb.mtime_ns : job.file.mtime_ns;
    if (rb.fail != ingest::FailReason::kNone) {
      res.reason = ingest::fail_reason_name(rb.fail);
      res.detail = std::move(rb.detail);
      return res;
    }
    std::string hash = sha256_hex(rb.bytes);
    if (job.stored && job.stored->ok && job.stored->content_hash == hash) {
      res.outcome = Outcome::kTouch;
      return res;
    }
    if (auto it = movable_.find(hash); it != movable_.end()) {
      res.outcome = Outcome::kMove;
      res.move_from = it->second;
      claimed_.insert(it->second);
      movable_.erase(it);
      return res;
    }
    ingest::KnownParts known;
    for (const auto& p : job.parts) known[p.key] = {p.label, p.content_hash};
    ingest::ParseOptions popt;
    popt.max_file_size = opt_.max_file_size;
    popt.budget = opt_.parse_budget;
    popt.budget.on_beat = [this] { ocr_pages_.fetch_add(1, std::memory_order_relaxed); };
    popt.known_parts = &known;
    popt.ocr.enabled = opt_.ocr;
    popt.ocr.languages = opt_.ocr_languages;
    popt.ocr.cache = ocr_cache_;
    popt.content_hash = hash;
    ingest::ParsedDocument parsed =
        ingest::parse_bytes(rb.bytes, ingest::DocType::kUnknown, job.file.path, popt);
    if (parsed.fail != ingest::FailReason::kNone) {
      res.reason = ingest::fail_reason_name(parsed.fail);
      res.detail = std::move(parsed.fail_detail);
      return res;
    }
    res.outcome = Outcome::kWrite;
    res.ocr = std::move(parsed.ocr_pages);
    res.chunks = ingest::chunk_document(parsed, counter_, opt_.chunk);
    res.doc.source_id = job.source_id;
    res.doc.path = job.file.path;
    res.doc.rel_path = job.file.rel_path;
    res.doc.size = res.size;
    res.doc.mtime_ns = res.mtime_ns;
    res.doc.content_hash = std::move(hash);
    res.doc.type = parsed.type;
    res.doc.title = std::move(parsed.title);
    res.doc.page_count = parsed.page_count;
    res.doc.container = parsed.blocks.empty();
    add_parts(job, known, parsed.parts, res);
    return res;
  }

  void add_parts(const ReadJob& job, const ingest::KnownParts& known,
                 std::vector<ingest::DocumentPart>& parts, FileResult& res) {
    LabelBook labels(job.parts);
    for (ingest::DocumentPart& p : parts) {
      PartResult pr;
      auto k = known.find(p.key);
      pr.unchanged = p.unchanged && k != known.end();
      std::string label = labels.claim(p.key, k != known.end() ? k->second.label : p.label);
      pr.doc.part_key = p.key;
      pr.doc.source_id = job.source_id;
      pr.doc.path = job.file.path + "#" + label;
      pr.doc.rel_path = job.file.rel_path + "#" + label;
      pr.doc.mtime_ns = res.mtime_ns;
      pr.doc.content_hash = p.content_hash;
      if (!pr.unchanged) {
        pr.chunks = ingest::chunk_document(p.doc, counter_, opt_.chunk);
        pr.doc.type = p.doc.type;
        pr.doc.title = std::move(p.doc.title);
        pr.doc.page_count = p.doc.page_count;
        for (const auto& c : pr.chunks) pr.doc.size += c.text.size();
      }
      res.parts.push_back(std::move(pr));
    }
  }

 private:
  const IndexOptions& opt_;
  const ingest::TokenCounter& counter_;
  const ingest::OcrCache* ocr_cache_;
  std::unordered_multimap<std::string, int64_t> movable_;  // hash → vanished doc id
  std::unordered_set<int64_t> claimed_;
  std::atomic<int64_t> ocr_pages_{0};
};

// A bounded single-producer single-consumer queue: the worker stays at most `cap`
// parsed documents ahead of the writer, which bounds memory on huge files.
class ResultQueue {
 public:
  explicit ResultQueue(size_t cap) : cap_(cap) {}
  // False when the consumer gave up (stop()).
  bool push(FileResult r) {
    std::unique_lock lk(mu_);
    not_full_.wait(lk, [&] { return q_.size() < cap_ || stopped_; });
    if (stopped_) return false;
    q_.push_back(std::move(r));
    not_empty_.notify_one();
    return true;
  }
  void close() {
    std::lock_guard lk(mu_);
    closed_ = true;
    not_empty_.notify_one();
  }
  void stop() {
    std::lock_guard lk(mu_);
    stopped_ = true;
    not_full_.notify_one();
  }
  // `idle` runs on the consumer's thread every `tick` that nothing arrives, unlocked:
  // the progress line moves while one long file (a scan being OCR'd) is parsed.
  std::optional<FileResult> pop(const std::function<void()>& idle = {},
                                std::chrono::milliseconds tick = std::chrono::milliseconds(200)) {
    std::unique_lock lk(mu_);
    while (q_.empty() && !closed_) {
      if (not_empty_.wait_for(lk, tick) == std::cv_status::timeout && idle) {
        lk.unlock();
        idle();
        lk.lock();
      }
    }
    if (q_.empty()) return std::nullopt;
    FileResult r = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return r;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<FileResult> q_;
  size_t cap_;
  bool closed_ = false, stopped_ = false;
};

// ---------- the writer: batched transactions ----------

class BatchWriter {
 public:
  BatchWriter(Db& db, const IndexOptions& opt) : db_(db), opt_(opt) {}

  // Call before every write; opens a transaction when none is open.
  Status open() {
    if (tx_) return {};
    auto tx = Transaction::begin(db_);
    if (!tx.ok()) return tx.error();
    tx_.emplace(std::move(*tx));
    started_ = Clock::now();
    pending_ = 0;
    return {};
  }
  // Call after every document written; commits when the batch is full or old.
  Status wrote_one() {
    ++pending_;
    double age = std::chrono::duration<double>(Clock::now() - started_).count();
    if (pending_ >= opt_.batch_files || age >= opt_.batch_seconds) return commit();
    return {};
  }
  Status commit() {
    if (!tx_) return {};
    auto st = tx_->commit();
    tx_.reset();  // on failure this rolls back
    return st;
  }

 private:
  Db& db_;
  const IndexOptions& opt_;
  std::optional<Transaction> tx_;
  Clock::time_point started_;
  int pending_ = 0;
};

class ProgressReporter {
 public:
  ProgressReporter(const IndexCallbacks& cb, IndexProgress p) : cb_(cb), p_(p) {}
  void file_done(uint64_t bytes_read, bool force = false) {
    ++p_.files_done;
    p_.bytes_done += bytes_read;
    emit(force);
  }
  void ocr_pages(int64_t n) {
    if (n == p_.ocr_pages) return;
    p_.ocr_pages = n;
    emit(false);
  }
  void emit(bool force) {
    if (!cb_.on_progress) return;
    auto now = Clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(50)) return;
    last_ = now;
    cb_.on_progress(p_);
  }

 private:
  const IndexCallbacks& cb_;
  IndexProgress p_;
  Clock::time_point last_{};
};

class Run {
 public:
  Run(Db& db, Store& store, const IndexOptions& opt, const IndexCallbacks& cb, int64_t run_id,
      IndexSummary& sum)
      : db_(db), ocr_languages_(opt.ocr_languages), store_(store), cb_(cb), run_id_(run_id),
        sum_(sum), batch_(db, opt) {}

  BatchWriter& batch() { return batch_; }
  const std::string& db_path() const { return db_.path(); }

  Status fail_file(int64_t source_id, const std::string& path, const std::string& rel,
                   uint64_t size, int64_t mtime_ns, const std::optional<StoredDocument>& stored,
                   const std::string& reason, const std::string& detail) {
    TROVE_TRY(batch_.open());
    if (stored && stored->ok) {
      TROVE_TRY(store_.mark_stale(stored->id, reason, detail, run_id_));
    } else {
      TROVE_TRY(
          store_.write_failed({source_id, path, rel, size, mtime_ns, reason, detail}, run_id_));
    }
    TROVE_TRY(store_.log_failure(run_id_, path, reason, detail));
    FileFailure f{path, reason, detail};
    // A document that turned into a non-document (a FIFO, a binary) is a failure: its
    // old passages are kept and the user should hear about it.
    if (is_skip(reason) && !(stored && stored->ok)) {
      ++sum_.skipped;
      if (cb_.on_skip) cb_.on_skip(f);
      sum_.skips.push_back(std::move(f));
    } else {
      ++sum_.failed;
      if (cb_.on_failure) cb_.on_failure(f);
      sum_.failures.push_back(std::move(f));
    }
    return batch_.wrote_one();
  }

  Status apply(FileResult& r) {
    const ReadJob& job = *r.job;
    if (r.outcome == Outcome::kFailed) {
      return fail_file(job.source_id, job.file.path, job.file.rel_path, r.size, r.mtime_ns,
                       job.stored, r.reason, r.detail);
    }
    TROVE_TRY(batch_.open());
    switch (r.outcome) {
      case Outcome::kTouch:
        TROVE_TRY(store_.touch_document(job.stored->id, r.size, r.mtime_ns, run_id_));
        ++sum_.unchanged;
        break;
      case Outcome::kMove:
        TROVE_TRY(store_.move_document(r.move_from, job.source_id, job.file.path, job.file.rel_path,
                                       r.size, r.mtime_ns, run_id_));
        ++sum_.moved;
        break;
      case Outcome::kWrite: {
        auto id = store_.write_document(r.doc, r.chunks, run_id_);
        if (!id.ok()) return id.error();
        ++(job.stored ? sum_.updated : sum_.added);
        TROVE_TRY(apply_parts(*id, r));
        TROVE_TRY(store_ocr_pages(db_, r.doc.content_hash, ocr_languages_, r.ocr, run_id_));
        break;
      }
      case Outcome::kFailed:
        break;
    }
    return batch_.wrote_one();
  }

  // Writes the parts that changed, keeps the unchanged ones, removes the stored parts
  // the file no longer has. A part that cannot be stored (its path is another
  // document's) is reported as a failure of that part; the file's other parts go on.
  Status apply_parts(int64_t container_id, FileResult& r) {
    std::unordered_set<std::string> seen;
    for (PartResult& p : r.parts) {
      seen.insert(p.doc.part_key);
      if (p.unchanged) {
        ++sum_.parts_unchanged;
        continue;
      }
      p.doc.container_id = container_id;
      auto id = store_.write_document(p.doc, p.chunks, run_id_);
      if (!id.ok()) {
        FileFailure f{p.doc.path, ingest::fail_reason_name(ingest::FailReason::kUnreadable),
                      id.error().message};
        TROVE_TRY(store_.log_failure(run_id_, f.path, f.reason, f.detail));
        if (cb_.on_failure) cb_.on_failure(f);
        sum_.failures.push_back(std::move(f));
        continue;
      }
      ++sum_.parts_written;
    }
    for (const StoredPart& old : r.job->parts) {
      if (seen.count(old.key)) continue;
      TROVE_TRY(store_.remove_document(old.id));
      ++sum_.parts_removed;
    }
    return {};
  }

 private:
  Db& db_;
  std::string ocr_languages_;
  Store& store_;
  const IndexCallbacks& cb_;
  int64_t run_id_;
  IndexSummary& sum_;
  BatchWriter batch_;
};

// Runs the worker and applies its results; always joins the worker.
Status process_reads(const Plan& plan, const IndexOptions& opt, Run& run,
                     ProgressReporter& progress, std::unordered_set<int64_t>& claimed) {
  ingest::WordTokenCounter word_counter;
  const ingest::TokenCounter& counter = opt.counter ? *opt.counter : word_counter;
  std::unique_ptr<LibraryOcrCache> ocr_cache;
  if (opt.ocr) ocr_cache = std::make_unique<LibraryOcrCache>(run.db_path());
  Worker worker(plan.vanished, opt, counter, ocr_cache.get());
  ResultQueue queue(8);
  std::thread th([&] {
    for (const auto& job : plan.reads) {
      FileResult r;
      try {
        r = worker.process(job);
      } catch (const std::exception& e) {  // bad_alloc on a pathological file
        r = FileResult{};
        r.job = &job;
        r.reason = ingest::fail_reason_name(ingest::FailReason::kParseError);
        r.detail = e.what();
      }
      if (!queue.push(std::move(r))) break;
    }
    queue.close();
  });
  Status status;
  const auto tick = [&] { progress.ocr_pages(worker.ocr_pages()); };
  while (auto r = queue.pop(tick)) {
    uint64_t bytes = r->job->file.size;
    if (auto st = run.apply(*r); !st.ok()) {
      status = st;
      queue.stop();
      while (queue.pop()) {
      }
      break;
    }
    tick();
    progress.file_done(bytes);
  }
  th.join();
  claimed = worker.claimed();
  return status;
}

Status run_plan(Plan& plan, Store& store, Run& run, const IndexOptions& opt,
                ProgressReporter& progress, IndexSummary& sum, int64_t run_id) {
  sum.unchanged += plan.unchanged;
  sum.failed += plan.unchanged_failed;
  sum.skipped += plan.unchanged_skipped;
  for (int64_t i = 0; i < plan.unchanged + plan.unchanged_failed + plan.unchanged_skipped; ++i)
    progress.file_done(0);
  for (const auto& d : plan.unchanged_stale) {
    TROVE_TRY(run.batch().open());
    TROVE_TRY(store.touch_document(d.id, d.size, d.mtime_ns, run_id));
    TROVE_TRY(run.batch().wrote_one());
  }
  for (const auto& s : plan.skips) {
    if (s.stored && !s.stored->ok) {  // refused before, still refused: already listed
      ++(is_skip(s.stored->fail_reason) ? sum.skipped : sum.failed);
      progress.file_done(0);
      continue;
    }
    TROVE_TRY(run.fail_file(s.source_id, s.skip.path, s.rel_path, 0, 0, s.stored,
                            ingest::fail_reason_name(s.skip.reason), s.skip.detail));
    progress.file_done(0);
  }
  std::unordered_set<int64_t> claimed;
  TROVE_TRY(process_reads(plan, opt, run, progress, claimed));
  for (const auto& d : plan.vanished) {
    if (claimed.count(d.id)) continue;
    TROVE_TRY(run.batch().open());
    TROVE_TRY(store.remove_document(d.id));
    ++sum.removed;
    TROVE_TRY(run.batch().wrote_one());
  }
  TROVE_TRY(run.batch().commit());
  progress.emit(true);
  return {};
}

}  // namespace

Result<std::string> index_request_problem(Db& db, const IndexOptions& opt) {
  Store store(db);
  auto known = store.sources();
  if (!known.ok()) return known.error();
  if (opt.paths.empty() && known->empty()) return std::string(kNothingToIndex);
  for (const auto& p : opt.paths) {
    if (p.empty()) return std::string("index: a PATH is empty");
    auto req = classify_path(db, *known, p);
    if (!req.ok()) return req.error();
    if (!req->refused.empty()) return req->refused;
  }
  return std::string();
}

namespace {

// What a run that otherwise completed could not do (a source folder missing or empty,
// its documents kept), kept in the run's error so `trove status` shows the run as
// partial instead of as a plain success (library_status.h).
std::string run_problems(const Plan& plan) {
  std::string out;
  for (const auto& e : plan.source_errors) out += (out.empty() ? "" : "; ") + e;
  return out;
}

}  // namespace

Result<IndexSummary> index_sources(Db& db, const IndexOptions& opt, const IndexCallbacks& cb) {
  const auto t0 = Clock::now();
  Store store(db);
  TROVE_TRY(store.close_abandoned_runs());
  auto sources = resolve_sources(db, store, opt.paths);
  if (!sources.ok()) return sources.error();
  if (sources->empty()) return make_error(std::string(kNothingToIndex));

  IndexSummary sum;
  auto run_id = store.begin_run();
  if (!run_id.ok()) return run_id.error();
  sum.run_id = *run_id;

  Plan plan;
  for (const auto& src : *sources) TROVE_TRY(plan_source(db, src, opt, store, plan));
  sum.source_errors = plan.source_errors;
  sum.files = plan.unchanged + plan.unchanged_failed + plan.unchanged_skipped +
              static_cast<int64_t>(plan.reads.size()) +
              static_cast<int64_t>(plan.skips.size());

  IndexProgress p0;
  p0.files_total = sum.files;
  p0.bytes_total = plan.bytes_to_read;
  ProgressReporter progress(cb, p0);
  Run run(db, store, opt, cb, *run_id, sum);
  Status st = run_plan(plan, store, run, opt, progress, sum, *run_id);
  sum.seconds = std::chrono::duration<double>(Clock::now() - t0).count();

  RunCounts counts{sum.files, sum.added,   sum.updated, sum.unchanged,
                   sum.moved, sum.removed, sum.failed};
  std::string error = st.ok() ? run_problems(plan) : st.error().message;
  if (!st.ok() && error.empty()) error = "unknown error";
  auto fin = store.finish_run(*run_id, counts, st.ok() ? "completed" : "failed", error);
  if (!st.ok()) return st.error();
  if (!fin.ok()) return fin.error();
  return sum;
}

}  // namespace trove::index
