// cli/search_output.cc — search hits as lines, groups, files or counts (see
// search_output.h).
#include "cli/search_output.h"

#include <cstdio>
#include <string>
#include <utility>

#include "cli/hit_line.h"
#include "cli/passage_format.h"
#include "cli/printable.h"

namespace trove::cli {
namespace {

// The hit's location: its source line, else its page or section label, else "".
std::string location(const index::SearchHit& h) {
  const int line = hit_line(h);
  if (line > 0) return std::to_string(line);
  return printable(format_span(h));
}

// Files in the order of their best hit, each with its hits in rank order.
std::vector<std::pair<std::string, std::vector<const index::SearchHit*>>> by_file(
    const std::vector<index::SearchHit>& hits) {
  std::vector<std::pair<std::string, std::vector<const index::SearchHit*>>> files;
  for (const auto& h : hits) {
    auto it = files.begin();
    while (it != files.end() && it->first != h.path) ++it;
    if (it == files.end()) {
      files.emplace_back(h.path, std::vector<const index::SearchHit*>{});
      it = files.end() - 1;
    }
    it->second.push_back(&h);
  }
  return files;
}

void print_flat(const std::vector<index::SearchHit>& hits, const Style& st) {
  for (const auto& h : hits) {
    const std::string loc = location(h);
    std::printf("%s%s%s:", st.path.c_str(), printable(h.path).c_str(), st.reset.c_str());
    if (!loc.empty()) std::printf("%s%s%s:", st.line.c_str(), loc.c_str(), st.reset.c_str());
    std::printf(" %s\n", render_snippet(h.snippet, st).c_str());
  }
}

void print_grouped(const std::vector<index::SearchHit>& hits, const Style& st) {
  bool first = true;
  for (const auto& [path, file_hits] : by_file(hits)) {
    if (!first) std::fputc('\n', stdout);
    first = false;
    std::printf("%s%s%s\n", st.path.c_str(), printable(path).c_str(), st.reset.c_str());
    for (const index::SearchHit* h : file_hits) {
      const std::string loc = location(*h);
      if (!loc.empty()) std::printf("%s%s%s: ", st.line.c_str(), loc.c_str(), st.reset.c_str());
      if (!h->heading.empty()) {
        std::printf("%s%s%s  ", st.heading.c_str(), printable(h->heading).c_str(),
                    st.reset.c_str());
      }
      std::printf("%s[%.2f] #%lld%s\n", st.dim.c_str(), h->score,
                  static_cast<long long>(h->chunk_id), st.reset.c_str());
      std::printf("    %s\n", render_snippet(h->snippet, st).c_str());
    }
  }
}

void print_files(const std::vector<index::SearchHit>& hits, const Style& st, bool counts) {
  for (const auto& [path, file_hits] : by_file(hits)) {
    std::printf("%s%s%s", st.path.c_str(), printable(path).c_str(), st.reset.c_str());
    if (counts) std::printf(":%zu", file_hits.size());
    std::fputc('\n', stdout);
  }
}

}  // namespace

void print_hits(const std::vector<index::SearchHit>& hits, SearchLayout layout,
                const Style& style) {
  switch (layout) {
    case SearchLayout::kFlat:
      print_flat(hits, style);
      return;
    case SearchLayout::kGrouped:
      print_grouped(hits, style);
      return;
    case SearchLayout::kFiles:
      print_files(hits, style, /*counts=*/false);
      return;
    case SearchLayout::kCount:
      print_files(hits, style, /*counts=*/true);
      return;
  }
}

}  // namespace trove::cli
