// cli/passage_format.cc — passage location, snippet and JSON (see passage_format.h).
#include "cli/passage_format.h"

namespace trove::cli {

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
