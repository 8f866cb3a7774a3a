// embed/model_family.cc — see model_family.h.
#include "embed/model_family.h"

#include <cctype>

namespace trove {
namespace {

constexpr std::string_view kBgeQuery = "Represent this sentence for searching relevant passages: ";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// `word` occurs in s delimited by non-alphanumerics (so "e5" matches "multilingual-e5-small"
// but not "bge5x").
bool has_word(const std::string& s, std::string_view word) {
  for (size_t pos = s.find(word); pos != std::string::npos; pos = s.find(word, pos + 1)) {
    const bool left = pos == 0 || !is_alnum(s[pos - 1]);
    const size_t end = pos + word.size();
    const bool right = end == s.size() || !is_alnum(s[end]);
    if (left && right) return true;
  }
  return false;
}

bool family_of(std::string_view raw, EmbeddingPrefixes* out) {
  const std::string s = lower(raw);
  if (s.find("nomic") != std::string::npos) {
    *out = {"nomic", "search_query: ", "search_document: "};
  } else if (s.find("arctic") != std::string::npos) {
    *out = {"arctic-embed", std::string(kBgeQuery), ""};
  } else if (s.find("bge") != std::string::npos) {
    *out = {"bge", std::string(kBgeQuery), ""};
  } else if (has_word(s, "e5")) {
    *out = {"e5", "query: ", "passage: "};
  } else if (s.find("minilm") != std::string::npos) {
    *out = {"minilm", "", ""};
  } else {
    return false;
  }
  return true;
}

}  // namespace

EmbeddingPrefixes detect_prefixes(std::string_view name, std::string_view basename,
                                  std::string_view file_path) {
  // Only the file's own name, not the folders it sits in.
  const size_t slash = file_path.find_last_of('/');
  const std::string_view file_name =
      slash == std::string_view::npos ? file_path : file_path.substr(slash + 1);
  EmbeddingPrefixes p;
  for (std::string_view s : {name, basename, file_name}) {
    if (family_of(s, &p)) return p;
  }
  return {"unknown", "", ""};
}

}  // namespace trove
