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

#include "core/parse_int.h"

namespace trove::bench {

[[noreturn]] inline void bad_number(const std::string& value, const char* flag) {
  std::fprintf(stderr, "%s: expected a number, got '%s'\n", flag, value.c_str());
  std::exit(2);
}

// The whole-string integer rule is core/parse_int.h's, the one the library uses.
inline int int_arg(const std::string& value, const char* flag) {
  if (auto v = parse_int<int>(value)) return *v;
  bad_number(value, flag);
}

inline int64_t int64_arg(const std::string& value, const char* flag) {
  if (auto v = parse_int<int64_t>(value)) return *v;
  bad_number(value, flag);
}

// parse_int has no floating-point twin: from_chars, with the same whole-string rule.
inline double double_arg(const std::string& value, const char* flag) {
  double out = 0;
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, out);
  if (value.empty() || ec != std::errc() || ptr != end) bad_number(value, flag);
  return out;
}

}  // namespace trove::bench
