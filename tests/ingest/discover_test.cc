// Tests for ingest/discover: ignore files, hidden entries, symlinks, special files,
// size limit and order, on trees built at run time in a temporary folder.
#include "ingest/discover.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ingest/parse.h"

namespace trove::ingest {
namespace {

namespace fs = std::filesystem;

class TempTree {
 public:
  TempTree() {
    std::string tmpl = (fs::temp_directory_path() / "trove-discover-XXXXXX").string();
    root_ = mkdtemp(tmpl.data());
  }
  ~TempTree() {
    std::error_code ec;
    fs::permissions(root_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(root_, ec);
  }
  const std::string& root() const { return root_; }
  std::string path(const std::string& rel) const { return root_ + "/" + rel; }
  void file(const std::string& rel, const std::string& content = "text\n") const {
    fs::create_directories(fs::path(path(rel)).parent_path());
    std::ofstream(path(rel)) << content;
  }
  void link(const std::string& target, const std::string& rel) const {
    fs::create_directories(fs::path(path(rel)).parent_path());
    fs::create_symlink(target, path(rel));
  }

 private:
  std::string root_;
};

struct Walk {
  std::vector<std::string> files;  // rel paths
  std::vector<SkippedFile> skipped;
  std::vector<DiscoveredFile> details;
};

Walk walk(const std::string& root, DiscoverOptions o = {}) {
  Walk w;
  Status s = discover(
      root, o,
      [&](DiscoveredFile f) {
        w.files.push_back(f.rel_path);
        w.details.push_back(std::move(f));
      },
      [&](SkippedFile f) { w.skipped.push_back(std::move(f)); });
  EXPECT_TRUE(s.ok()) << s.error().message;
  return w;
}

const SkippedFile* find_skip(const Walk& w, const std::string& suffix) {
  for (const SkippedFile& s : w.skipped) {
    if (s.path.size() >= suffix.size() &&
        s.path.compare(s.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return &s;
    }
  }
  return nullptr;
}

TEST(Discover, IgnoreFilesHiddenAndGitInSortedOrder) {
  TempTree t;
  t.file("b.txt");
  t.file("a.md");
  t.file(".hidden.md");
  t.file(".hiddendir/x.md");
  t.file(".git/config");
  t.file("logs/x.log");
  t.file("keep.log");
  t.file("build/out.txt");
  t.file("src/build/inner.txt");
  t.file("sub/c.md");
  t.file("sub/deep/d.md");
  t.file("sub/deep2/e.md");
  t.file("sub/notes.tmp");
  t.file(".troveignore", "# comment\n*.log\n!keep.log\n/build\n");
  t.file("sub/.troveignore", "deep/\n*.tmp\n");
  Walk w = walk(t.root());
  std::vector<std::string> want = {"a.md",     "b.txt",         "keep.log", "src/build/inner.txt",
                                   "sub/c.md", "sub/deep2/e.md"};
  EXPECT_EQ(w.files, want);
  EXPECT_TRUE(w.skipped.empty());
  for (const DiscoveredFile& f : w.details) {
    EXPECT_EQ(f.path, fs::canonical(t.root()).string() + "/" + f.rel_path);
    EXPECT_EQ(f.size, 5u);
    EXPECT_GT(f.mtime_ns, 0);
    EXPECT_NE(f.inode, 0u);
  }
  // Same tree, same answer.
  EXPECT_EQ(walk(t.root()).files, want);
}

TEST(Discover, IncludeHiddenStillSkipsGitAndIgnoreFiles) {
  TempTree t;
  t.file("a.md");
  t.file(".hidden.md");
  t.file(".hiddendir/x.md");
  t.file(".git/HEAD");
  t.file(".troveignore", "nothing-matches\n");
  DiscoverOptions o;
  o.include_hidden = true;
  std::vector<std::string> want = {".hidden.md", ".hiddendir/x.md", "a.md"};
  EXPECT_EQ(walk(t.root(), o).files, want);
}

TEST(Discover, NestedIgnoreFileOverridesParent) {
  TempTree t;
  t.file(".troveignore", "*.txt\n");
  t.file("a.txt");
  t.file("docs/.troveignore", "!*.txt\n");
  t.file("docs/b.txt");
  std::vector<std::string> want = {"docs/b.txt"};
  EXPECT_EQ(walk(t.root()).files, want);
}

TEST(Discover, SymlinksInsideAreFollowedLoopsAndEscapesAreNot) {
  TempTree t;
  TempTree outside;
  outside.file("secret.txt");
  t.file("real/doc.md");
  t.link("real/doc.md", "link-to-doc.md");
  t.link("..", "real/loop-to-parent");
  t.link(".", "self-dir");
  t.link(outside.path("secret.txt"), "escape.txt");
  t.link(outside.root(), "escape-dir");
  t.link("/dev/zero", "zero.txt");
  t.link("missing.md", "dangling.md");
  t.link("self-loop", "self-loop");
  Walk w = walk(t.root());
  std::vector<std::string> want = {"link-to-doc.md", "real/doc.md"};
  EXPECT_EQ(w.files, want);
  ASSERT_NE(find_skip(w, "/escape.txt"), nullptr);
  EXPECT_NE(find_skip(w, "/escape.txt")->detail.find("outside"), std::string::npos);
  ASSERT_NE(find_skip(w, "/escape-dir"), nullptr);
  ASSERT_NE(find_skip(w, "/zero.txt"), nullptr);
  EXPECT_NE(find_skip(w, "/zero.txt")->detail.find("outside"), std::string::npos);
  ASSERT_NE(find_skip(w, "/dangling.md"), nullptr);
  ASSERT_NE(find_skip(w, "/self-loop"), nullptr);
  EXPECT_NE(find_skip(w, "/self-loop")->detail.find("loop"), std::string::npos);
  ASSERT_NE(find_skip(w, "/loop-to-parent"), nullptr);
  ASSERT_NE(find_skip(w, "/self-dir"), nullptr);
}

// The traps of ../shared/corpus/bad/fs, built here as real links: copies of the corpus
// may arrive with its links flattened into plain files (issue 15, fault 9).
TEST(Discover, TwoFileLinkLoopIsReportedNotFollowed) {
  TempTree t;
  t.file("symlink-loop/real.md", "# Real\n\nA real file next to the loops.\n");
  t.link("b.md", "a.md");
  t.link("a.md", "b.md");
  t.link("..", "symlink-loop/parent");
  t.link("self", "symlink-loop/self");
  t.link("../..", "symlink-loop/sub/back-to-top");
  t.link("/etc/hostname", "outside-root.txt");
  t.link("does/not/exist.pdf", "dangling.pdf");
  Walk w = walk(t.root());
  EXPECT_EQ(w.files, std::vector<std::string>{"symlink-loop/real.md"});
  for (const char* trap : {"/a.md", "/b.md", "/symlink-loop/parent", "/symlink-loop/self",
                           "/symlink-loop/sub/back-to-top", "/outside-root.txt", "/dangling.pdf"}) {
    EXPECT_NE(find_skip(w, trap), nullptr) << trap;
  }
  ASSERT_NE(find_skip(w, "/a.md"), nullptr);
  EXPECT_NE(find_skip(w, "/a.md")->detail.find("loop"), std::string::npos);
}

TEST(Discover, FifoIsSkippedWithoutBlocking) {
  TempTree t;
  t.file("a.md");
  ASSERT_EQ(mkfifo(t.path("pipe.txt").c_str(), 0644), 0);
  Walk w = walk(t.root());
  EXPECT_EQ(w.files, std::vector<std::string>{"a.md"});
  const SkippedFile* s = find_skip(w, "/pipe.txt");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->reason, FailReason::kSkipped);
  EXPECT_NE(s->detail.find("FIFO"), std::string::npos);
  // Parsing a FIFO directly must not block either.
  ParsedDocument d = parse_file(t.path("pipe.txt"));
  EXPECT_NE(d.fail, FailReason::kNone);
}

TEST(Discover, SizeLimitReportsTooLarge) {
  TempTree t;
  t.file("small.txt", "12345");
  t.file("big.txt", std::string(100, 'x'));
  DiscoverOptions o;
  o.max_file_size = 50;
  Walk w = walk(t.root(), o);
  EXPECT_EQ(w.files, std::vector<std::string>{"small.txt"});
  const SkippedFile* s = find_skip(w, "/big.txt");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->reason, FailReason::kTooLarge);
}

// Root reads mode-000 files, so as root this test reruns itself as `nobody` through
// setpriv(1) (util-linux): CI often runs as root, and a skipped permission test would
// hide exactly the failure it exists for (issue 15, fault 9).
void rerun_unprivileged(const char* test) {
  ASSERT_EQ(std::system("command -v setpriv >/dev/null 2>&1"), 0)
      << "running as root and setpriv(1) is missing: cannot run the permission test "
         "unprivileged (install util-linux)";
  char exe[4096] = {};
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  ASSERT_GT(n, 0);
  std::string cmd = "TMPDIR=/tmp setpriv --reuid=65534 --regid=65534 --clear-groups '" +
                    std::string(exe) + "' --gtest_filter=" + test + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << out;
  // Proof that the test ran (a filter matching nothing also exits 0).
  EXPECT_NE(out.find("[  PASSED  ] 1 test"), std::string::npos) << out;
}

TEST(Discover, UnreadableFileAndFolderAreReported) {
  if (geteuid() == 0) {
    rerun_unprivileged("Discover.UnreadableFileAndFolderAreReported");
    return;
  }
  TempTree t;
  t.file("a.md");
  t.file("locked.md");
  t.file("closed/inner.md");
  chmod(t.path("locked.md").c_str(), 0);
  chmod(t.path("closed").c_str(), 0);
  Walk w = walk(t.root());
  EXPECT_EQ(w.files, std::vector<std::string>{"a.md"});
  ASSERT_NE(find_skip(w, "/locked.md"), nullptr);
  EXPECT_EQ(find_skip(w, "/locked.md")->reason, FailReason::kUnreadable);
  ASSERT_NE(find_skip(w, "/closed"), nullptr);
  EXPECT_EQ(find_skip(w, "/closed")->reason, FailReason::kUnreadable);
  chmod(t.path("closed").c_str(), 0755);
}

TEST(Discover, VanishedFileParsesAsUnreadable) {
  // The root-proof way to get an unreadable file: it disappears between discovery and
  // parsing.
  TempTree t;
  t.file("gone.md");
  Walk w = walk(t.root());
  ASSERT_EQ(w.files.size(), 1u);
  fs::remove(t.path("gone.md"));
  ParsedDocument d = parse_file(w.details[0].path);
  EXPECT_EQ(d.fail, FailReason::kUnreadable);
  EXPECT_FALSE(d.fail_detail.empty());
}

TEST(Discover, MissingOrNonFolderRootIsAnError) {
  TempTree t;
  t.file("file.txt");
  auto nop_file = [](const DiscoveredFile&) {};
  auto nop_skip = [](const SkippedFile&) {};
  EXPECT_FALSE(discover(t.path("nope"), {}, nop_file, nop_skip).ok());
  EXPECT_FALSE(discover(t.path("file.txt"), {}, nop_file, nop_skip).ok());
}

}  // namespace
}  // namespace trove::ingest
