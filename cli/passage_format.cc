// cli/passage_format.cc — passage location, snippet and JSON (see passage_format.h).
#include "cli/passage_format.h"

namespace trove::cli {

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
  size_t cut = h.heading.rfind(sep);
  return "section " + (cut == std::string::npos ? h.heading : h.heading.substr(cut + sep.size()));
}

std::string render_snippet(const std::string& snippet, const Style& style) {
  std::string out;
  out.reserve(snippet.size() + 32);
  for (char c : snippet) {
    if (c == index::kMatchOpen) {
      out += style.match;
    } else if (c == index::kMatchClose) {
      out += style.reset;
    } else if (c == '\n' || c == '\r' || c == '\t') {
      if (out.empty() || out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

namespace {
void int_or_null(JsonWriter& w, const char* key, int v) {
  w.key(key);
  if (v > 0) {
    w.value(v);
  } else {
    w.null();
  }
}
}  // namespace

void write_hit_fields(JsonWriter& w, const index::SearchHit& h, bool with_snippet) {
  w.key("chunk_id").value(h.chunk_id);
  w.key("path").value(h.path);
  w.key("rel_path").value(h.rel_path);
  w.key("title").value(h.title);
  w.key("type").value(h.type);
  w.key("heading").value(h.heading);
  int_or_null(w, "page_start", h.page_start);
  int_or_null(w, "page_end", h.page_end);
  int_or_null(w, "line_start", h.line_start);
  int_or_null(w, "line_end", h.line_end);
  w.key("score").value(h.score);
  if (with_snippet) w.key("snippet").value(render_snippet(h.snippet, Style::plain()));
  w.key("text").value(h.text);
}

}  // namespace trove::cli
