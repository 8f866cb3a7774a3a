// generate/think_filter.cc — see think_filter.h.
#include "generate/think_filter.h"

#include <algorithm>

namespace trove {
namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";

// Length of the longest suffix of s that is a proper prefix of tag.
size_t partial_tag_suffix(std::string_view s, std::string_view tag) {
  for (size_t n = std::min(s.size(), tag.size() - 1); n > 0; --n) {
    if (s.substr(s.size() - n) == tag.substr(0, n)) return n;
  }
  return 0;
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

}  // namespace

ThinkSplit ThinkFilter::feed(std::string_view text) {
  ThinkSplit out;
  std::string buf = std::move(held_);
  held_.clear();
  buf += text;
  std::string_view rest = buf;
  while (!rest.empty()) {
    if (inside_) {
      const size_t at = rest.find(kClose);
      if (at == std::string_view::npos) {
        const size_t keep = partial_tag_suffix(rest, kClose);
        out.thinking += rest.substr(0, rest.size() - keep);
        held_ = std::string(rest.substr(rest.size() - keep));
        return out;
      }
      out.thinking += rest.substr(0, at);
      rest.remove_prefix(at + kClose.size());
      inside_ = false;
      after_close_ = true;
      continue;
    }
    if (after_close_) {
      while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
      if (rest.empty()) return out;
      after_close_ = false;
    }
    const size_t at = rest.find(kOpen);
    if (at == std::string_view::npos) {
      const size_t keep = partial_tag_suffix(rest, kOpen);
      out.answer += rest.substr(0, rest.size() - keep);
      held_ = std::string(rest.substr(rest.size() - keep));
      return out;
    }
    out.answer += rest.substr(0, at);
    rest.remove_prefix(at + kOpen.size());
    inside_ = true;
    saw_thinking_ = true;
  }
  return out;
}

ThinkSplit ThinkFilter::finish() {
  ThinkSplit out;
  if (inside_) {
    out.thinking = std::move(held_);
  } else if (!after_close_) {
    out.answer = std::move(held_);
  }
  held_.clear();
  return out;
}

ThinkSplit split_thinking(std::string_view text, bool starts_inside) {
  ThinkFilter f(starts_inside);
  ThinkSplit a = f.feed(text);
  ThinkSplit b = f.finish();
  a.answer += b.answer;
  a.thinking += b.thinking;
  return a;
}

}  // namespace trove
