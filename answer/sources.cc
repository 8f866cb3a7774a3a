// answer/sources.cc — see sources.h.
#include "answer/sources.h"

#include "index/hybrid_retriever.h"
#include "index/stopwords.h"

namespace trove::answer {

bool lexical_hit_relevant(const index::SearchHit& hit) {
  const std::string& s = hit.snippet;
  size_t at = 0;
  while ((at = s.find(index::kMatchOpen, at)) != std::string::npos) {
    size_t end = s.find(index::kMatchClose, at + 1);
    if (end == std::string::npos) break;
    std::string word = s.substr(at + 1, end - at - 1);
    if (word.size() >= 2 && !index::is_stop_word(word)) return true;
    at = end + 1;
  }
  return false;
}

std::vector<index::SearchHit> relevant_passages(const std::vector<index::SearchHit>& lexical,
                                                const std::vector<index::SearchHit>* dense,
                                                int k) {
  std::vector<index::SearchHit> lex_ok;
  for (const auto& h : lexical)
    if (lexical_hit_relevant(h)) lex_ok.push_back(h);
  if (!dense) {
    if (static_cast<int>(lex_ok.size()) > k) lex_ok.resize(k);
    return lex_ok;
  }
  return index::rrf_fuse({lex_ok, *dense}, k);
}

std::string format_span(const index::SearchHit& h) {
  if (h.page_start > 0) {
    if (h.page_end > h.page_start) {
      return "pp. " + std::to_string(h.page_start) + "-" + std::to_string(h.page_end);
    }
    return "p. " + std::to_string(h.page_start);
  }
  if (h.line_start > 0) {
    if (h.line_end > h.line_start) {
      return "lines " + std::to_string(h.line_start) + "-" + std::to_string(h.line_end);
    }
    return "line " + std::to_string(h.line_start);
  }
  // Word processors and e-books have no pages or source lines: the heading path is the
  // location. An EPUB's first heading is its chapter; elsewhere the innermost heading
  // is the section.
  if (h.heading.empty()) return "";
  const std::string sep = " > ";
  if (h.type == "epub") {
    size_t cut = h.heading.find(sep);
    return "chapter " + h.heading.substr(0, cut);
  }
  if (h.type != "docx" && h.type != "odt") return "";  // e.g. a message: its label says it
  size_t cut = h.heading.rfind(sep);
  return "section " + (cut == std::string::npos ? h.heading : h.heading.substr(cut + sep.size()));
}

std::string source_label(const index::SearchHit& hit, bool absolute_path) {
  std::string label = absolute_path || hit.rel_path.empty() ? hit.path : hit.rel_path;
  std::string span = format_span(hit);
  if (!span.empty()) label += ", " + span;
  if (!hit.heading.empty()) label += " — " + hit.heading;
  return label;
}

}  // namespace trove::answer
