// serve/json_schema.cc — see json_schema.h.
#include "serve/json_schema.h"

namespace trove::serve {
namespace {

json int_or_null(int v) { return v > 0 ? json(v) : json(nullptr); }

}  // namespace

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string plain_snippet(const std::string& snippet) {
  std::string out;
  out.reserve(snippet.size());
  for (char c : snippet) {
    if (c == index::kMatchOpen || c == index::kMatchClose) continue;
    if (c == '\n' || c == '\r' || c == '\t') {
      if (out.empty() || out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

json snippet_spans(const std::string& snippet) {
  json spans = json::array();
  std::string cur;
  for (char c : snippet) {
    if (c == index::kMatchOpen || c == index::kMatchClose) {
      spans.push_back(cur);
      cur.clear();
      // An open marker after an odd count (or a close after an even one) means the
      // markers are unbalanced; keep the plain/match alternation anyway.
      if ((c == index::kMatchOpen) != (spans.size() % 2 == 1)) spans.push_back("");
    } else if (c == '\n' || c == '\r' || c == '\t') {
      if (cur.empty() || cur.back() != ' ') cur += ' ';
    } else {
      cur += c;
    }
  }
  spans.push_back(cur);
  if (spans.size() % 2 == 0) spans.push_back("");  // an unclosed match: end on plain text
  return spans;
}

json hit_json(const index::SearchHit& h, bool with_snippet) {
  json j = {{"chunk_id", h.chunk_id},
            {"path", h.path},
            {"rel_path", h.rel_path},
            {"title", h.title},
            {"type", h.type},
            {"heading", h.heading},
            {"page_start", int_or_null(h.page_start)},
            {"page_end", int_or_null(h.page_end)},
            {"line_start", int_or_null(h.line_start)},
            {"line_end", int_or_null(h.line_end)},
            {"score", h.score}};
  if (with_snippet) {
    j["snippet"] = plain_snippet(h.snippet);
    j["snippet_spans"] = snippet_spans(h.snippet);
  }
  j["text"] = h.text;
  return j;
}

json answer_json(const answer::Answer& a) {
  json sources = json::array();
  for (size_t i = 0; i < a.sources.size(); ++i) {
    json s = {{"n", static_cast<int64_t>(i + 1)}};
    s.update(hit_json(a.sources[i], false));
    sources.push_back(std::move(s));
  }
  const double tps = a.generation_ms > 0 ? a.generated_tokens * 1000.0 / a.generation_ms : 0;
  json j = {{"answer", a.text},
            {"citations", a.cited},
            {"invalid_citations", a.invalid},
            {"sources", std::move(sources)},
            {"model", a.model_name.empty() ? json(nullptr) : json(a.model_name)},
            {"extractive", a.kind == answer::AnswerKind::kExtractive}};
  if (!a.note.empty()) j["note"] = a.note;
  j["timings"] = {{"retrieval_ms", a.retrieval_ms},         {"prompt_ms", a.prompt_ms},
                  {"generation_ms", a.generation_ms},       {"prompt_tokens", a.prompt_tokens},
                  {"generated_tokens", a.generated_tokens}, {"tokens_per_s", tps}};
  return j;
}

json run_report_json(const answer::RunReport& r) {
  const index::IndexSummary& s = r.summary;
  json failures = json::array();
  for (const auto& f : s.failures)
    failures.push_back({{"path", f.path}, {"reason", f.reason}, {"detail", f.detail}});
  json j = {{"ok", r.ok()},
            {"run_id", s.run_id},
            {"files", s.files},
            {"added", s.added},
            {"updated", s.updated},
            {"unchanged", s.unchanged},
            {"moved", s.moved},
            {"removed", s.removed},
            {"failed", s.failed},
            {"seconds", s.seconds},
            {"model", r.embedded ? json(r.model_name) : json(nullptr)},
            {"embedded", r.vectors.embedded},
            {"vectors_removed", r.vectors.removed},
            {"embed_seconds", r.vectors.seconds}};
  if (!r.vector_error.empty()) j["error"] = r.vector_error;
  j["failures"] = std::move(failures);
  j["source_errors"] = s.source_errors;
  return j;
}

}  // namespace trove::serve
