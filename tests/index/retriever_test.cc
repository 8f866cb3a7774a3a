// tests/index/retriever_test.cc — lexical search over a small indexed folder:
// ranking, stemming, phrases, filters, snippets, hostile queries, concurrent readers.
#include <gtest/gtest.h>

#include <thread>

#include "index/retriever.h"
#include "temp_library.h"

namespace trove::index {
namespace {

using testing::TempLibrary;

SearchFilters by_type(const std::string& t) {
  SearchFilters f;
  f.type = t;
  return f;
}
SearchFilters by_path(const std::string& glob) {
  SearchFilters f;
  f.path_glob = glob;
  return f;
}
SearchFilters by_source(const std::string& root) {
  SearchFilters f;
  f.source = root;
  return f;
}
using testing::write_file;

class RetrieverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(lib_.source() + "/notes/vpn.md",
               "# Network\n\n## VPN setup\n\nWe configured the wireguard tunnel on the office "
               "router last spring.\n");
    write_file(lib_.source() + "/notes/garden.md",
               "# Garden\n\nTomatoes need sun. The router of water runs downhill.\n");
    write_file(lib_.source() + "/letters/landlord.txt",
               "The landlord said the deposit comes back after the inspection.\n");
    write_file(lib_.source() + "/web/page.html",
               "<html><head><title>Deposit rules</title></head><body><p>A deposit is "
               "money held as security.</p></body></html>");
    auto s = lib_.index();
    ASSERT_EQ(s.added, 4);
    auto r = LexicalRetriever::open(lib_.paths().db);
    ASSERT_TRUE(r.ok()) << r.error().message;
    retriever_ = std::move(*r);
  }
  std::vector<SearchHit> search(const std::string& q, const SearchFilters& f = {}, int k = 10) {
    auto hits = retriever_->search(q, k, f);
    EXPECT_TRUE(hits.ok()) << q << ": " << (hits.ok() ? "" : hits.error().message);
    return hits.ok() ? *hits : std::vector<SearchHit>{};
  }

  TempLibrary lib_;
  std::unique_ptr<LexicalRetriever> retriever_;
};

TEST_F(RetrieverTest, FindsStemmedWordsAndFillsFields) {
  auto hits = search("configure wireguard");
  ASSERT_FALSE(hits.empty());
  const auto& h = hits[0];
  EXPECT_EQ(h.rel_path, "notes/vpn.md");
  EXPECT_EQ(h.path, lib_.source() + "/notes/vpn.md");
  EXPECT_EQ(h.type, "markdown");
  EXPECT_NE(h.heading.find("VPN setup"), std::string::npos) << h.heading;
  EXPECT_NE(h.text.find("wireguard"), std::string::npos);
  EXPECT_GT(h.chunk_id, 0);
  EXPECT_GT(h.line_start, 0);
  // The snippet marks the matched (stemmed) words.
  EXPECT_NE(h.snippet.find(std::string(1, kMatchOpen) + "configured" + kMatchClose),
            std::string::npos)
      << h.snippet;
}

TEST_F(RetrieverTest, BestMatchFirstAndScoresDescending) {
  auto hits = search("router wireguard tunnel");
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0].rel_path, "notes/vpn.md");
  for (size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score);
}

TEST_F(RetrieverTest, PhraseIsAPhrase) {
  EXPECT_EQ(search("\"deposit comes back\"").size(), 1u);
  EXPECT_TRUE(search("\"back deposit comes\"").empty());
}

TEST_F(RetrieverTest, TypeFilter) {
  auto all = search("deposit");
  EXPECT_EQ(all.size(), 2u);
  auto html = search("deposit", by_type("html"));
  ASSERT_EQ(html.size(), 1u);
  EXPECT_EQ(html[0].rel_path, "web/page.html");
  EXPECT_TRUE(search("deposit", by_type("pdf")).empty());
}

TEST_F(RetrieverTest, PathGlobOnRelativeOrAbsolutePath) {
  auto rel = search("router", by_path("notes/*"));
  EXPECT_EQ(rel.size(), 2u);
  auto garden = search("router", by_path("*garden*"));
  ASSERT_EQ(garden.size(), 1u);
  EXPECT_EQ(garden[0].rel_path, "notes/garden.md");
  auto abs = search("router", by_path(lib_.source() + "/notes/vpn.md"));
  EXPECT_EQ(abs.size(), 1u);
  EXPECT_TRUE(search("router", by_path("letters/*")).empty());
}

TEST_F(RetrieverTest, SourceFilter) {
  EXPECT_EQ(search("deposit", by_source(lib_.source())).size(), 2u);
  EXPECT_TRUE(search("deposit", by_source("/elsewhere")).empty());
}

TEST_F(RetrieverTest, KLimitsResults) {
  EXPECT_EQ(search("the", {}, 1).size(), 1u);
}

TEST_F(RetrieverTest, HostileQueriesReturnWithoutError) {
  for (const char* q : {"\"", "*", "AND", "NEAR(", "\"unbalanced", "🙂", "a:b", "((", "-",
                        "deposit AND", "NOT deposit", "\xff\xfe", "title:landlord"}) {
    auto hits = retriever_->search(q, 10, {});
    EXPECT_TRUE(hits.ok()) << q << ": " << (hits.ok() ? "" : hits.error().message);
  }
}

TEST_F(RetrieverTest, ConcurrentReaders) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto hits = retriever_->search("deposit router", 5, {});
        if (!hits.ok() || hits->size() < 3) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace trove::index
