// tests/rerank/rerank_search_test.cc — `trove search` / `ask` with a rerank model,
// through the binary: a library without one searches exactly as before; with one the
// top passages come back in the order, and with the scores, that embed::Reranker gives
// them in-process; --no-rerank turns it off; -v says what reranking cost; a broken
// rerank model leaves the results unreranked with a note naming the file; models add
// keeps rerankers and embedding models apart. The reranker is the random-weight BERT
// cross-encoder fixture (tests/embed/encoder_fixtures.h), so only the plumbing is
// meaningful here; quality is the eval's business.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "embed/reranker.h"
#include "tests/embed/encoder_fixtures.h"
#include "tests/support/process.h"

namespace trove::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kRoot = TROVE_SOURCE_DIR;
const std::string kEmbedModel = kRoot + "/../shared/fixtures/models/bert-mean-f16.gguf";

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) v.push_back(json::parse(line));
  return v;
}

std::vector<int64_t> chunk_ids(const std::vector<json>& hits) {
  std::vector<int64_t> ids;
  ids.reserve(hits.size());
  for (const json& h : hits) ids.push_back(h.at("chunk_id").get<int64_t>());
  return ids;
}

class RerankSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    home = tmp.path() + "/home";
    docs = tmp.path() + "/docs";
    reranker = tmp.path() + "/bert-rerank-f32.gguf";
    fs::create_directories(docs);
    fs::copy(kRoot + "/samples", docs, fs::copy_options::recursive);
    ASSERT_TRUE(test::write_encoder_fixture("bert-rerank", GgmlType::kF32, kRoot, reranker).ok());
    ASSERT_EQ(trove({"models", "add", kEmbedModel, "--role", "embed"}).rc, 0);
    auto r = trove({"index", docs});
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  ProcResult trove(std::vector<std::string> args) {
    args.insert(args.begin(), {"--home", home});
    return run_trove(args, tmp.path());
  }
  // --min-similarity 0: the embedding fixture's weights are random too.
  ProcResult search(std::vector<std::string> extra) {
    std::vector<std::string> args = {"search", "--json", "--min-similarity", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"boiler", "pressure"});
    return trove(args);
  }
  TempDir tmp;
  std::string home, docs, reranker;
};

TEST_F(RerankSearch, WithoutARerankModelNothingChanges) {
  const ProcResult plain = search({"-k", "10", "-v"});
  ASSERT_EQ(plain.rc, 0) << plain.err;
  EXPECT_EQ(plain.err.find("rerank"), std::string::npos) << plain.err;
  const ProcResult off = search({"-k", "10", "--no-rerank"});
  EXPECT_EQ(off.out, plain.out);
  // Asked for without one: the same results, and a note saying how to add one.
  const ProcResult asked = search({"-k", "10", "--rerank"});
  ASSERT_EQ(asked.rc, 0) << asked.err;
  EXPECT_EQ(asked.out, plain.out);
  EXPECT_NE(asked.err.find("--role rerank"), std::string::npos) << asked.err;
}

TEST_F(RerankSearch, TopPassagesComeInTheRerankersOrder) {
  // The 30 candidates the reranker reads: the unreranked top 30.
  const ProcResult cand = search({"-k", "30", "--no-rerank"});
  ASSERT_EQ(cand.rc, 0) << cand.err;
  const std::vector<json> candidates = json_lines(cand.out);
  ASSERT_GE(candidates.size(), 6u);
  const ProcResult before = search({"-k", "5"});

  auto r = trove({"models", "add", reranker, "--role", "rerank", "--name", "tiny-rerank"});
  ASSERT_EQ(r.rc, 0) << r.err;
  const ProcResult got = search({"-k", "5", "-v"});
  ASSERT_EQ(got.rc, 0) << got.err;
  EXPECT_NE(got.err.find("reranked " + std::to_string(candidates.size()) + " passages in"),
            std::string::npos)
      << got.err;
  EXPECT_NE(got.err.find("tiny-rerank"), std::string::npos) << got.err;

  // The same order and scores from the library call, in this process.
  auto rr = Reranker::open(reranker, {.n_threads = 1});
  ASSERT_TRUE(rr.ok()) << rr.error().message;
  std::vector<std::string> texts;
  texts.reserve(candidates.size());
  for (const json& h : candidates) texts.push_back(h.at("text").get<std::string>());
  const std::vector<float> scores = (*rr)->score("boiler pressure", texts);
  std::vector<size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  const std::vector<json> hits = json_lines(got.out);
  ASSERT_EQ(hits.size(), 5u);
  for (size_t i = 0; i < hits.size(); ++i) {
    EXPECT_EQ(hits[i].at("chunk_id").get<int64_t>(),
              candidates[order[i]].at("chunk_id").get<int64_t>())
        << i;
    EXPECT_NEAR(hits[i].at("score").get<double>(), scores[order[i]], 1e-4) << i;
  }
  // The fixture's order differs from retrieval's (else this test shows nothing).
  EXPECT_NE(chunk_ids(hits), chunk_ids({candidates.begin(), candidates.begin() + 5}));

  // --no-rerank: what the same search gave before the reranker was added.
  const ProcResult off = search({"-k", "5", "--no-rerank"});
  EXPECT_EQ(off.out, before.out);
}

TEST_F(RerankSearch, ABrokenRerankModelLeavesResultsUnreranked) {
  const std::string broken = tmp.path() + "/broken-rerank.gguf";
  fs::copy_file(reranker, broken);
  ASSERT_EQ(trove({"models", "add", broken, "--role", "rerank"}).rc, 0);
  fs::resize_file(broken, fs::file_size(broken) / 2);
  const ProcResult got = search({"-k", "5"});
  ASSERT_EQ(got.rc, 0) << got.err;
  EXPECT_NE(got.err.find("not reranked"), std::string::npos) << got.err;
  EXPECT_NE(got.err.find("broken-rerank"), std::string::npos) << got.err;
  const ProcResult off = search({"-k", "5", "--no-rerank"});
  EXPECT_EQ(got.out, off.out);
  EXPECT_EQ(off.err.find("rerank"), std::string::npos) << off.err;
}

TEST_F(RerankSearch, AskReranksToo) {
  ASSERT_EQ(trove({"models", "add", reranker, "--role", "rerank"}).rc, 0);
  // -v before the command: `ask` does not take global flags after it (a CLI issue of its own).
  auto r = trove({"-v", "ask", "--no-llm", "--json", "--min-similarity", "0", "boiler pressure"});
  ASSERT_EQ(r.rc, 0) << r.err << r.out;
  EXPECT_NE(r.err.find("reranked"), std::string::npos) << r.err;
  const json a = json::parse(r.out);
  EXPECT_TRUE(a.at("timings").contains("rerank_ms")) << r.out;
  r = trove(
      {"ask", "--no-llm", "--json", "--min-similarity", "0", "--no-rerank", "boiler pressure"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_FALSE(json::parse(r.out).at("timings").contains("rerank_ms")) << r.out;
}

TEST_F(RerankSearch, ModelsAddKeepsRerankersAndEmbeddersApart) {
  auto r = trove({"models", "add", kEmbedModel, "--role", "rerank", "--name", "x"});
  EXPECT_NE(r.rc, 0);
  EXPECT_NE(r.err.find("not a reranker"), std::string::npos) << r.err;
  r = trove({"models", "add", reranker, "--role", "embed", "--name", "y"});
  EXPECT_NE(r.rc, 0);
  EXPECT_NE(r.err.find("--role rerank"), std::string::npos) << r.err;
  r = trove({"models", "add", reranker, "--role", "rerank"});
  EXPECT_EQ(r.rc, 0) << r.err;
  r = trove({"models", "list"});
  EXPECT_NE(r.out.find("rerank"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace trove::testing
