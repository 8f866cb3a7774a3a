// ingest/ignore_rules.cc — gitignore(5) pattern parsing and glob matching.
#include "ingest/ignore_rules.h"

#include <vector>

namespace trove::ingest {
namespace {

// Trailing spaces are trimmed unless escaped with a backslash (gitignore(5)).
std::string_view trim_trailing_spaces(std::string_view line) {
  size_t end = line.size();
  while (end > 0 && line[end - 1] == ' ') {
    size_t backslashes = 0;
    for (size_t i = end - 1; i > 0 && line[i - 1] == '\\'; --i) ++backslashes;
    if (backslashes % 2 == 1) break;  // "\ " keeps the space
    --end;
  }
  return line.substr(0, end);
}

// Matches a bracket expression at pattern[pi] ('[' already seen at pi-1).
// Returns the index after ']' or npos when the bracket is unterminated.
size_t match_bracket(std::string_view p, size_t pi, unsigned char c, bool* matched) {
  bool negate = false;
  if (pi < p.size() && (p[pi] == '!' || p[pi] == '^')) {
    negate = true;
    ++pi;
  }
  bool hit = false;
  bool first = true;
  while (pi < p.size() && (first || p[pi] != ']')) {
    first = false;
    unsigned char lo = static_cast<unsigned char>(p[pi]);
    if (lo == '\\' && pi + 1 < p.size()) lo = static_cast<unsigned char>(p[++pi]);
    ++pi;
    unsigned char hi = lo;
    if (pi + 1 < p.size() && p[pi] == '-' && p[pi + 1] != ']') {
      hi = static_cast<unsigned char>(p[pi + 1]);
      if (hi == '\\' && pi + 2 < p.size()) {
        hi = static_cast<unsigned char>(p[pi + 2]);
        ++pi;
      }
      pi += 2;
    }
    if (c >= lo && c <= hi) hit = true;
  }
  if (pi >= p.size()) return std::string_view::npos;
  *matched = (hit != negate) && c != '/';
  return pi + 1;
}

// Iterative wildcard matching with single-star backtracking inside a segment and
// '**' spanning segments. Recursion depth is bounded by the number of "**" in the
// pattern (patterns are short, written by the user), never by the path length.
bool match_from(std::string_view p, size_t pi, std::string_view s, size_t si) {
  size_t star_p = std::string_view::npos, star_s = 0;
  while (si < s.size() || pi < p.size()) {
    if (pi < p.size()) {
      char pc = p[pi];
      if (pc == '*' && pi + 1 < p.size() && p[pi + 1] == '*') {
        // '**' is special only as a whole segment: "**/", "/**", "/**/".
        bool seg_start = pi == 0 || p[pi - 1] == '/';
        size_t after = pi + 2;
        bool seg_end = after == p.size() || p[after] == '/';
        if (seg_start && seg_end) {
          if (after == p.size()) return true;  // "x/**" matches everything below
          // "**/rest": rest may match at s[si] or after any '/' that follows.
          for (size_t k = si;; ++k) {
            if ((k == si || s[k - 1] == '/') && match_from(p, after + 1, s, k)) return true;
            if (k >= s.size()) return false;
          }
        }
        // otherwise treat like a single '*'
        star_p = pi;
        star_s = si;
        pi += 2;
        continue;
      }
      if (pc == '*') {
        star_p = pi++;
        star_s = si;
        continue;
      }
      if (si < s.size()) {
        unsigned char sc = static_cast<unsigned char>(s[si]);
        if (pc == '?' && sc != '/') {
          ++pi, ++si;
          continue;
        }
        if (pc == '[') {
          bool matched = false;
          size_t next = match_bracket(p, pi + 1, sc, &matched);
          if (next != std::string_view::npos) {
            if (matched) {
              pi = next, ++si;
              continue;
            }
          } else if (sc == '[') {  // unterminated '[' matches itself
            ++pi, ++si;
            continue;
          }
        } else if (pc == '\\' && pi + 1 < p.size()) {
          if (static_cast<unsigned char>(p[pi + 1]) == sc) {
            pi += 2, ++si;
            continue;
          }
        } else if (pc != '?' && static_cast<unsigned char>(pc) == sc) {
          ++pi, ++si;
          continue;
        }
      }
    }
    // Mismatch: let the last '*' swallow one more character, but never a '/'.
    if (star_p != std::string_view::npos && star_s < s.size() && s[star_s] != '/') {
      pi = star_p + 1;
      if (pi < p.size() && p[pi] == '*') ++pi;
      si = ++star_s;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  return match_from(pattern, 0, path, 0);
}

IgnoreRules IgnoreRules::parse(std::string_view text) {
  IgnoreRules out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    line = trim_trailing_spaces(line);
    if (line.empty()) continue;
    Rule r;
    if (line[0] == '!') {
      r.negate = true;
      line.remove_prefix(1);
    }
    if (!line.empty() && line.back() == '/') {
      size_t bs = 0;
      for (size_t i = line.size() - 1; i > 0 && line[i - 1] == '\\'; --i) ++bs;
      if (bs % 2 == 0) {
        r.dir_only = true;
        line.remove_suffix(1);
      }
    }
    r.anchored = line.find('/') != std::string_view::npos;
    if (!line.empty() && line[0] == '/') line.remove_prefix(1);
    if (line.empty()) continue;
    r.pattern = std::string(line);
    out.rules_.push_back(std::move(r));
    if (nl == text.size()) break;
  }
  return out;
}

std::optional<bool> IgnoreRules::match(std::string_view rel_path, bool is_dir) const {
  std::string_view base = rel_path;
  if (size_t slash = rel_path.rfind('/'); slash != std::string_view::npos) {
    base = rel_path.substr(slash + 1);
  }
  // The last matching rule wins, so scan from the end.
  for (auto it = rules_.rbegin(); it != rules_.rend(); ++it) {
    if (it->dir_only && !is_dir) continue;
    bool hit = it->anchored ? glob_match(it->pattern, rel_path) : glob_match(it->pattern, base);
    if (hit) return !it->negate;
  }
  return std::nullopt;
}

}  // namespace trove::ingest
