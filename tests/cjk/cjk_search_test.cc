// tests/cjk/cjk_search_test.cc — Chinese, Japanese and Korean words inside sentences are
// found by keyword search (bigram tokenizer), Latin search is unchanged, and an older
// library is upgraded by rebuilding its FTS table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "index/cjk_tokenizer.h"
#include "index/retriever.h"
#include "index/schema.h"
#include "../index/temp_library.h"

namespace trove::index {
namespace {

using testing::count;
using testing::expect_consistent;
using testing::TempLibrary;

const std::string kData = std::string(TROVE_SOURCE_DIR) + "/tests/data/cjk";

TEST(CjkTokenizer, CjkRunsBecomeOverlappingBigramsAndTheRestStaysWhole) {
  using V = std::vector<std::string>;
  EXPECT_EQ(cjk_segments("東京都"), (V{"東京", "京都"}));
  EXPECT_EQ(cjk_segments("猫"), (V{"猫"}));
  EXPECT_EQ(cjk_segments("vim の設定 file"), (V{"vim ", "の設", "設定", " file"}));
  EXPECT_EQ(cjk_segments("서울은 수도"), (V{"서울", "울은", " ", "수도"}));
  EXPECT_EQ(cjk_segments("plain ascii"), (V{"plain ascii"}));
  EXPECT_EQ(cjk_segments("。、"), (V{"。、"}));  // CJK punctuation is not a word
}

class CjkSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& e : std::filesystem::directory_iterator(kData)) {
      if (e.path().filename() == "words.tsv") continue;
      std::filesystem::copy_file(e.path(), lib_.source() + "/" + e.path().filename().string());
    }
    auto s = lib_.index();
    ASSERT_EQ(s.failed, 0);
    auto r = LexicalRetriever::open(lib_.paths().db);
    ASSERT_TRUE(r.ok()) << r.error().message;
    retriever_ = std::move(*r);
  }
  // Rank (1-based) of `file` among the first 10 distinct documents; 0 when absent.
  int rank_of(const std::string& query, const std::string& file) {
    auto hits = retriever_->search(query, 50, {});
    EXPECT_TRUE(hits.ok());
    std::vector<std::string> docs;
    for (const auto& h : *hits) {
      if (std::find(docs.begin(), docs.end(), h.rel_path) == docs.end()) docs.push_back(h.rel_path);
      if (docs.size() == 10) break;
    }
    auto it = std::find(docs.begin(), docs.end(), file);
    return it == docs.end() ? 0 : static_cast<int>(it - docs.begin()) + 1;
  }
  TempLibrary lib_;
  std::unique_ptr<LexicalRetriever> retriever_;
};

TEST_F(CjkSearch, WordsInsideSentencesFindTheirDocument) {
  std::ifstream in(kData + "/words.tsv");
  std::string line;
  int total = 0, found = 0;
  std::vector<std::string> missed;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    std::string word = line.substr(0, tab), file = line.substr(tab + 1);
    ++total;
    if (rank_of(word, file) > 0) {
      ++found;
    } else {
      missed.push_back(word);
    }
  }
  ASSERT_GE(total, 60);
  std::string list;
  for (const auto& m : missed) list += m + " ";
  std::printf("CJK words found in the top 10: %d/%d\n", found, total);
  EXPECT_GE(found * 10, total * 9) << "missed: " << list;
}

TEST_F(CjkSearch, LatinSearchIsUnchanged) {
  EXPECT_EQ(rank_of("foghorn", "latin.md"), 1);
  EXPECT_EQ(rank_of("records", "latin.md"), 1);  // porter stemming still applies: "record"
  EXPECT_EQ(rank_of("record", "latin.md"), 1);
}

TEST_F(CjkSearch, AWordThatIsNotThereFindsNothing) {
  auto hits = retriever_->search("大阪", 10, {});
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());
}

TEST(CjkMigration, AnOlderLibraryIsRebuiltOnceAndFindsCjkWords) {
  TempLibrary lib;
  std::string db_path = lib.paths().db;
  std::filesystem::create_directories(std::filesystem::path(db_path).parent_path());
  {
    auto db = Db::open(db_path);
    ASSERT_TRUE(db.ok());
    auto all = migrations();
    ASSERT_GE(all.size(), 5u);
    // The library as the version before the tokenizer change left it.
    size_t before = 0;
    for (size_t i = 0; i < all.size(); ++i)
      if (std::string_view(all[i].description).find("CJK") != std::string_view::npos) before = i;
    ASSERT_GT(before, 0u);
    ASSERT_TRUE(migrate(*db, all.subspan(0, before)).ok());
    ASSERT_TRUE(db->exec("INSERT INTO sources(root, added_at) VALUES ('/s', 0);"
                         "INSERT INTO documents(source_id, path, rel_path, size, mtime_ns, title,"
                         " status, indexed_at) VALUES (1, '/s/a.txt', 'a.txt', 1, 1, 'a', 'ok', 0);"
                         "INSERT INTO chunks(document_id, ordinal, text) VALUES"
                         " (1, 0, '東京は日本の首都です。 The capital.')")
                    .ok());
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH '\"首都\"'"), 0);
  }
  Db db = lib.open();  // upgrades
  EXPECT_EQ(*schema_version(db), latest_schema_version());
  EXPECT_EQ(count(db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH '\"首都\"'"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'capital'"), 1);
  expect_consistent(db);
}

}  // namespace
}  // namespace trove::index
