// cli/term.cc — TTY detection, colours, progress bar (see term.h).
#include "cli/term.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "core/parse_int.h"
#include "core/str_cat.h"

namespace trove::cli {

bool is_tty(std::FILE* stream) {
  return ::isatty(::fileno(stream)) == 1;
}

bool color_enabled(std::FILE* stream) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return is_tty(stream);
}

Style Style::for_stream(std::FILE* stream) {
  return color_enabled(stream) ? colored() : plain();
}

Style Style::colored() {
  Style s;
  s.bold = "\x1b[1m";
  s.dim = "\x1b[2m";
  s.reset = "\x1b[0m";
  s.path = "\x1b[35m";     // magenta, as ripgrep
  s.line = "\x1b[32m";     // green line numbers, as ripgrep
  s.match = "\x1b[1;31m";  // bold red, as grep/ripgrep
  s.heading = "\x1b[36m";  // cyan
  s.error = "\x1b[1;31m";
  return s;
}

std::string human_bytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
  }
  return buf;
}

std::string human_seconds(double s) {
  char buf[48];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.1f s", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%d min %d s", static_cast<int>(s) / 60,
                  static_cast<int>(s) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%d h %d min", static_cast<int>(s) / 3600,
                  static_cast<int>(s) % 3600 / 60);
  }
  return buf;
}

int terminal_columns(std::FILE* stream) {
  winsize ws{};
  if (::ioctl(::fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) {
    if (auto n = parse_int(c); n && *n > 0) return *n;
  }
  return 80;
}

std::string fit_line(std::string line, int columns) {
  const size_t room = columns > 1 ? static_cast<size_t>(columns - 1) : 0;
  if (line.size() > room) line.resize(room);
  return line;
}

ProgressBar::ProgressBar(bool enabled)
    : enabled_(enabled && is_tty(stderr)), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  clear();
}

void ProgressBar::clear() {
  if (!drawn_) return;
  std::fputs("\r\x1b[2K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

void ProgressBar::update(int64_t done, int64_t total, uint64_t bytes_done, uint64_t bytes_total,
                         int64_t ocr_pages) {
  if (!enabled_ || total <= 0) return;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  constexpr int kWidth = 24;
  double frac = static_cast<double>(done) / static_cast<double>(total);
  int fill = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<size_t>(fill), '=');
  if (fill < kWidth) bar += '>';
  bar.resize(kWidth, ' ');
  double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  // ETA from bytes when there are bytes to read: unchanged files cost nothing.
  double eta = -1;
  if (bytes_total > 0 && bytes_done > 0) {
    eta = elapsed * static_cast<double>(bytes_total - bytes_done) / static_cast<double>(bytes_done);
  } else if (rate > 0) {
    eta = static_cast<double>(total - done) / rate;
  }
  std::string eta_s = eta >= 0 ? " ETA " + human_seconds(eta) : "";
  std::string pages_s =
      ocr_pages > 0 ? "  " + std::to_string(ocr_pages) + (ocr_pages == 1 ? " page" : " pages") + " OCR'd"
                    : "";
  char counts[96];
  std::snprintf(counts, sizeof counts, "%lld/%lld files  %.1f files/s  ",
                static_cast<long long>(done), static_cast<long long>(total), rate);
  std::string line = str_cat({counts, human_bytes(bytes_done), pages_s, eta_s});
  // On a narrow terminal the bar goes first, then the line is cut: never a wrapped
  // line that \r cannot redraw.
  const int columns = terminal_columns(stderr);
  const std::string with_bar = str_cat({"[", bar, "] ", line});
  line = fit_line(static_cast<int>(with_bar.size()) < columns ? with_bar : line, columns);
  std::fprintf(stderr, "\r\x1b[2K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace trove::cli
