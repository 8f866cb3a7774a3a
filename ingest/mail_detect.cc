// ingest/mail_detect.cc — recognising mbox and e-mail files (rules in mail_detect.h).
#include "ingest/mail_detect.h"

#include <cctype>
#include <string>

namespace trove::ingest {
namespace {

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::string lower_ext(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? std::string() : lower(base.substr(dot + 1));
}

bool textual(std::string_view b) {
  for (char c : b) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u == 0 || (u < 0x20 && u != '\t' && u != '\n' && u != '\r')) return false;
  }
  return true;
}

bool header_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// Scores the header block at the start of b (the part of it inside the sample).
bool looks_like_headers(std::string_view b) {
  int known = 0;
  bool strong = false;
  size_t pos = 0;
  int lines = 0;
  while (pos < b.size() && lines < 200) {
    size_t eol = b.find('\n', pos);
    if (eol == std::string_view::npos) break;  // a cut-off line at the sample's end
    std::string_view line = b.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = eol + 1;
    ++lines;
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {
      if (lines == 1) return false;
      continue;  // folded continuation
    }
    size_t colon = 0;
    while (colon < line.size() && header_name_char(line[colon])) ++colon;
    if (colon == 0 || colon >= line.size() || line[colon] != ':') return false;
    std::string name = lower(line.substr(0, colon));
    for (const char* k : {"from", "to", "subject", "date", "message-id", "mime-version", "received",
                          "return-path"}) {
      if (name != k) continue;
      ++known;
      if (name == "message-id" || name == "mime-version" || name == "received" ||
          name == "return-path") {
        strong = true;
      }
    }
  }
  return known >= 3 && strong;
}

}  // namespace

bool is_mbox_postmark(std::string_view line) {
  if (line.compare(0, 5, "From ") != 0) return false;
  for (size_t i = 6; i + 1 < line.size(); ++i) {
    if (line[i] == ':' && std::isdigit(static_cast<unsigned char>(line[i - 1])) &&
        std::isdigit(static_cast<unsigned char>(line[i + 1]))) {
      return true;
    }
  }
  return false;
}

DocType detect_mail(std::string_view path, std::string_view b) {
  std::string_view sample = b.substr(0, 4096);
  if (!textual(sample.substr(0, 1024))) return DocType::kUnknown;
  size_t eol = sample.find('\n');
  std::string_view first = sample.substr(0, eol == std::string_view::npos ? sample.size() : eol);
  const std::string ext = lower_ext(path);
  if (is_mbox_postmark(first)) return DocType::kMbox;
  if (ext == "mbox" && first.compare(0, 5, "From ") == 0) return DocType::kMbox;
  if (ext == "eml" && !b.empty()) return DocType::kEmail;
  if (looks_like_headers(sample)) return DocType::kEmail;
  return DocType::kUnknown;
}

}  // namespace trove::ingest
