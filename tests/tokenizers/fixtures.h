// tests/tokenizers/fixtures.h — paths to ../shared/fixtures and readers for its
// tokenizer cases (.inp/.out) and reference JSON lines.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/gguf.h"
#include "generate/tokenizer.h"
#include "json_lite.h"

namespace trove::testing {

inline std::string fixture_path(const std::string& rel) {
  return std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/" + rel;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The .inp/.out convention of llama.cpp's test-tokenizer-0: cases are separated by
// "\n__ggml_vocab_test__\n" (so a case never includes the newline before the
// separator); line i of .out holds the ids of case i separated by spaces.
struct TokCase {
  std::string text;
  std::vector<int32_t> ids;
};

inline std::vector<TokCase> read_cases(const std::string& inp, const std::string& out) {
  const std::string raw = read_file(inp);
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<std::string> texts;
  for (size_t pos = 0; pos < raw.size();) {
    const size_t next = raw.find(sep, pos);
    if (next == std::string::npos) {
      texts.push_back(raw.substr(pos));
      break;
    }
    texts.push_back(raw.substr(pos, next - pos));
    pos = next + sep.size();
  }
  std::ifstream outs(out);
  std::vector<TokCase> cases;
  std::string line;
  for (size_t i = 0; std::getline(outs, line); ++i) {
    TokCase c;
    if (i < texts.size()) c.text = texts[i];
    std::istringstream ls(line);
    for (int32_t id; ls >> id;) c.ids.push_back(id);
    cases.push_back(std::move(c));
  }
  EXPECT_EQ(cases.size(), texts.size()) << inp;
  return cases;
}

inline std::vector<Json> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  std::vector<Json> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    Json j;
    EXPECT_TRUE(JsonParser(line).parse(j)) << path;
    rows.push_back(std::move(j));
  }
  return rows;
}

struct LoadedTokenizer {
  std::unique_ptr<GgufFile> file;
  std::unique_ptr<Tokenizer> tok;
};

inline LoadedTokenizer load_tokenizer(const std::string& rel) {
  LoadedTokenizer lt;
  auto f = GgufFile::open(fixture_path(rel));
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
  if (!f.ok()) return lt;
  lt.file = std::make_unique<GgufFile>(std::move(*f));
  auto t = Tokenizer::from_gguf(*lt.file);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  if (t.ok()) lt.tok = std::move(*t);
  return lt;
}

inline std::string hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string o;
  for (unsigned char c : s) {
    o += d[c >> 4];
    o += d[c & 15];
  }
  return o;
}

}  // namespace trove::testing
