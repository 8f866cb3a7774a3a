// cli/term.h — terminal facts and decorations: is-a-tty, colours (NO_COLOR), a
// progress bar on stderr, human-readable sizes and durations.
//
// Rule: decoration only on a terminal. Colour needs the stream to be a TTY, NO_COLOR
// unset or empty (https://no-color.org) and TERM not "dumb". The progress bar draws
// only when stderr is a TTY; on a pipe or in a log it prints nothing at all.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace trove::cli {

bool is_tty(std::FILE* stream);
bool color_enabled(std::FILE* stream);

// ANSI sequences, or empty strings when colour is off, so callers never branch.
struct Style {
  std::string bold, dim, reset, path, line, match, heading, error;
  static Style for_stream(std::FILE* stream);
  static Style colored();  // the sequences whatever the stream (--color always)
  static Style plain() { return {}; }
};

// The width of the terminal `stream` is on (TIOCGWINSZ; then $COLUMNS; then 80).
int terminal_columns(std::FILE* stream);
// `line` cut to fit in `columns` without wrapping (one column is left free: a line
// that fills the last column wraps on some terminals). Progress lines are ASCII.
std::string fit_line(std::string line, int columns);

std::string human_bytes(uint64_t bytes);  // "1.5 MiB"
std::string human_seconds(double s);      // "4.2 s", "3 min 5 s"

// A one-line progress bar redrawn in place on stderr: "[====>   ] 512/1459 files
// 42.1 files/s ETA 22 s". Disabled instances do nothing.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  ~ProgressBar();  // clears the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // ocr_pages > 0 adds "N pages OCR'd" (scans take seconds a page: the line shows why).
  void update(int64_t done, int64_t total, uint64_t bytes_done, uint64_t bytes_total,
              int64_t ocr_pages = 0);
  // Erases the bar (before printing a message line, and at the end).
  void clear();
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace trove::cli
