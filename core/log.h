// core/log.h — library code never prints; it reports through a callback that the
// CLI (or a test) installs. The default sink drops debug and writes the rest to stderr
// only because a library used without a CLI should still be able to say why it failed.
#pragma once

#include <functional>
#include <string_view>

namespace trove {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogSink = std::function<void(LogLevel, std::string_view)>;

// Installs the sink for the whole process (call once at start-up, before threads).
void set_log_sink(LogSink sink);
void log(LogLevel level, std::string_view message);

inline void log_debug(std::string_view m) { log(LogLevel::kDebug, m); }
inline void log_info(std::string_view m) { log(LogLevel::kInfo, m); }
inline void log_warn(std::string_view m) { log(LogLevel::kWarn, m); }
inline void log_error(std::string_view m) { log(LogLevel::kError, m); }

}  // namespace trove
