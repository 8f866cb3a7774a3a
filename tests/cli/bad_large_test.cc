// tests/cli/bad_large_test.cc (label slow) — the hostile corpus plus its five large
// generated files (make_large_bad.py, written into a temp copy only): `trove index`
// exits 0 and every file ends up indexed or listed as failed with a reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/process.h"

namespace trove::testing {
namespace {

namespace fs = std::filesystem;

TEST(BadCorpusLarge, EveryFileIndexedOrFailedWithAReason) {
  const std::string corpus = std::string(TROVE_SOURCE_DIR) + "/../shared/corpus";
  if (!fs::exists(corpus + "/bad")) GTEST_SKIP() << "corpus missing";
  TempDir dir;
  const std::string src = dir.path() + "/bad";
  fs::copy(corpus + "/bad", src, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  std::string gen = "python3 " + corpus + "/make_large_bad.py " + src + "/large >/dev/null";
  ASSERT_EQ(std::system(gen.c_str()), 0);

  const std::string home = dir.path() + "/home";
  auto idx = run_trove({"--home", home, "index", src, "--json"}, dir.path());
  ASSERT_EQ(idx.rc, 0) << idx.err;
  auto st = run_trove({"--home", home, "status", "--json"}, dir.path());
  ASSERT_EQ(st.rc, 0);
  std::ofstream(dir.path() + "/idx.json") << idx.out;
  std::ofstream(dir.path() + "/st.json") << st.out;
  std::string check =
      "python3 - " + dir.path() +
      " <<'EOF'\nimport json,sys\nd=sys.argv[1]\ni=json.load(open(d+'/idx.json'))\n"
      "s=json.load(open(d+'/st.json'))\nassert i['files']>=5\n"
      "assert i['files']==i['added']+i['failed']+i['skipped'], i\n"
      "assert s['documents']+s['failed']+s['skipped']==i['files'], (s, i)\n"
      "assert all(f['reason'] for f in s['failures']+s['skipped_files'])\n"
      "assert len(i['skipped_files'])==i['skipped'], i\nEOF";
  EXPECT_EQ(std::system(check.c_str()), 0) << idx.out << "\n" << st.out;
}

}  // namespace
}  // namespace trove::testing
