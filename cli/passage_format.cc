// cli/passage_format.cc — passage location, snippet and JSON (see passage_format.h).
#include "cli/passage_format.h"

#include "cli/printable.h"

namespace trove::cli {

std::string render_snippet(const std::string& snippet, const Style& style, bool for_terminal) {
  std::string out, run;
  out.reserve(snippet.size() + 32);
  bool last_space = true;  // no space at the start, none doubled
  const auto flush = [&] {
    out += for_terminal ? printable(run) : run;
    run.clear();
  };
  for (char c : snippet) {
    if (c == index::kMatchOpen) {
      flush();
      out += style.match;
    } else if (c == index::kMatchClose) {
      flush();
      out += style.reset;
    } else if (c == '\n' || c == '\r' || c == '\t') {
      if (!last_space) run += ' ';
      last_space = true;
    } else {
      run += c;
      last_space = c == ' ';
    }
  }
  flush();
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
  if (with_snippet)
    w.key("snippet").value(render_snippet(h.snippet, Style::plain(), /*for_terminal=*/false));
  w.key("text").value(h.text);
}

}  // namespace trove::cli
