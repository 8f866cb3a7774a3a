// ingest/parse_budget.cc — a parse in a forked child with rlimits (see parse_budget.h).
#include "ingest/parse_budget.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <new>

#include "core/c_file.h"

namespace trove::ingest {
namespace {

void put_u64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
void put_str(std::string* out, std::string_view s) {
  put_u64(out, s.size());
  out->append(s);
}

struct Reader {
  std::string_view in;
  bool ok = true;
  uint64_t u64() {
    if (in.size() < 8) return ok = false, 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
    in.remove_prefix(8);
    return v;
  }
  int i32() { return static_cast<int>(static_cast<int64_t>(u64())); }
  std::string str() {
    uint64_t n = u64();
    if (!ok || n > in.size()) return ok = false, std::string();
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
  // A count that cannot exceed what is left (every element takes at least 8 bytes).
  uint64_t count() {
    uint64_t n = u64();
    if (n > in.size() / 8) ok = false;
    return ok ? n : 0;
  }
};

uint64_t mapped_bytes() {
  // /proc/self/statm: "size resident shared ..." in pages; the first field is the
  // mapped size. Read as text and parsed with from_chars (fscanf cannot say whether
  // the number overflowed).
  UniqueFile f(std::fopen("/proc/self/statm", "r"));
  if (!f) return 0;
  char buf[64] = {};
  const size_t n = std::fread(buf, 1, sizeof buf - 1, f.get());
  unsigned long long pages = 0;
  const auto [end, ec] = std::from_chars(buf, buf + n, pages);
  if (ec != std::errc() || end == buf) return 0;
  return pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

bool write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    s.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

ParsedDocument over_budget(std::string detail) {
  ParsedDocument d;
  d.fail = FailReason::kOverBudget;
  d.fail_detail = std::move(detail);
  return d;
}

// In a budgeted child: the result pipe and the CPU seconds one heartbeat adds.
int g_heartbeat_fd = -1;
double g_heartbeat_seconds = 0;

// The child writes kBeat bytes while it works, then kResult and the serialised
// document; the parent treats every kBeat before kResult as "still making progress".
constexpr char kBeat = 'P';
constexpr char kResult = 'R';

[[noreturn]] void run_child(int fd, const std::function<ParsedDocument()>& parse,
                            const ParseBudget& budget) {
  // Only the result pipe stays open: the library's database and lock file must not
  // outlive the parent in a child that is still parsing.
  if (fd > 3) close_range(3, static_cast<unsigned>(fd) - 1, 0);
  close_range(static_cast<unsigned>(fd) + 1, ~0U, 0);
  if (budget.memory_bytes > 0) {
    rlimit as{};
    as.rlim_cur = as.rlim_max = mapped_bytes() + budget.memory_bytes;
    setrlimit(RLIMIT_AS, &as);
  }
  // CPU time backs up the parent's wall clock; the hard limit stays open so that a
  // heartbeat can raise the soft one.
  rlimit cpu{};
  cpu.rlim_cur = static_cast<rlim_t>(budget.seconds) + 2;
  cpu.rlim_max = RLIM_INFINITY;
  setrlimit(RLIMIT_CPU, &cpu);
  g_heartbeat_fd = fd;
  g_heartbeat_seconds = budget.seconds;
  ParsedDocument d;
  try {
    d = parse();
  } catch (const std::bad_alloc&) {
    d = over_budget("parsing needed more than " + std::to_string(budget.memory_bytes >> 20) +
                    " MiB (the per-file memory budget)");
  } catch (const std::exception& e) {
    d = ParsedDocument{};
    d.fail = FailReason::kParseError;
    d.fail_detail = std::string("parser error: ") + e.what();
  }
  std::string wire(1, kResult);
  try {
    wire += serialize_document(d);
  } catch (const std::bad_alloc&) {
    wire = std::string(1, kResult) +
           serialize_document(over_budget("the parsed text did not fit the memory budget"));
  }
  _exit(write_all(fd, wire) ? 0 : 1);
}

}  // namespace

namespace {

void put_document(std::string* out, const ParsedDocument& d) {
  put_u64(out, static_cast<uint64_t>(d.type));
  put_str(out, d.title);
  put_u64(out, d.metadata.size());
  for (const auto& [k, v] : d.metadata) {
    put_str(out, k);
    put_str(out, v);
  }
  put_u64(out, d.blocks.size());
  for (const Block& b : d.blocks) {
    put_u64(out, static_cast<uint64_t>(b.kind));
    put_str(out, b.text);
    put_u64(out, b.heading_path.size());
    for (const auto& h : b.heading_path) put_str(out, h);
    for (int v : {b.heading_level, b.page, b.line_start, b.line_end})
      put_u64(out, static_cast<uint64_t>(static_cast<int64_t>(v)));
    put_u64(out, b.line_offsets.size());
    for (uint32_t off : b.line_offsets) put_u64(out, off);
  }
  put_u64(out, static_cast<uint64_t>(static_cast<int64_t>(d.page_count)));
  put_u64(out, static_cast<uint64_t>(d.fail));
  put_str(out, d.fail_detail);
  put_u64(out, d.warnings.size());
  for (const auto& w : d.warnings) put_str(out, w);
  // Parts (mbox messages, attachments) are documents themselves: same format, nested.
  put_u64(out, d.parts.size());
  for (const DocumentPart& p : d.parts) {
    put_str(out, p.key);
    put_str(out, p.label);
    put_str(out, p.content_hash);
    put_u64(out, p.unchanged ? 1 : 0);
    put_document(out, p.doc);
  }
  put_u64(out, d.ocr_pages.size());
  for (const OcrPage& o : d.ocr_pages) {
    put_u64(out, static_cast<uint64_t>(static_cast<int64_t>(o.page)));
    put_str(out, o.text);
    put_u64(out, static_cast<uint64_t>(static_cast<int64_t>(o.confidence)));
    put_u64(out, static_cast<uint64_t>(o.seconds * 1e6));
    put_u64(out, o.from_cache ? 1 : 0);
  }
}

// Parsers stop nesting attachments long before this; it only bounds the recursion on
// a corrupted wire.
constexpr int kMaxWireDepth = 64;

bool read_document(Reader& r, ParsedDocument* out, int depth) {
  if (depth > kMaxWireDepth) return false;
  ParsedDocument& d = *out;
  uint64_t type = r.u64();
  if (type > static_cast<uint64_t>(DocType::kImage)) return false;
  d.type = static_cast<DocType>(type);
  d.title = r.str();
  for (uint64_t n = r.count(), i = 0; r.ok && i < n; ++i) {
    std::string k = r.str();
    d.metadata[k] = r.str();
  }
  for (uint64_t n = r.count(), i = 0; r.ok && i < n; ++i) {
    Block b;
    b.kind = static_cast<BlockKind>(r.u64());
    b.text = r.str();
    for (uint64_t m = r.count(), j = 0; r.ok && j < m; ++j) b.heading_path.push_back(r.str());
    b.heading_level = r.i32();
    b.page = r.i32();
    b.line_start = r.i32();
    b.line_end = r.i32();
    for (uint64_t m = r.count(), j = 0; r.ok && j < m; ++j) {
      const uint64_t off = r.u64();
      // Offsets rise inside the block's text; anything else is a corrupted wire.
      if (off > b.text.size() || (!b.line_offsets.empty() && off < b.line_offsets.back()))
        return false;
      b.line_offsets.push_back(static_cast<uint32_t>(off));
    }
    d.blocks.push_back(std::move(b));
  }
  d.page_count = r.i32();
  d.fail = static_cast<FailReason>(r.u64());
  d.fail_detail = r.str();
  for (uint64_t n = r.count(), i = 0; r.ok && i < n; ++i) d.warnings.push_back(r.str());
  for (uint64_t n = r.count(), i = 0; r.ok && i < n; ++i) {
    DocumentPart p;
    p.key = r.str();
    p.label = r.str();
    p.content_hash = r.str();
    p.unchanged = r.u64() != 0;
    if (!read_document(r, &p.doc, depth + 1)) return false;
    d.parts.push_back(std::move(p));
  }
  for (uint64_t n = r.count(), i = 0; r.ok && i < n; ++i) {
    OcrPage o;
    o.page = r.i32();
    o.text = r.str();
    o.confidence = r.i32();
    o.seconds = static_cast<double>(r.u64()) / 1e6;
    o.from_cache = r.u64() != 0;
    d.ocr_pages.push_back(std::move(o));
  }
  return r.ok;
}

}  // namespace

std::string serialize_document(const ParsedDocument& d) {
  std::string out;
  put_document(&out, d);
  return out;
}

bool deserialize_document(std::string_view bytes, ParsedDocument* out) {
  Reader r{bytes};
  ParsedDocument d;
  if (!read_document(r, &d, 0) || !r.in.empty()) return false;
  *out = std::move(d);
  return true;
}

bool in_parse_child() {
  return g_heartbeat_fd >= 0;
}

void parse_budget_heartbeat() {
  if (g_heartbeat_fd < 0) return;
  static std::mutex mu;
  std::lock_guard lk(mu);
  rlimit cpu{};
  if (getrlimit(RLIMIT_CPU, &cpu) == 0 && cpu.rlim_cur != RLIM_INFINITY) {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    cpu.rlim_cur = static_cast<rlim_t>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                   static_cast<rlim_t>(g_heartbeat_seconds) + 2;
    setrlimit(RLIMIT_CPU, &cpu);
  }
  write_all(g_heartbeat_fd, std::string_view(&kBeat, 1));
}

ParsedDocument parse_with_budget(const std::function<ParsedDocument()>& parse,
                                 const ParseBudget& budget) {
  if (budget.seconds <= 0) return parse();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return parse();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    ParsedDocument d = parse();
    d.warnings.push_back("parsed without a time/memory budget: fork failed");
    return d;
  }
  if (pid == 0) {
    close(fds[0]);
    run_child(fds[1], parse, budget);
  }
  close(fds[1]);
  using Clock = std::chrono::steady_clock;
  const auto slice = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(budget.seconds));
  auto deadline = Clock::now() + slice;
  std::string wire;
  bool in_result = false;
  bool timed_out = false;
  char buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) continue;
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child is done (or dead)
    std::string_view got(buf, static_cast<size_t>(n));
    while (!in_result && !got.empty()) {
      if (got[0] == kResult) in_result = true;
      if (got[0] == kBeat) {
        deadline = Clock::now() + slice;  // progress: a new slice
        if (budget.on_beat) budget.on_beat();
      }
      got.remove_prefix(1);
    }
    wire.append(got);
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%g", budget.seconds);
    return over_budget(std::string("parsing took longer than ") + secs +
                       " s (the per-file time budget)");
  }
  ParsedDocument d;
  if (in_result && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
      deserialize_document(wire, &d))
    return d;
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
    return over_budget("parsing used more CPU time than the per-file budget");
  if (WIFSIGNALED(status)) {
    // Allocation failures under RLIMIT_AS often end as aborts inside C libraries.
    ParsedDocument c;
    c.fail = FailReason::kParseError;
    c.fail_detail = std::string("the parser died (") + strsignal(WTERMSIG(status)) +
                    "); the per-file memory budget is " +
                    std::to_string(budget.memory_bytes >> 20) + " MiB";
    return c;
  }
  // A non-zero exit without a result is a crash that a handler turned into an exit
  // (a sanitizer's, or a library's abort hook): report it as the death it was.
  ParsedDocument c;
  c.fail = FailReason::kParseError;
  c.fail_detail = WIFEXITED(status) && WEXITSTATUS(status) != 0
                      ? "the parser died without a result (exit status " +
                            std::to_string(WEXITSTATUS(status)) + ")"
                      : std::string("the parser exited without a result");
  return c;
}

}  // namespace trove::ingest
