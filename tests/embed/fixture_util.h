// tests/embed/fixture_util.h — reading the shared reference fixtures for embed tests.
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace trove::test {

inline std::string fixture(const std::string& rel) {
  return std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/" + rel;
}

inline std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// All integers in s, in order (ids lists like "[101, 1996, 102]" or "101 1996 102").
inline std::vector<int32_t> parse_ints(const std::string& s) {
  std::vector<int32_t> out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] >= '0' && s[i] <= '9') {
      size_t end = i;
      while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
      out.push_back(std::stoi(s.substr(i, end - i)));
      i = end;
    } else {
      ++i;
    }
  }
  return out;
}

// The "embedding" arrays of an OpenAI-style embeddings JSON, in file order.
inline std::vector<std::vector<float>> parse_embeddings_json(const std::string& json) {
  std::vector<std::vector<float>> out;
  const std::string key = "\"embedding\"";
  for (size_t pos = json.find(key); pos != std::string::npos; pos = json.find(key, pos)) {
    const size_t open = json.find('[', pos);
    const size_t close = json.find(']', open);
    std::vector<float> v;
    const char* p = json.c_str() + open + 1;
    const char* end = json.c_str() + close;
    while (p < end) {
      char* next = nullptr;
      const float f = std::strtof(p, &next);
      if (next == p) {
        ++p;
        continue;
      }
      v.push_back(f);
      p = next;
    }
    out.push_back(std::move(v));
    pos = close;
  }
  return out;
}

}  // namespace trove::test
