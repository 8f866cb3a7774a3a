// tests/index/indexer_test.cc — incremental indexing against a temp source folder:
// unchanged (no re-read), touched, modified, deleted, moved, unreadable, failed.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "index/library_status.h"
#include "temp_library.h"

namespace trove::index {
namespace {

using testing::count;
using testing::expect_consistent;
using testing::set_mtime;
using testing::TempLibrary;
using testing::write_file;

class IndexerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(src("notes/vpn.md"),
               "# VPN\n\nWe configure the wireguard tunnel on the office router.\n\n"
               "## Keys\n\nRotate the keys every spring.\n");
    write_file(src("notes/garden.md"), "# Garden\n\nTomatoes need sun and patience.\n");
    write_file(src("letters/landlord.txt"),
               "The landlord said the deposit comes back after the inspection.\n");
    for (const char* f : {"notes/vpn.md", "notes/garden.md", "letters/landlord.txt"}) {
      set_mtime(src(f), 1000000);
    }
  }
  std::string src(const std::string& rel) const { return lib_.source() + "/" + rel; }
  int64_t doc_id(Db& db, const std::string& rel) {
    return count(db,
                 "SELECT coalesce((SELECT id FROM documents WHERE rel_path = '" + rel + "'), 0)");
  }

  TempLibrary lib_;
};

TEST_F(IndexerTest, FirstRunAddsEverything) {
  auto s = lib_.index();
  EXPECT_EQ(s.files, 3);
  EXPECT_EQ(s.added, 3);
  EXPECT_EQ(s.failed, 0);
  Db db = lib_.open();
  EXPECT_EQ(count(db, "SELECT count(*) FROM documents WHERE status = 'ok'"), 3);
  EXPECT_GT(count(db, "SELECT count(*) FROM chunks"), 0);
  EXPECT_EQ(count(db, "SELECT count(*) FROM sources"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs WHERE status = 'completed'"), 1);
  expect_consistent(db);
}

TEST_F(IndexerTest, SecondRunWithNothingChangedReadsNothing) {
  lib_.index();
  // Make the files unreadable through their content (replace bytes, same size, same
  // mtime): a run that re-read them would notice. A stat-only run must not.
  write_file(src("notes/garden.md"), "# Gxrden\n\nTomatoes need sun and patience.\n");
  set_mtime(src("notes/garden.md"), 1000000);
  auto s = lib_.index();
  EXPECT_EQ(s.files, 3);
  EXPECT_EQ(s.unchanged, 3);
  EXPECT_EQ(s.added + s.updated + s.moved + s.removed + s.failed, 0);
  Db db = lib_.open();
  EXPECT_EQ(count(db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'gxrden'"), 0);
}

TEST_F(IndexerTest, TouchedFileIsNotReparsed) {
  lib_.index();
  Db db = lib_.open();
  int64_t before = count(db, "SELECT min(id) FROM chunks");
  set_mtime(src("notes/vpn.md"), 2000000);
  auto s = lib_.index();
  EXPECT_EQ(s.unchanged, 3);
  EXPECT_EQ(s.updated, 0);
  EXPECT_EQ(count(db, "SELECT min(id) FROM chunks"), before);  // same chunk rows
  EXPECT_EQ(count(db, "SELECT mtime_ns FROM documents WHERE rel_path = 'notes/vpn.md'"),
            2000000LL * 1000000000LL);
}

TEST_F(IndexerTest, ModifiedFileIsUpdated) {
  lib_.index();
  write_file(src("notes/garden.md"), "# Garden\n\nCucumbers climb the trellis.\n");
  set_mtime(src("notes/garden.md"), 3000000);
  auto s = lib_.index();
  EXPECT_EQ(s.updated, 1);
  EXPECT_EQ(s.unchanged, 2);
  Db db = lib_.open();
  EXPECT_EQ(count(db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'cucumbers'"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'tomatoes'"), 0);
  EXPECT_GT(count(db, "SELECT count(*) FROM pending_vector_deletes"), 0);
  expect_consistent(db);
}

TEST_F(IndexerTest, DeletedFileIsRemovedWithItsChunks) {
  lib_.index();
  std::filesystem::remove(src("notes/garden.md"));
  auto s = lib_.index();
  EXPECT_EQ(s.removed, 1);
  EXPECT_EQ(s.files, 2);
  Db db = lib_.open();
  EXPECT_EQ(count(db, "SELECT count(*) FROM documents"), 2);
  EXPECT_EQ(count(db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'tomatoes'"), 0);
  expect_consistent(db);
}

TEST_F(IndexerTest, MovedFileKeepsItsRowAndChunks) {
  lib_.index();
  Db db = lib_.open();
  int64_t id = doc_id(db, "notes/vpn.md");
  int64_t chunks =
      count(db, "SELECT count(*) FROM chunks WHERE document_id = " + std::to_string(id));
  int64_t first_chunk =
      count(db, "SELECT min(id) FROM chunks WHERE document_id = " + std::to_string(id));
  std::filesystem::create_directories(src("archive"));
  std::filesystem::rename(src("notes/vpn.md"), src("archive/wireguard.md"));
  auto s = lib_.index();
  EXPECT_EQ(s.moved, 1);
  EXPECT_EQ(s.added, 0);
  EXPECT_EQ(s.removed, 0);
  EXPECT_EQ(doc_id(db, "archive/wireguard.md"), id);
  EXPECT_EQ(doc_id(db, "notes/vpn.md"), 0);
  EXPECT_EQ(count(db, "SELECT min(id) FROM chunks WHERE document_id = " + std::to_string(id)),
            first_chunk);
  EXPECT_EQ(count(db, "SELECT count(*) FROM chunks WHERE document_id = " + std::to_string(id)),
            chunks);
  expect_consistent(db);
}

// Root ignores permission bits, so "unreadable" is made by replacing the file with a
// FIFO (never opened by the indexer) or a dangling symlink.
TEST_F(IndexerTest, FileThatBecomesUnreadableKeepsItsOldChunks) {
  lib_.index();
  std::filesystem::remove(src("notes/garden.md"));
  ASSERT_EQ(::mkfifo(src("notes/garden.md").c_str(), 0644), 0);
  auto s = lib_.index();
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(s.removed, 0);
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].path, src("notes/garden.md"));
  EXPECT_FALSE(s.failures[0].reason.empty());
  Db db = lib_.open();
  EXPECT_EQ(count(db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'tomatoes'"), 1);
  auto st = library_status(db);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->failures.size(), 1u);
  EXPECT_TRUE(st->failures[0].kept_old_chunks);
  expect_consistent(db);

  // Readable again: the failure mark goes away, nothing is duplicated.
  std::filesystem::remove(src("notes/garden.md"));
  write_file(src("notes/garden.md"), "# Garden\n\nTomatoes need sun and patience.\n");
  set_mtime(src("notes/garden.md"), 1000000);
  s = lib_.index();
  EXPECT_EQ(s.failed, 0);
  st = library_status(db);
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->failures.empty());
  EXPECT_EQ(count(db, "SELECT count(*) FROM documents"), 3);
  expect_consistent(db);
}

// A dangling symlink is a failure; gzip data named .md is not a document: skipped,
// counted apart, with its reason.
TEST_F(IndexerTest, DanglingSymlinkFailsAndBinaryFileIsSkipped) {
  std::filesystem::create_symlink(src("nowhere.md"), src("notes/dangling.md"));
  write_file(src("notes/image.md"), std::string("\x1f\x8b\x08\0\0\0\0\0\0\x03", 10));
  auto s = lib_.index();
  EXPECT_EQ(s.added, 3);
  EXPECT_EQ(s.failed, 1) << "failures: " << s.failures.size();
  EXPECT_EQ(s.skipped, 1);
  EXPECT_EQ(s.files, 5);
  ASSERT_EQ(s.skips.size(), 1u);
  EXPECT_EQ(s.skips[0].path, src("notes/image.md"));
  EXPECT_NE(s.skips[0].detail.find("gzip"), std::string::npos);
  Db db = lib_.open();
  auto st = library_status(db);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->failures.size(), 1u);
  EXPECT_EQ(st->failures[0].path, src("notes/dangling.md"));
  EXPECT_FALSE(st->failures[0].reason.empty());
  EXPECT_FALSE(st->failures[0].kept_old_chunks);
  ASSERT_EQ(st->skipped_files.size(), 1u);
  EXPECT_EQ(st->skipped, 1);
  ASSERT_TRUE(st->last_run.has_value());
  EXPECT_EQ(st->last_run->failed, 1);
  EXPECT_EQ(st->last_run->skipped, 1);
  expect_consistent(db);
  // Neither is retried while unchanged; both are still counted.
  auto again = lib_.index();
  EXPECT_EQ(again.failed, 1);
  EXPECT_EQ(again.skipped, 1);
  EXPECT_TRUE(again.failures.empty());
  EXPECT_EQ(again.unchanged, 3);
}

TEST_F(IndexerTest, NoPathsReindexesRegisteredSources) {
  lib_.index();
  write_file(src("notes/new.md"), "# New\n\nA fresh note.\n");
  Db db = lib_.open();
  auto s = index_sources(db, {});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->added, 1);
  EXPECT_EQ(s->unchanged, 3);
}

TEST_F(IndexerTest, PathInsideASourceReindexesThatSource) {
  lib_.index();
  IndexOptions opt;
  opt.paths = {src("notes")};
  auto s = lib_.index(opt);
  EXPECT_EQ(s.files, 3);
  Db db = lib_.open();
  EXPECT_EQ(count(db, "SELECT count(*) FROM sources"), 1);
}

TEST_F(IndexerTest, MissingSourceRootKeepsItsDocuments) {
  lib_.index();
  std::filesystem::rename(lib_.source(), lib_.source() + ".unmounted");
  Db db = lib_.open();
  auto s = index_sources(db, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->source_errors.size(), 1u);
  EXPECT_EQ(s->removed, 0);
  EXPECT_EQ(count(db, "SELECT count(*) FROM documents"), 3);
  std::filesystem::rename(lib_.source() + ".unmounted", lib_.source());
}

TEST_F(IndexerTest, SmallBatchesGiveTheSameResult) {
  for (int i = 0; i < 40; ++i) {
    write_file(src("many/n" + std::to_string(i) + ".md"),
               "# Note " + std::to_string(i) + "\n\nbody text number " + std::to_string(i));
  }
  IndexOptions opt;
  opt.batch_files = 3;
  auto s = lib_.index(opt);
  EXPECT_EQ(s.added, 43);
  Db db = lib_.open();
  EXPECT_EQ(count(db, "SELECT count(*) FROM documents"), 43);
  expect_consistent(db);
}

TEST_F(IndexerTest, MissingPathIsAnError) {
  Db db = lib_.open();
  IndexOptions opt;
  opt.paths = {lib_.source() + "/does-not-exist"};
  auto s = index_sources(db, opt);
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace trove::index
