// ingest/front_matter.cc — flat YAML/TOML front matter (see front_matter.h).
#include "ingest/front_matter.h"

#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

std::string unquote(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}

// "[a, b]" or "a" → "a, b" / "a".
std::string flow_list(std::string_view v) {
  v = trim(v);
  if (v.size() < 2 || v.front() != '[' || v.back() != ']') return unquote(v);
  v = v.substr(1, v.size() - 2);
  std::string out;
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t comma = v.find(',', pos);
    if (comma == std::string_view::npos) comma = v.size();
    std::string item = unquote(v.substr(pos, comma - pos));
    if (!item.empty()) out += (out.empty() ? "" : ", ") + item;
    pos = comma + 1;
  }
  return out;
}

}  // namespace

size_t read_front_matter(const std::vector<std::string_view>& lines,
                         std::map<std::string, std::string>* metadata) {
  if (lines.empty()) return 0;
  std::string_view first = trim(lines[0]);
  if (first != "---" && first != "+++") return 0;
  const bool toml = first == "+++";
  size_t end = 1;
  while (end < lines.size()) {
    std::string_view t = trim(lines[end]);
    if (toml ? t == "+++" : (t == "---" || t == "...")) break;
    ++end;
  }
  if (end >= lines.size()) return 0;  // unclosed: not front matter, just text
  std::string list_key;
  for (size_t k = 1; k < end; ++k) {
    std::string_view l = lines[k];
    std::string_view t = trim(l);
    if (t.empty() || t[0] == '#') continue;
    if (!list_key.empty() && t.size() > 1 && t[0] == '-' && (l[0] == ' ' || l[0] == '-')) {
      std::string& v = (*metadata)[list_key];
      std::string item = unquote(t.substr(1));
      if (!item.empty()) v += (v.empty() ? "" : ", ") + item;
      continue;
    }
    list_key.clear();
    if (l[0] == ' ' || l[0] == '\t') continue;  // nested mapping: not needed
    size_t sep = l.find(toml ? '=' : ':');
    if (sep == std::string_view::npos || sep == 0) continue;
    std::string key(trim(l.substr(0, sep)));
    std::string_view value = trim(l.substr(sep + 1));
    if (value.empty()) {
      list_key = key;  // a block list may follow
      continue;
    }
    if (value.size() > 4096) value = value.substr(0, 4096);
    (*metadata)[key] = flow_list(value);
  }
  return end + 1;
}

}  // namespace trove::ingest
