// cli/hit_line.cc — the source line of a hit's first matched word (see hit_line.h).
#include "cli/hit_line.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace trove::cli {
namespace {

std::string ascii_lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The words between the match markers of a snippet, lower-cased, without repeats.
std::vector<std::string> marked_words(const std::string& snippet) {
  std::vector<std::string> words;
  size_t pos = 0;
  while ((pos = snippet.find(index::kMatchOpen, pos)) != std::string::npos) {
    const size_t end = snippet.find(index::kMatchClose, pos + 1);
    if (end == std::string::npos) break;
    std::string w = ascii_lower(snippet.substr(pos + 1, end - pos - 1));
    if (!w.empty() && std::find(words.begin(), words.end(), w) == words.end())
      words.push_back(std::move(w));
    pos = end + 1;
  }
  return words;
}

}  // namespace

int hit_line(const index::SearchHit& hit) {
  if (hit.line_start <= 0 || hit.page_start > 0) return 0;
  const std::vector<std::string> words = marked_words(hit.snippet);
  if (words.empty()) return hit.line_start;
  std::error_code ec;
  const auto size = std::filesystem::file_size(hit.path, ec);
  if (ec || size > kMaxScanBytes) return hit.line_start;
  std::ifstream in(hit.path, std::ios::binary);
  const int last = std::max(hit.line_start, hit.line_end);
  std::string line;
  for (int n = 1; n <= last && std::getline(in, line); ++n) {
    if (n < hit.line_start) continue;
    const std::string lower = ascii_lower(line);
    for (const auto& w : words) {
      if (lower.find(w) != std::string::npos) return n;
    }
  }
  return hit.line_start;
}

}  // namespace trove::cli
