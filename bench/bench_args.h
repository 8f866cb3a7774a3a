// bench/bench_args.h — numbers from a bench's command line, checked.
//
// atoi and friends read "abc" as 0 and "12x" as 12, so a typo silently benchmarks
// something else. These parse the whole value or stop the bench: on anything else they
// print "FLAG: expected a number, got 'VALUE'" to stderr and exit with status 2 (a
// usage error, as the benches' own usage messages exit).
#pragma once

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

namespace trove::bench {

template <typename T>
T number_arg(const std::string& value, const char* flag) {
  T out{};
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, out);
  if (value.empty() || ec != std::errc() || ptr != end) {
    std::fprintf(stderr, "%s: expected a number, got '%s'\n", flag, value.c_str());
    std::exit(2);
  }
  return out;
}

inline int int_arg(const std::string& value, const char* flag) {
  return number_arg<int>(value, flag);
}

inline int64_t int64_arg(const std::string& value, const char* flag) {
  return number_arg<int64_t>(value, flag);
}

inline double double_arg(const std::string& value, const char* flag) {
  return number_arg<double>(value, flag);
}

}  // namespace trove::bench
