// tests/cli/crash_test.cc — SIGKILL `trove index` at several moments; after each
// kill the library must be consistent, and a final run must reach exactly the state
// of a clean, uninterrupted run.
//
// Default suite: a ~180-file subset of ../shared/corpus/dev copied to a temp folder.
// Built with TROVE_CRASH_FULL_CORPUS (target cli_crash_full_test, label slow): the
// whole dev corpus, in place.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "index/sqlite.h"
#include "tests/support/process.h"

namespace trove::testing {
namespace {

namespace fs = std::filesystem;

const std::string kDev = std::string(TROVE_SOURCE_DIR) + "/../shared/corpus/dev";

int64_t q(index::Db& db, const std::string& sql) {
  auto v = index::query_int(db, sql);
  EXPECT_TRUE(v.ok()) << sql << ": " << (v.ok() ? "" : v.error().message);
  return v.ok() ? *v : -1;
}

void expect_consistent(const std::string& db_path, const std::string& when) {
  SCOPED_TRACE(when);
  if (!fs::exists(db_path)) return;  // killed before the database was created
  auto db = index::Db::open(db_path);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto st = db->prepare("PRAGMA integrity_check");
  ASSERT_TRUE(st.ok());
  auto row = st->step();
  if (!row.ok() || !*row) {
    // The kill may have landed before the schema existed; a fresh library is fine.
    return;
  }
  EXPECT_EQ(st->column_text(0), "ok");
  if (q(*db, "SELECT count(*) FROM sqlite_master WHERE name = 'chunks'") == 0) return;
  EXPECT_TRUE(db->exec("INSERT INTO chunks_fts(chunks_fts) VALUES('integrity-check')").ok());
  EXPECT_EQ(q(*db,
              "SELECT count(*) FROM chunks WHERE document_id NOT IN "
              "(SELECT id FROM documents)"),
            0);
  EXPECT_EQ(q(*db,
              "SELECT count(*) FROM (SELECT path FROM documents GROUP BY path "
              "HAVING count(*) > 1)"),
            0);
  EXPECT_EQ(q(*db, "SELECT count(*) FROM chunks_fts"), q(*db, "SELECT count(*) FROM chunks"));
}

struct Counts {
  int64_t ok_docs = 0, failed_docs = 0, chunks = 0;
  int64_t chunk_text_hash = 0;  // order-independent digest of (rel_path, ordinal, length)
};

Counts counts_of(const std::string& db_path) {
  auto db = index::Db::open(db_path);
  EXPECT_TRUE(db.ok());
  Counts c;
  c.ok_docs = q(*db, "SELECT count(*) FROM documents WHERE status = 'ok'");
  c.failed_docs = q(*db, "SELECT count(*) FROM documents WHERE status = 'failed'");
  c.chunks = q(*db, "SELECT count(*) FROM chunks");
  c.chunk_text_hash = q(*db,
                        "SELECT total(length(d.rel_path) * 7 + c.ordinal * 131 + length(c.text))"
                        " FROM chunks c JOIN documents d ON d.id = c.document_id");
  return c;
}

std::string source_folder(const TempDir& dir) {
#ifdef TROVE_CRASH_FULL_CORPUS
  (void)dir;
  return fs::canonical(kDev).string();
#else
  // A mixed subset: man pages and HTML/Markdown/text, some PDFs (incl. encrypted).
  std::string src = dir.path() + "/src";
  fs::create_directories(src);
  for (const char* pkg : {"manpages", "doc-debian", "qpdf-encrypted-variants", "vim-runtime",
                          "nodejs-doc", "r-doc-pdf"}) {
    fs::copy(kDev + "/" + pkg, src + "/" + pkg,
             fs::copy_options::recursive | fs::copy_options::skip_symlinks);
  }
  return src;
#endif
}

TEST(Crash, KilledIndexRunsLeaveAConsistentLibraryAndTheNextRunCompletes) {
  if (!fs::exists(kDev)) GTEST_SKIP() << kDev << " missing";
  TempDir dir;
  const std::string src = source_folder(dir);
  const std::string clean_home = dir.path() + "/clean", crash_home = dir.path() + "/crashed";

  auto clean = run_trove({"--home", clean_home, "index", src}, dir.path());
  ASSERT_EQ(clean.rc, 0) << clean.err;
  const double clean_seconds = clean.seconds;
  Counts want = counts_of(clean_home + "/trove.db");
  ASSERT_GT(want.ok_docs, 0);

#ifdef TROVE_CRASH_FULL_CORPUS
  const std::vector<double> kill_after = {0.3, 1, 2, 5, 10, 20};
#else
  const std::vector<double> kill_after = {0.3, 1, 2, 3};
#endif
  int killed = 0;
  for (double t : kill_after) {
    if (t > clean_seconds * 1.5 + 1) break;
    pid_t pid =
        spawn_trove({"--home", crash_home, "index", src}, dir.path() + "/out", dir.path() + "/err");
    std::this_thread::sleep_for(std::chrono::duration<double>(t));
    if (::kill(pid, SIGKILL) == 0) ++killed;
    wait_exit(pid);
    expect_consistent(crash_home + "/trove.db", "after kill at " + std::to_string(t) + " s");
  }
  EXPECT_GT(killed, 0);

  auto finish = run_trove({"--home", crash_home, "index", src}, dir.path());
  ASSERT_EQ(finish.rc, 0) << finish.err;
  expect_consistent(crash_home + "/trove.db", "after the final run");
  Counts got = counts_of(crash_home + "/trove.db");
  EXPECT_EQ(got.ok_docs, want.ok_docs);
  EXPECT_EQ(got.failed_docs, want.failed_docs);
  EXPECT_EQ(got.chunks, want.chunks);
  EXPECT_EQ(got.chunk_text_hash, want.chunk_text_hash);

  // And a further run has nothing left to do.
  auto again = run_trove({"--home", crash_home, "index", "--json"}, dir.path());
  ASSERT_EQ(again.rc, 0);
  EXPECT_NE(again.out.find("\"added\":0,\"updated\":0"), std::string::npos) << again.out;
}

}  // namespace
}  // namespace trove::testing
