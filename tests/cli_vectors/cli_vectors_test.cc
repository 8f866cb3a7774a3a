// tests/cli_vectors/cli_vectors_test.cc — `trove index` / `search` / `status` with an
// embedding model, end to end through the binary: embedding counts, semantic and
// hybrid results that resolve, deleted files never coming back, model switches
// refused without --reembed, a lost vectors.faiss, and a SIGKILL during embedding.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <thread>

#include "tests/support/process.h"
#include "index/sqlite.h"

namespace trove::testing {
namespace {

namespace fs = std::filesystem;

const std::string kRoot = TROVE_SOURCE_DIR;
const std::string kModels = kRoot + "/../shared/fixtures/models/";
const std::string kDev = kRoot + "/../shared/corpus/dev";

int64_t q(const std::string& db_path, const std::string& sql) {
  auto db = index::Db::open(db_path);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return -1;
  auto v = index::query_int(*db, sql);
  EXPECT_TRUE(v.ok()) << sql;
  return v.ok() ? *v : -1;
}

std::vector<int64_t> ints_after(const std::string& text, const std::string& key) {
  std::vector<int64_t> out;
  std::regex re("\"" + key + "\":(-?[0-9]+)");
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
    out.push_back(std::stoll((*it)[1]));
  return out;
}

class CliVectors : public ::testing::Test {
 protected:
  void SetUp() override {
    home = tmp.path() + "/home";
    docs = tmp.path() + "/docs";
    db = home + "/trove.db";
    fs::create_directories(docs);
    fs::copy(kRoot + "/samples", docs, fs::copy_options::recursive);
  }
  ProcResult trove(std::vector<std::string> args) {
    args.insert(args.begin(), {"--home", home});
    return run_trove(args, tmp.path());
  }
  TempDir tmp;
  std::string home, docs, db;
};

TEST_F(CliVectors, IndexSearchReembedAndRepair) {
  auto r = trove({"models", "add", kModels + "bert-mean-f16.gguf", "--role", "embed"});
  ASSERT_EQ(r.rc, 0) << r.err;
  r = trove({"index", "--json", docs});
  ASSERT_EQ(r.rc, 0) << r.err;
  const int64_t chunks = q(db, "SELECT count(*) FROM chunks");
  ASSERT_GT(chunks, 0);
  ASSERT_EQ(ints_after(r.out, "embedded"), std::vector<int64_t>{chunks}) << r.out;
  EXPECT_EQ(q(db, "SELECT count(*) FROM chunk_vectors"), chunks);

  for (const char* mode : {"semantic", "hybrid"}) {
    // The fixture's weights are random, so no passage is semantically relevant:
    // --min-similarity 0 switches the relevance floor off to test the plumbing.
    r = trove({"search", "--mode", mode, "--json", "-k", "5", "--min-similarity", "0", "boiler",
               "pressure"});
    ASSERT_EQ(r.rc, 0) << mode << r.err;
    EXPECT_NE(r.out.find(std::string("\"mode\":\"") + mode + "\""), std::string::npos);
    auto ids = ints_after(r.out, "chunk_id");
    ASSERT_FALSE(ids.empty());
    for (auto id : ids) EXPECT_EQ(trove({"show", std::to_string(id)}).rc, 0) << id;
    // Filters apply to dense results too.
    r = trove({"search", "--mode", mode, "--json", "--type", "pdf", "-k", "20",
               "--min-similarity", "0", "boiler"});
    ASSERT_EQ(r.rc, 0) << r.err;
    for (const auto& line : lines_of(r.out))
      EXPECT_NE(line.find("\"type\":\"pdf\""), std::string::npos) << line;
  }

  // A deleted file's chunks never come back.
  const std::string victim = docs + "/garden-log.md";
  ASSERT_TRUE(fs::exists(victim));
  auto gone = q(db,
                "SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id "
                "WHERE d.path LIKE '%garden-log.md'");
  ASSERT_GT(gone, 0);
  auto db_ro = index::Db::open(db);
  std::set<int64_t> gone_ids;
  {
    auto st = db_ro->prepare(
        "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id "
        "WHERE d.path LIKE '%garden-log.md'");
    ASSERT_TRUE(st.ok());
    while (true) {
      auto row = st->step();
      if (!row.ok() || !*row) break;
      gone_ids.insert(st->column_int(0));
    }
  }
  fs::remove(victim);
  r = trove({"index", "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(ints_after(r.out, "vectors_removed"), std::vector<int64_t>{gone});
  r = trove({"search", "--mode", "semantic", "--json", "-k", "1000", "--min-similarity", "0",
             "garden", "tomatoes"});
  ASSERT_EQ(r.rc, 0) << r.err;
  for (auto id : ints_after(r.out, "chunk_id")) EXPECT_EQ(gone_ids.count(id), 0u) << id;

  // Switching the default model is refused until --reembed.
  ASSERT_EQ(trove({"models", "add", kModels + "nomic-bert-f16.gguf", "--role", "embed"}).rc, 0);
  ASSERT_EQ(trove({"models", "use", "nomic-bert-f16"}).rc, 0);
  r = trove({"index"});
  EXPECT_EQ(r.rc, 3);  // kExitPartial: the text is indexed, the vectors are not
  EXPECT_NE(r.err.find("--reembed"), std::string::npos) << r.err;
  r = trove({"index", "--reembed", "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  const int64_t now_chunks = q(db, "SELECT count(*) FROM chunks");
  EXPECT_EQ(ints_after(r.out, "embedded"), std::vector<int64_t>{now_chunks}) << r.out;
  EXPECT_EQ(q(db, "SELECT count(*) FROM chunk_vectors"), now_chunks);

  // A lost vectors.faiss: search rebuilds in memory, the next index run rewrites it.
  ASSERT_TRUE(fs::remove(home + "/vectors.faiss"));
  r = trove({"search", "--mode", "semantic", "--json", "--min-similarity", "0", "boiler"});
  EXPECT_EQ(r.rc, 0) << r.err;
  r = trove({"index"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(fs::exists(home + "/vectors.faiss"));
  r = trove({"status", "--json"});
  EXPECT_NE(r.out.find("\"faiss\":\"current\""), std::string::npos) << r.out;
}

TEST_F(CliVectors, KillDuringEmbeddingRecovers) {
  ASSERT_EQ(trove({"models", "add", kModels + "bert-mean-f16.gguf", "--role", "embed"}).rc, 0);
  const std::string big = tmp.path() + "/big";
  fs::create_directories(big);
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(kDev)) {
    if (e.is_regular_file() && e.file_size() < (200 << 10) &&
        (e.path().extension() == ".md" || e.path().extension() == ".txt" ||
         e.path().extension() == ".html"))
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 60u);
  for (size_t i = 0; i < 60; ++i) {
    fs::copy_file(
        files[i * files.size() / 60],
        big + "/f" + std::to_string(i) + files[i * files.size() / 60].extension().string());
  }
  pid_t pid = spawn_trove({"--home", home, "index", big}, tmp.path() + "/o", tmp.path() + "/e");
  // Kill once the embedding phase has stored some vectors.
  bool killed_mid = false;
  for (int i = 0; i < 600; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (fs::exists(db) && q(db, "SELECT count(*) FROM sqlite_master WHERE name='chunk_vectors'") &&
        q(db, "SELECT count(*) FROM chunk_vectors") > 0) {
      killed_mid =
          q(db, "SELECT count(*) FROM chunk_vectors") < q(db, "SELECT count(*) FROM chunks");
      break;
    }
  }
  ::kill(pid, SIGKILL);
  wait_exit(pid);
  EXPECT_TRUE(killed_mid) << "the kill did not land during embedding";
  auto r = trove({"index", big});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(q(db, "SELECT count(*) FROM chunk_vectors"), q(db, "SELECT count(*) FROM chunks"));
  EXPECT_EQ(q(db, "SELECT count(*) FROM pending_vector_deletes"), 0);
  auto d = index::Db::open(db);
  ASSERT_TRUE(d.ok());
  auto st = d->prepare("PRAGMA integrity_check");
  ASSERT_TRUE(st.ok());
  auto row = st->step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(st->column_text(0), "ok");
}

}  // namespace
}  // namespace trove::testing
