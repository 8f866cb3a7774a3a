// serve/json_schema.cc — see json_schema.h.
#include "serve/json_schema.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace trove::serve {
namespace {

json int_or_null(int v) {
  return v > 0 ? json(v) : json(nullptr);
}

// Folds newlines and tabs to single spaces, with no space at the start and none
// doubled after one: how a snippet is printed on one line.
class SnippetFolder {
 public:
  void add(char c, std::string& out) {
    if (c == '\n' || c == '\r' || c == '\t') {
      if (!last_space_) out += ' ';
      last_space_ = true;
    } else {
      out += c;
      last_space_ = c == ' ';
    }
  }

 private:
  bool last_space_ = true;
};

}  // namespace

json versioned(const json& body) {
  json j = {{"json_version", kJsonVersion}};
  j.update(body);
  return j;
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json number(double v) {
  if (!std::isfinite(v)) return nullptr;
  // Through the decimal text, so the value printed is the six-digit one, exactly.
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  const double r = std::strtod(buf, nullptr);
  // Whole numbers as integers ("0", not "0.0"), as %g writes them.
  if (r == std::trunc(r) && std::fabs(r) < 1e15) return static_cast<int64_t>(r);
  return r;
}

std::string plain_snippet(const std::string& snippet) {
  std::string out;
  out.reserve(snippet.size());
  SnippetFolder fold;
  for (char c : snippet)
    if (c != index::kMatchOpen && c != index::kMatchClose) fold.add(c, out);
  return out;
}

json snippet_spans(const std::string& snippet) {
  json spans = json::array();
  std::string cur;
  SnippetFolder fold;
  for (char c : snippet) {
    if (c == index::kMatchOpen || c == index::kMatchClose) {
      spans.push_back(cur);
      cur.clear();
      // An open marker after an odd count (or a close after an even one) means the
      // markers are unbalanced; keep the plain/match alternation anyway.
      if ((c == index::kMatchOpen) != (spans.size() % 2 == 1)) spans.push_back("");
    } else {
      fold.add(c, cur);
    }
  }
  spans.push_back(cur);
  if (spans.size() % 2 == 0) spans.push_back("");  // an unclosed match: end on plain text
  return spans;
}

json hit_json(const index::SearchHit& h, Snippet snippet) {
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
            {"score", number(h.score)}};
  if (snippet != Snippet::kNone) j["snippet"] = plain_snippet(h.snippet);
  if (snippet == Snippet::kWithSpans) j["snippet_spans"] = snippet_spans(h.snippet);
  j["text"] = h.text;
  return j;
}

json sources_json(const std::vector<index::SearchHit>& hits) {
  json sources = json::array();
  for (size_t i = 0; i < hits.size(); ++i) {
    json s = {{"n", static_cast<int64_t>(i + 1)}};
    s.update(hit_json(hits[i], Snippet::kNone));
    sources.push_back(std::move(s));
  }
  return sources;
}

json sentence_json(const answer::SentenceCheck& s) {
  json j = {{"text", s.text},
            {"start", s.start},
            {"end", s.end},
            {"citations", s.citations},
            {"verdict", answer::verdict_name(s.verdict)},
            {"kind", s.kind == answer::UnsupportedKind::kNone ? json(nullptr)
                                                              : json(answer::kind_name(s.kind))}};
  if (!s.reason.empty()) j["reason"] = s.reason;
  if (s.true_of != 0) j["true_of"] = s.true_of;
  j["coverage"] = number(s.coverage);
  json evidence = json::array();
  for (const auto& e : s.evidence)
    evidence.push_back({{"n", e.n}, {"start", e.start}, {"end", e.end}, {"quote", e.quote}});
  j["evidence"] = std::move(evidence);
  return j;
}

json verification_json(const answer::VerifyReport& report, const std::vector<bool>* shown) {
  json sentences = json::array();
  for (size_t i = 0; i < report.sentences.size(); ++i) {
    json s = sentence_json(report.sentences[i]);
    if (shown && i < shown->size()) s["shown"] = static_cast<bool>((*shown)[i]);
    sentences.push_back(std::move(s));
  }
  return {{"sentences", std::move(sentences)},
          {"supported", report.supported},
          {"total", report.total}};
}

json answer_json(const answer::Answer& a) {
  json j = {{"answer", a.text},
            {"citations", a.cited},
            {"invalid_citations", a.invalid},
            {"sources", sources_json(a.sources)},
            {"model", a.model_name.empty() ? json(nullptr) : json(a.model_name)},
            {"extractive", a.kind == answer::AnswerKind::kExtractive}};
  if (a.kind == answer::AnswerKind::kGenerated) {
    // Sentence offsets are into "generated" (the answer before strict left any out).
    j["generated"] = a.generated;
    j["strict"] = a.strict;
    j["abstained"] = a.abstained;
    std::vector<bool> shown;
    for (const auto& s : a.verification.sentences) shown.push_back(answer::sentence_shown(a, s));
    j.update(verification_json(a.verification, &shown));
    j["thinking"] = a.thinking.empty() ? json(nullptr) : json(a.thinking);
  }
  if (!a.note.empty()) j["note"] = a.note;
  if (!a.log_id.empty()) j["log_id"] = a.log_id;
  json t = {{"retrieval_ms", number(a.retrieval_ms)}};
  if (a.search_stats.reranked > 0) {
    t["rerank_ms"] = number(a.search_stats.rerank_ms);
    t["reranked"] = static_cast<int64_t>(a.search_stats.reranked);
  }
  t.update({{"prompt_ms", number(a.prompt_ms)},
            {"generation_ms", number(a.generation_ms)},
            {"prompt_tokens", a.prompt_tokens},
            {"generated_tokens", a.generated_tokens},
            {"tokens_per_s", number(a.tokens_per_second())}});
  j["timings"] = std::move(t);
  return j;
}

json run_report_json(const answer::RunReport& r, std::optional<int> exit_code) {
  const index::IndexSummary& s = r.summary;
  const index::VectorSyncStats& v = r.vectors;
  json j = {{"ok", r.ok()}, {"partial", r.partial()}};
  if (exit_code) j["exit_code"] = *exit_code;
  j.update({{"run_id", s.run_id},
            {"files", s.files},
            {"added", s.added},
            {"updated", s.updated},
            {"unchanged", s.unchanged},
            {"moved", s.moved},
            {"removed", s.removed},
            {"failed", s.failed},
            {"skipped", s.skipped},
            {"seconds", number(s.seconds)}});
  if (r.embedded) {
    j["model"] = r.model_name;
  } else {
    j["model"] = nullptr;
    j["lexical_only_reason"] = r.no_model_reason;
  }
  j.update({{"embedded", v.embedded},
            {"vectors_removed", v.removed},
            {"embed_seconds", number(v.seconds)}});
  if (!r.vector_error.empty()) {
    j["error"] = r.model_problem ? "model" : "vectors";
    j["message"] = r.vector_error;
  }
  json failures = json::array(), skips = json::array();
  for (const auto& f : s.failures)
    failures.push_back({{"path", f.path}, {"reason", f.reason}, {"detail", f.detail}});
  for (const auto& f : s.skips) skips.push_back({{"path", f.path}, {"reason", f.detail}});
  j["failures"] = std::move(failures);
  j["skipped_files"] = std::move(skips);
  j["source_errors"] = s.source_errors;
  return j;
}

json embeddings_json(const answer::EmbedStatus& e) {
  json model = nullptr;
  if (e.model) {
    const auto& m = *e.model;
    model = {{"name", m.name},
             {"arch", m.arch},
             {"dim", static_cast<int64_t>(m.dim)},
             {"sha256", m.sha256},
             {"path", m.path}};
  }
  json j = {{"model", std::move(model)},
            {"vectors", e.vectors},
            {"chunks", e.chunks},
            {"pending", e.chunks - e.vectors > 0 ? e.chunks - e.vectors : 0},
            {"pending_deletes", e.pending_deletes},
            {"generation", e.generation},
            {"faiss", e.faiss_state},
            {"semantic_available", e.lexical_reason.empty()}};
  if (!e.lexical_reason.empty()) j["lexical_only_reason"] = e.lexical_reason;
  return j;
}

json status_json(const std::string& home, const index::LibraryStatus& s,
                 const answer::EmbedStatus* e) {
  json sources = json::array(), types = json::array(), failures = json::array(),
       skipped = json::array(), runs = json::array();
  for (const auto& src : s.sources) {
    sources.push_back({{"root", src.root},
                       {"documents", src.documents},
                       {"chunks", src.chunks},
                       {"failed", src.failed}});
  }
  for (const auto& t : s.types)
    types.push_back({{"type", t.type}, {"documents", t.documents}, {"chunks", t.chunks}});
  for (const auto& f : s.failures) {
    failures.push_back({{"path", f.path},
                        {"reason", f.reason},
                        {"detail", f.detail},
                        {"kept_old_chunks", f.kept_old_chunks}});
  }
  for (const auto& f : s.skipped_files) skipped.push_back({{"path", f.path}, {"reason", f.detail}});
  auto run_json = [](const index::RunStatus& r) -> json {
    return {{"id", r.id},
            {"status", r.status},
            {"started_at_ms", r.started_at_ms},
            {"ended_at_ms", r.ended_at_ms},
            {"files", r.files},
            {"added", r.added},
            {"updated", r.updated},
            {"unchanged", r.unchanged},
            {"moved", r.moved},
            {"removed", r.removed},
            {"failed", r.failed},
            {"skipped", r.skipped},
            {"error", r.error}};
  };
  for (const auto& r : s.recent_runs) runs.push_back(run_json(r));
  json j = {{"home", home},
            {"schema_version", s.schema_version},
            {"documents", s.documents},
            {"chunks", s.chunks},
            {"failed", s.failed},
            {"skipped", s.skipped},
            {"sources", std::move(sources)},
            {"types", std::move(types)},
            {"failures", std::move(failures)},
            {"skipped_files", std::move(skipped)},
            {"last_run", s.last_run ? run_json(*s.last_run) : json(nullptr)},
            {"runs", std::move(runs)},
            {"ocr",
             {{"pages", s.ocr.pages},
              {"seconds", number(s.ocr.seconds)},
              {"pages_last_run", s.ocr.pages_last_run},
              {"cache_hits_last_run", s.ocr.hits_last_run}}},
            {"forgotten", s.exclusions}};
  if (e) j["embeddings"] = embeddings_json(*e);
  return j;
}

}  // namespace trove::serve
