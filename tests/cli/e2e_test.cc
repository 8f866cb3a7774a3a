// tests/cli/e2e_test.cc — the trove binary end to end on a temp home: index, search
// --json, status, show, forget, exit codes, the writer lock.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "index/lock_file.h"
#include "tests/support/process.h"

namespace trove::testing {
namespace {

void write_file(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

class E2E : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() + "/home";
    src_ = dir_.path() + "/notes";
    write_file(src_ + "/vpn.md",
               "# Network\n\n## VPN\n\nWe configured the wireguard tunnel on the router.\n");
    write_file(src_ + "/garden.txt", "Tomatoes need sun and patience.\n");
    write_file(src_ + "/deposit.html",
               "<html><head><title>Deposit</title></head><body><p>The landlord keeps the "
               "deposit until the inspection.</p></body></html>");
  }
  ProcResult trove(std::vector<std::string> args) {
    args.insert(args.begin(), {"--home", home_});
    return run_trove(args, dir_.path());
  }

  TempDir dir_;
  std::string home_, src_;
};

TEST_F(E2E, IndexThenSearchJson) {
  auto idx = trove({"index", src_});
  ASSERT_EQ(idx.rc, 0) << idx.err;
  EXPECT_NE(idx.out.find("indexed 3 files: 3 added"), std::string::npos) << idx.out;
  EXPECT_TRUE(idx.err.empty()) << idx.err;  // no progress bar on a pipe

  auto s = trove({"search", "wireguard", "router", "--json"});
  ASSERT_EQ(s.rc, 0) << s.err;
  auto lines = lines_of(s.out);
  ASSERT_GE(lines.size(), 1u);
  EXPECT_TRUE(json_lines_valid(s.out, dir_.path())) << s.out;
  for (const char* key : {"\"path\":", "\"heading\":", "\"score\":", "\"chunk_id\":", "\"text\":",
                          "\"line_start\":", "\"page_start\":"}) {
    EXPECT_NE(lines[0].find(key), std::string::npos) << key << " in " << lines[0];
  }
  EXPECT_NE(lines[0].find(src_ + "/vpn.md"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].find('\x02'), std::string::npos);  // no raw match markers in JSON

  // Human output on a pipe: no colour escapes.
  auto human = trove({"search", "tomatoes"});
  ASSERT_EQ(human.rc, 0);
  EXPECT_NE(human.out.find("garden.txt"), std::string::npos);
  EXPECT_EQ(human.out.find('\x1b'), std::string::npos);
}

TEST_F(E2E, ExitCodesAndHints) {
  auto empty = trove({"search", "anything"});
  EXPECT_EQ(empty.rc, 1);
  EXPECT_NE(empty.err.find("the library is empty: run trove index PATH"), std::string::npos)
      << empty.err;
  ASSERT_EQ(trove({"index", src_}).rc, 0);
  auto none = trove({"search", "zzyzx"});
  EXPECT_EQ(none.rc, 1);
  EXPECT_NE(none.err.find("no passage matches"), std::string::npos) << none.err;
  auto nothing = trove({"search", "\"", "*", "AND"});
  EXPECT_EQ(nothing.rc, 1);
  EXPECT_NE(nothing.err.find("no searchable words"), std::string::npos) << nothing.err;
  auto sem = trove({"search", "router", "--mode", "semantic"});
  EXPECT_EQ(sem.rc, 2);
  // Says why and how to get semantic search.
  EXPECT_NE(sem.err.find("semantic search is not available"), std::string::npos) << sem.err;
  EXPECT_NE(sem.err.find("trove models"), std::string::npos) << sem.err;
  EXPECT_EQ(trove({"search", "router", "--type", "spreadsheet"}).rc, 2);
  EXPECT_EQ(trove({"search", "router", "--bogus-flag"}).rc, 2);
  EXPECT_EQ(trove({"index", dir_.path() + "/missing"}).rc, 2);
  EXPECT_EQ(trove({"show", "999999"}).rc, 1);
  // Nothing matches: a usage error, and nothing is forgotten (cli/exit_codes.h).
  EXPECT_EQ(trove({"forget", dir_.path() + "/never-indexed"}).rc, 2);
}

TEST_F(E2E, StatusShowAndForget) {
  ASSERT_EQ(trove({"index", src_}).rc, 0);
  auto st = trove({"status", "--json"});
  ASSERT_EQ(st.rc, 0) << st.err;
  EXPECT_TRUE(json_lines_valid(st.out, dir_.path())) << st.out;
  EXPECT_NE(st.out.find("\"documents\":3"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("\"status\":\"completed\""), std::string::npos) << st.out;

  auto hit = trove({"search", "tomatoes", "--json", "-k", "1"});
  ASSERT_EQ(hit.rc, 0);
  auto pos = hit.out.find("\"chunk_id\":");
  ASSERT_NE(pos, std::string::npos);
  std::string id = std::to_string(std::stoll(hit.out.substr(pos + 11)));
  auto show = trove({"show", id});
  ASSERT_EQ(show.rc, 0) << show.err;
  EXPECT_NE(show.out.find("Tomatoes need sun"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("garden.txt"), std::string::npos);

  auto forget = trove({"forget", src_ + "/garden.txt"});
  EXPECT_EQ(forget.rc, 0) << forget.err;
  EXPECT_EQ(trove({"search", "tomatoes"}).rc, 1);
  EXPECT_EQ(trove({"show", id}).rc, 1);
  EXPECT_EQ(trove({"forget", src_}).rc, 0);
  auto after = trove({"status", "--json"});
  EXPECT_NE(after.out.find("\"sources\":[]"), std::string::npos) << after.out;
}

TEST_F(E2E, SecondIndexFailsFastWhileLockedAndSearchStillWorks) {
  ASSERT_EQ(trove({"index", src_}).rc, 0);
  auto lock = index::LockFile::acquire(home_ + "/trove.lock", index::LockWait::kFailFast);
  ASSERT_TRUE(lock.ok());
  auto second = trove({"index"});
  EXPECT_EQ(second.rc, 4);  // kExitLocked: cron can tell "try later" from a failure
  EXPECT_LT(second.seconds, 5.0);
  EXPECT_NE(second.err.find("another trove index is running (pid " + std::to_string(::getpid())),
            std::string::npos)
      << second.err;
  auto s = trove({"search", "wireguard"});
  EXPECT_EQ(s.rc, 0) << s.err;
}

TEST_F(E2E, QuietAndJsonSummary) {
  auto q = trove({"--quiet", "index", src_});
  EXPECT_EQ(q.rc, 0);
  EXPECT_TRUE(q.out.empty()) << q.out;
  auto j = trove({"index", "--json"});
  ASSERT_EQ(j.rc, 0);
  EXPECT_TRUE(json_lines_valid(j.out, dir_.path())) << j.out;
  EXPECT_NE(j.out.find("\"unchanged\":3"), std::string::npos) << j.out;
}

// Every file of the hostile corpus is indexed or listed as failed, with a reason.
TEST_F(E2E, BadCorpusIndexesWithFailuresListed) {
  const std::string bad = std::string(TROVE_SOURCE_DIR) + "/../shared/corpus/bad";
  if (!std::filesystem::exists(bad)) GTEST_SKIP() << bad << " missing";
  auto idx = trove({"index", bad, "--json"});
  // New files failed in this run: partial (kExitPartial), each one named on stderr.
  ASSERT_EQ(idx.rc, 3) << idx.err;
  EXPECT_NE(idx.err.find("corpus/bad/pdf/truncated-1k.pdf: parse-error"), std::string::npos)
      << idx.err;
  auto st = trove({"status", "--json"});
  ASSERT_EQ(st.rc, 0);
  ASSERT_TRUE(json_lines_valid(st.out, dir_.path()));
  // Python checks the arithmetic: files seen = ok documents + failed, and every
  // failure has a reason.
  std::ofstream(dir_.path() + "/idx.json") << idx.out;
  std::ofstream(dir_.path() + "/st.json") << st.out;
  std::string cmd =
      "command -v python3 >/dev/null || exit 0; python3 - " + dir_.path() +
      " <<'EOF'\nimport json,sys\nd=sys.argv[1]\ni=json.load(open(d+'/idx.json'))\n"
      "s=json.load(open(d+'/st.json'))\nassert i['files']>0\n"
      "assert i['files']==i['added']+i['failed']+i['skipped'], i\n"
      "assert i['failed']>0 and i['partial'] and i['exit_code']==3, i\n"
      "assert all(f['path'] for f in i['failures']), i\n"
      "assert s['documents']+s['failed']+s['skipped']==i['files'], (s, i)\n"
      "assert all(f['reason'] for f in s['failures']+s['skipped_files'])\n"
      "assert len(i['skipped_files'])==i['skipped'], i\nEOF";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << idx.out << "\n" << st.out;
}

}  // namespace
}  // namespace trove::testing
