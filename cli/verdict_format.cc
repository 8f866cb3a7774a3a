// cli/verdict_format.cc — see verdict_format.h.
#include "cli/verdict_format.h"

namespace trove::cli {
namespace {

std::string mark_for(const answer::SentenceCheck& s) {
  switch (s.verdict) {
    case answer::Verdict::kSupported: return "";
    case answer::Verdict::kUncited: return "uncited";
    case answer::Verdict::kUnsupported: return "unsupported: " + std::string(answer::kind_name(s.kind));
  }
  return "";
}

void append_evidence(std::string& out, const answer::SentenceCheck& s, const Style& st) {
  for (const auto& e : s.evidence) {
    out += "    " + st.dim + "[" + std::to_string(e.n) + "] \u201c" + e.quote + "\u201d" + st.reset + "\n";
  }
}

}  // namespace

void write_verification_json(JsonWriter& w, const answer::VerifyReport& report,
                             const std::vector<bool>* shown) {
  w.key("sentences").begin_array();
  for (size_t i = 0; i < report.sentences.size(); ++i) {
    const answer::SentenceCheck& s = report.sentences[i];
    w.begin_object();
    w.key("text").value(s.text);
    w.key("start").value(static_cast<int64_t>(s.start));
    w.key("end").value(static_cast<int64_t>(s.end));
    w.key("citations").begin_array();
    for (int64_t n : s.citations) w.value(n);
    w.end_array();
    w.key("verdict").value(answer::verdict_name(s.verdict));
    w.key("kind");
    if (s.kind == answer::UnsupportedKind::kNone) {
      w.null();
    } else {
      w.value(answer::kind_name(s.kind));
    }
    if (!s.reason.empty()) w.key("reason").value(s.reason);
    if (s.true_of != 0) w.key("true_of").value(s.true_of);
    w.key("coverage").value(s.coverage);
    w.key("evidence").begin_array();
    for (const auto& e : s.evidence) {
      w.begin_object();
      w.key("n").value(e.n);
      w.key("start").value(static_cast<int64_t>(e.start));
      w.key("end").value(static_cast<int64_t>(e.end));
      w.key("quote").value(e.quote);
      w.end_object();
    }
    w.end_array();
    if (shown && i < shown->size()) w.key("shown").value(static_cast<bool>((*shown)[i]));
    w.end_object();
  }
  w.end_array();
  w.key("supported").value(report.supported);
  w.key("total").value(report.total);
}

std::string format_verification_text(const answer::VerifyReport& report, const Style& st, bool show_evidence) {
  std::string out;
  for (const auto& s : report.sentences) {
    switch (s.verdict) {
      case answer::Verdict::kSupported:
        out += "\u2713 " + s.text + "\n";
        break;
      case answer::Verdict::kUncited:
        out += st.dim + "? " + s.text + "  [uncited]" + st.reset + "\n";
        break;
      case answer::Verdict::kUnsupported:
        out += st.error + "\u2717 " + s.text + st.reset + "  [" + mark_for(s) + "]\n";
        if (!s.reason.empty()) out += "    " + s.reason + "\n";
        break;
    }
    if (show_evidence || s.verdict == answer::Verdict::kUnsupported) append_evidence(out, s, st);
  }
  out += std::to_string(report.supported) + " of " + std::to_string(report.total) +
         (report.total == 1 ? " sentence" : " sentences") + " supported\n";
  return out;
}

std::string format_marked_sentence(const answer::SentenceCheck& s, const Style& st) {
  if (s.verdict == answer::Verdict::kSupported) return s.text;
  return st.error + s.text + st.reset + " " + st.dim + "[" + mark_for(s) +
         (s.reason.empty() ? "" : " \u2014 " + s.reason) + "]" + st.reset;
}

std::string format_evidence(const answer::SentenceCheck& s, const Style& st) {
  std::string out;
  append_evidence(out, s, st);
  return out;
}

}  // namespace trove::cli
