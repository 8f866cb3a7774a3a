// core/parse_int.h — a whole string as an integer, or nothing.
//
// atoi says 0 for garbage and overflows silently (clang-tidy's cert-err34-c); a value
// read from a file (an XML attribute, a metadata row) must be told apart from a bad one.
#pragma once

#include <charconv>
#include <optional>
#include <string_view>

namespace trove {

// The decimal integer that is all of `s` (a leading '-' allowed; no spaces, no '+'),
// or nullopt when `s` is empty, has anything else in it, or does not fit in T.
template <class T = int>
std::optional<T> parse_int(std::string_view s) {
  T v{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace trove
