// core/str_cat.h — joins pieces of text into one string with one allocation.
//
// `a + b + c` on std::string makes a temporary per `+`; in a loop that is an
// allocation per piece per iteration (clang-tidy's performance-inefficient-string-
// concatenation). str_cat sizes the result first, as Abseil's StrCat does.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace trove {

inline std::string str_cat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) out.append(p);
  return out;
}

}  // namespace trove
