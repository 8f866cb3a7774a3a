// tests/embed/reranker_test_util.h — the reranker fixtures and llama.cpp comparisons
// shared by reranker_test.cc (default suite) and reranker_parity_wip_test.cc (wip).
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "embed/reranker.h"
#include "encoder_fixtures.h"
#include "fixture_util.h"

namespace trove::test {

inline GgmlType type_of(const std::string& t) {
  return t == "f32" ? GgmlType::kF32 : t == "f16" ? GgmlType::kF16 : GgmlType::kQ8_0;
}

inline std::string ref_file(const std::string& name) {
  return data_file("rerank/" + name);
}

// Writes each fixture once per test program, into a temporary folder.
inline std::string fixture(const std::string& kind, const std::string& type) {
  static std::map<std::string, std::string> made;
  const std::string key = kind + "-" + type;
  if (auto it = made.find(key); it != made.end()) return it->second;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("trove-encoder-fixtures-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / (key + ".gguf")).string();
  const Status s = write_encoder_fixture(kind, type_of(type), TROVE_SOURCE_DIR, path);
  EXPECT_TRUE(s.ok()) << s.error().message;
  auto sum = sha256_file(path);
  EXPECT_TRUE(sum.ok());
  const std::vector<std::string> want = read_lines(ref_file(key + ".sha256"));
  EXPECT_FALSE(want.empty());
  if (!want.empty()) {
    EXPECT_EQ(*sum, want[0]) << path << " differs from the file the references were computed "
                             << "on: regenerate them with tests/data/rerank/make_refs.sh";
  }
  made[key] = path;
  return path;
}

struct Pair {
  std::string query, passage;
};

inline std::vector<Pair> pairs() {
  std::vector<Pair> out;
  for (const std::string& line : read_lines(ref_file("pairs.tsv"))) {
    const size_t tab = line.find('\t');
    if (tab != std::string::npos) out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return out;
}

inline std::vector<float> read_floats(const std::string& path) {
  std::vector<float> out;
  for (const std::string& line : read_lines(path)) {
    if (!line.empty()) out.push_back(std::strtof(line.c_str(), nullptr));
  }
  return out;
}

inline std::unique_ptr<Reranker> open_reranker(const std::string& path, RerankerParams p = {}) {
  p.n_threads = 2;
  auto r = Reranker::open(path, p);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? std::move(r).value() : nullptr;
}

inline void expect_llama_scores(const std::string& kind, const char* type, bool passage_type_1) {
  const std::vector<Pair> ps = pairs();
  ASSERT_GE(ps.size(), 6u);
  const std::vector<std::string> token_lines = read_lines(ref_file(kind + ".tokens"));
  ASSERT_EQ(token_lines.size(), ps.size());
  {
    RerankerParams params;
    params.passage_type_1 = passage_type_1;
    auto rr = open_reranker(fixture(kind, type), params);
    ASSERT_NE(rr, nullptr);
    const std::vector<float> want = read_floats(ref_file(kind + "-" + type + ".scores"));
    ASSERT_EQ(want.size(), ps.size());
    std::vector<std::string> passages;
    for (size_t i = 0; i < ps.size(); ++i) {
      EXPECT_EQ(rr->tokenize(ps[i].query, ps[i].passage).ids, parse_ints(token_lines[i]))
          << kind << " pair " << i;
    }
    for (size_t i = 0; i < ps.size(); ++i) {
      // One query per call, as search does, and all pairs in one batch below.
      const float s = rr->score(ps[i].query, {ps[i].passage})[0];
      EXPECT_NEAR(s, want[i], 1e-3) << kind << "-" << type << " pair " << i;
    }
    std::vector<TokenizedPair> all;
    all.reserve(ps.size());
    for (const Pair& p : ps) all.push_back(rr->tokenize(p.query, p.passage));
    const std::vector<float> batched = rr->score_pairs(all);
    for (size_t i = 0; i < ps.size(); ++i) {
      EXPECT_NEAR(batched[i], want[i], 1e-3) << kind << "-" << type << " batched pair " << i;
    }
  }
}

}  // namespace trove::test
