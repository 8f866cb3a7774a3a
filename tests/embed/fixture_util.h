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

namespace trove::test {

// A test string and its reference ids, from llama.cpp's .inp/.out convention: cases
// separated by "\n__ggml_vocab_test__\n", line i of .out holds the ids of case i.
struct IdCase {
  std::string text;
  std::vector<int32_t> ids;
};

inline std::vector<IdCase> read_id_cases(const std::string& inp, const std::string& out) {
  const std::string raw = read_all(inp);
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<IdCase> cases;
  for (size_t pos = 0;;) {
    const size_t next = raw.find(sep, pos);
    cases.push_back(
        {raw.substr(pos, next == std::string::npos ? std::string::npos : next - pos), {}});
    if (next == std::string::npos) break;
    pos = next + sep.size();
  }
  const std::vector<std::string> lines = read_lines(out);
  for (size_t i = 0; i < cases.size() && i < lines.size(); ++i) {
    cases[i].ids = parse_ints(lines[i]);
  }
  if (lines.size() != cases.size()) cases.clear();  // a mismatch fails the caller's size check
  return cases;
}

inline std::string data_file(const std::string& rel) {
  return std::string(TROVE_SOURCE_DIR) + "/tests/data/" + rel;
}

// Test data the build generates (tests/CMakeLists.txt), e.g. "unigram/unigram-nfkc.gguf".
inline std::string generated_file(const std::string& rel) {
  return std::string(TROVE_GENERATED_DIR) + "/" + rel;
}

}  // namespace trove::test
