// tests/mail/mail_index_test.cc — files that hold several documents, through the
// indexer: mbox messages and e-mail attachments as documents of their own, a grown
// mbox parsing only its new messages, deletions, moves and forgetting.
#include <gtest/gtest.h>

#include <filesystem>

#include "../index/temp_library.h"
#include "index/library_edit.h"
#include "index/library_status.h"
#include "mail_messages.h"

namespace trove::index {
namespace {

using ingest::testing::mbox_entry;
using ingest::testing::message;
using testing::count;
using testing::expect_consistent;
using testing::set_mtime;
using testing::TempLibrary;
using testing::write_file;

std::string mbox(int from, int to) {
  std::string mb;
  for (int i = from; i <= to; ++i) {
    mb += mbox_entry(message(
        "msg" + std::to_string(i) + "@x", "note " + std::to_string(i),
        "word" + std::to_string(i) + "unique appears in message " + std::to_string(i) + "."));
  }
  return mb;
}

class MailIndexTest : public ::testing::Test {
 protected:
  std::string src(const std::string& rel) const { return lib_.source() + "/" + rel; }
  int64_t chunk_of(Db& db, const std::string& rel) {
    return count(db,
                 "SELECT coalesce((SELECT min(c.id) FROM chunks c JOIN documents d ON "
                 "d.id = c.document_id WHERE d.rel_path = '" +
                     rel + "'), 0)");
  }
  int64_t matches(Db& db, const std::string& word) {
    return count(db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH '" + word + "'");
  }
  TempLibrary lib_;
};

TEST_F(MailIndexTest, FiveMessagesAreFiveDocuments) {
  write_file(src("mail/archive.mbox"), mbox(1, 5));
  auto s = lib_.index();
  EXPECT_EQ(s.files, 1);
  EXPECT_EQ(s.added, 1);
  EXPECT_EQ(s.parts_written, 5);
  Db db = lib_.open();
  auto st = library_status(db);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->documents, 5);  // the mbox itself is a container, not a document
  for (int i = 1; i <= 5; ++i) {
    std::string rel = "mail/archive.mbox#" + std::to_string(i);
    EXPECT_GT(chunk_of(db, rel), 0) << rel;
    EXPECT_EQ(count(db, "SELECT count(*) FROM documents WHERE rel_path = '" + rel +
                            "' AND title = 'note " + std::to_string(i) + "'"),
              1);
  }
  EXPECT_EQ(matches(db, "word3unique"), 1);
  expect_consistent(db);
}

TEST_F(MailIndexTest, GrownMboxParsesOnlyTheNewMessages) {
  write_file(src("archive.mbox"), mbox(1, 3));
  set_mtime(src("archive.mbox"), 1000000);
  lib_.index();
  Db db = lib_.open();
  int64_t first_chunk = chunk_of(db, "archive.mbox#1");
  write_file(src("archive.mbox"), mbox(1, 5));
  set_mtime(src("archive.mbox"), 2000000);
  auto s = lib_.index();
  EXPECT_EQ(s.updated, 1);
  EXPECT_EQ(s.parts_unchanged, 3);
  EXPECT_EQ(s.parts_written, 2);
  EXPECT_EQ(chunk_of(db, "archive.mbox#1"), first_chunk);  // same rows: not re-parsed
  EXPECT_EQ(matches(db, "word5unique"), 1);
  EXPECT_EQ(matches(db, "word1unique"), 1);
  expect_consistent(db);
}

TEST_F(MailIndexTest, DeletedMessageRenumbersNothing) {
  write_file(src("archive.mbox"), mbox(1, 4));
  set_mtime(src("archive.mbox"), 1000000);
  lib_.index();
  std::string without_two = mbox(1, 1) + mbox(3, 4) + mbox(5, 5);
  write_file(src("archive.mbox"), without_two);
  set_mtime(src("archive.mbox"), 2000000);
  auto s = lib_.index();
  EXPECT_EQ(s.parts_removed, 1);
  EXPECT_EQ(s.parts_written, 1);  // message 5, new
  Db db = lib_.open();
  EXPECT_EQ(matches(db, "word2unique"), 0);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM documents WHERE rel_path = 'archive.mbox#3' AND "
                  "title = 'note 3'"),
            1);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM documents WHERE rel_path = 'archive.mbox#5' AND "
                  "title = 'note 5'"),
            1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM documents WHERE rel_path = 'archive.mbox#2'"), 0);
  expect_consistent(db);
}

TEST_F(MailIndexTest, MovedAndForgottenMboxTakesItsMessages) {
  write_file(src("a/archive.mbox"), mbox(1, 2));
  lib_.index();
  Db db = lib_.open();
  int64_t chunk = chunk_of(db, "a/archive.mbox#2");
  std::filesystem::create_directories(src("b"));
  std::filesystem::rename(src("a/archive.mbox"), src("b/old.mbox"));
  auto s = lib_.index();
  EXPECT_EQ(s.moved, 1);
  EXPECT_EQ(chunk_of(db, "b/old.mbox#2"), chunk);
  EXPECT_EQ(count(db, "SELECT count(*) FROM documents WHERE path = '" + src("b/old.mbox#2") + "'"),
            1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM documents WHERE rel_path LIKE 'a/%'"), 0);
  expect_consistent(db);
  auto f = forget_path(db, src("b/old.mbox"));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(count(db, "SELECT count(*) FROM documents"), 0);
  EXPECT_EQ(count(db, "SELECT count(*) FROM chunks"), 0);
  expect_consistent(db);
}

TEST_F(MailIndexTest, AttachmentIsItsOwnDocument) {
  write_file(src("msg.eml"),
             "From: a@example.org\nSubject: files\nMessage-ID: <att@x>\nMIME-Version: 1.0\n"
             "Content-Type: multipart/mixed; boundary=\"MM\"\n\n"
             "--MM\nContent-Type: text/plain\n\nSee the attached notes.\n"
             "--MM\nContent-Type: text/plain; name=\"lighthouse.txt\"\n"
             "Content-Disposition: attachment; filename=\"lighthouse.txt\"\n\n"
             "The keeper logs the foghorn hours.\n--MM--\n");
  auto s = lib_.index();
  EXPECT_EQ(s.added, 1);
  EXPECT_EQ(s.parts_written, 1);
  Db db = lib_.open();
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id "
                  "WHERE d.rel_path = 'msg.eml#attachment/lighthouse.txt' AND c.id IN "
                  "(SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'foghorn')"),
            1);
  EXPECT_GT(chunk_of(db, "msg.eml"), 0);  // the message itself has text too
  auto st = library_status(db);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->documents, 2);
  // Unchanged second run reads nothing.
  auto again = lib_.index();
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_EQ(again.parts_written, 0);
  expect_consistent(db);
}

}  // namespace
}  // namespace trove::index
