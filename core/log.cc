// core/log.cc — the process-wide log sink.
#include "core/log.h"

#include <cstdio>
#include <mutex>
#include <string>

namespace trove {
namespace {

std::mutex& sink_mutex() {
  static std::mutex m;
  return m;
}

LogSink& sink() {
  static LogSink s = [](LogLevel level, std::string_view msg) {
    if (level == LogLevel::kDebug) return;
    std::fprintf(stderr, "trove: %.*s\n", static_cast<int>(msg.size()), msg.data());
  };
  return s;
}

}  // namespace

void set_log_sink(LogSink s) {
  std::lock_guard<std::mutex> lock(sink_mutex());
  sink() = std::move(s);
}

void log(LogLevel level, std::string_view message) {
  std::lock_guard<std::mutex> lock(sink_mutex());
  if (sink()) sink()(level, message);
}

}  // namespace trove
