// core/download.cc — libcurl transfer with resume, then the size / GGUF / SHA-256
// checks and the atomic rename described in download.h.
#include "core/download.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/atomic_file.h"
#include "core/c_file.h"
#include "core/gguf.h"
#include "core/sha256.h"

namespace trove {

namespace {

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};

// State shared with the curl callbacks of one transfer.
struct Transfer {
  CURL* curl = nullptr;
  FILE* out = nullptr;
  uint64_t resume_from = 0;
  uint64_t written = 0;  // this transfer's bytes
  bool started = false;
  bool restarted = false;  // server ignored Range: file truncated, counting from 0
  bool write_failed = false;
  bool cancelled = false;
  const DownloadOptions* opts = nullptr;
};

size_t on_data(char* ptr, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * nmemb;
  if (!t->started) {
    t->started = true;
    long code = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
    if (code == 200 && t->resume_from > 0) {
      // The server sent the whole file: start the .part over.
      if (std::fflush(t->out) != 0 || ::ftruncate(::fileno(t->out), 0) != 0 ||
          std::fseek(t->out, 0, SEEK_SET) != 0) {
        t->write_failed = true;
        return 0;
      }
      t->restarted = true;
      t->resume_from = 0;
    }
  }
  if (std::fwrite(ptr, 1, n, t->out) != n) {
    t->write_failed = true;
    return 0;
  }
  t->written += n;
  return n;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->opts->progress) return 0;
  const uint64_t base = t->resume_from;
  const uint64_t total = dltotal > 0 ? base + static_cast<uint64_t>(dltotal) : 0;
  if (!t->opts->progress(base + static_cast<uint64_t>(dlnow), total)) {
    t->cancelled = true;
    return 1;  // non-zero aborts the transfer
  }
  return 0;
}

uint64_t file_size_or_zero(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(n);
}

// Runs one GET (ranged when resuming). Returns the HTTP status or an error.
Result<long> fetch(const DownloadOptions& opts, const std::string& part, Transfer& t) {
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return make_error("cannot initialise libcurl");
  // 0600 whatever the umask: what a user downloads is nobody else's business.
  int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(part + ": cannot open: " + std::strerror(errno));
  ::fchmod(fd, 0600);
  UniqueFile out(::fdopen(fd, "ab"));
  if (!out) {
    ::close(fd);
    return make_error(part + ": cannot open: " + std::strerror(errno));
  }
  t.curl = curl.get();
  t.out = out.get();
  t.opts = &opts;
  t.resume_from = file_size_or_zero(part);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, opts.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "trove/0.1");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, opts.connect_timeout_s);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, opts.low_speed_timeout_s);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  if (t.resume_from > 0) {
    // CURLOPT_RANGE rather than RESUME_FROM: curl would fail a 200 reply to the latter,
    // while on_data() can simply start the file over. (curl copies option strings.)
    curl_easy_setopt(c, CURLOPT_RANGE, (std::to_string(t.resume_from) + "-").c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  const bool flushed = std::fflush(out.get()) == 0;
  if (t.cancelled) return make_error(opts.url + ": cancelled (partial file kept for resume)");
  if (t.write_failed || !flushed)
    return make_error(part + ": write failed: " + std::strerror(errno));
  // 416: the range starts at or past the end, i.e. the .part is already complete (or
  // longer than the file, which the size check below catches).
  if (rc == CURLE_HTTP_RETURNED_ERROR && code == 416 && t.resume_from > 0) return code;
  if (rc != CURLE_OK) {
    return make_error(opts.url + ": " + curl_easy_strerror(rc) +
                      (code ? " (HTTP " + std::to_string(code) + ")" : std::string()));
  }
  return code;
}

Status verify(const DownloadOptions& opts, const std::string& part, uint64_t size,
              std::string& sha) {
  if (opts.expected_size != 0 && size != opts.expected_size) {
    return make_error(opts.url + ": downloaded " + std::to_string(size) + " bytes, expected " +
                      std::to_string(opts.expected_size));
  }
  if (opts.check_gguf) {
    auto g = GgufFile::open(part);
    if (!g) return make_error(opts.url + ": not a usable GGUF model: " + g.error().message);
  }
  auto h = sha256_file(part);
  if (!h) return h.error();
  sha = *h;
  if (!opts.expected_sha256.empty() && sha != opts.expected_sha256) {
    return make_error(opts.url + ": SHA-256 " + sha + " does not match the expected " +
                      opts.expected_sha256);
  }
  return {};
}

}  // namespace

Result<DownloadResult> download_file(const DownloadOptions& opts) {
  static const CURLcode kInit = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (kInit != CURLE_OK) return make_error("cannot initialise libcurl");
  const std::string part = opts.dest + ".part";
  Transfer t;
  auto code = fetch(opts, part, t);
  if (!code) return code.error();
  DownloadResult r;
  r.path = opts.dest;
  r.resumed_from = t.restarted ? 0 : t.resume_from;
  r.size = file_size_or_zero(part);
  // A body shorter than its Content-Length already failed in curl (CURLE_PARTIAL_FILE);
  // verify() covers servers that announce no length.
  if (auto st = verify(opts, part, r.size, r.sha256); !st) {
    std::remove(part.c_str());
    return st.error();
  }
  if (auto st = commit_file(part, opts.dest); !st) {
    return st.error();
  }
  return r;
}

}  // namespace trove
