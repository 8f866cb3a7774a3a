// tests/faults/escape_test.cc — issue 15, fault 1: a file swapped for a symlink (or a
// folder swapped for a link to another tree) between the walk and the read was
// followed, indexing a file outside the source. The reader must refuse anything that
// is not the file the walk vetted; --follow admits links to regular files outside.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "index/indexer.h"
#include "index/library.h"
#include "index/sqlite.h"

namespace trove::index {
namespace {

namespace fs = std::filesystem;

class Tree {
 public:
  Tree() {
    std::string t = (fs::temp_directory_path() / "trove-escape-XXXXXX").string();
    root_ = ::mkdtemp(t.data());
    fs::create_directories(src());
    fs::create_directories(outside());
    write(outside() + "/secret.txt", "TOPSECRET credentials of another user\n");
    write(outside() + "/sub/b.txt", "TOPSECRET in a folder outside\n");
    auto p = resolve_library_paths(root_ + "/home");
    EXPECT_TRUE(p.ok());
    paths_ = *p;
  }
  ~Tree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string src() const { return root_ + "/src"; }
  std::string outside() const { return root_ + "/outside"; }
  static void write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
  }
  // Indexes src; `between` runs after the walk and before any file is read (the
  // first progress report comes from the skipped FIFO, before the reader starts).
  std::string index_and_dump(const std::function<void()>& between, bool follow = false) {
    EXPECT_EQ(::mkfifo((src() + "/0-pipe").c_str(), 0600), 0);
    auto db = open_library(paths_);
    EXPECT_TRUE(db.ok());
    IndexOptions opt;
    opt.paths = {src()};
    opt.follow = follow;
    bool done = false;
    IndexCallbacks cb;
    cb.on_progress = [&](const IndexProgress&) {
      if (!done && between) between();
      done = true;
    };
    auto sum = index_sources(*db, opt, cb);
    EXPECT_TRUE(sum.ok()) << (sum.ok() ? "" : sum.error().message);
    std::string all;
    auto st = db->prepare(
        "SELECT d.rel_path, d.status, coalesce(d.fail_detail, ''), coalesce(c.text, '') "
        "FROM documents d LEFT JOIN chunks c ON c.document_id = d.id ORDER BY d.rel_path");
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
    while (st.ok() && *st->step()) {
      all += st->column_text(0) + "|" + st->column_text(1) + "|" + st->column_text(2) + "|" +
             st->column_text(3) + "\n";
    }
    return all;
  }

 private:
  std::string root_;
  LibraryPaths paths_;
};

TEST(Escape, AFileSwappedForASymlinkAfterTheWalkIsNotFollowed) {
  Tree t;
  Tree::write(t.src() + "/a.txt", "harmless notes\n");
  std::string dump = t.index_and_dump([&] {
    fs::remove(t.src() + "/a.txt");
    fs::create_symlink(t.outside() + "/secret.txt", t.src() + "/a.txt");
  });
  EXPECT_EQ(dump.find("TOPSECRET"), std::string::npos) << dump;
  EXPECT_NE(dump.find("a.txt|failed|"), std::string::npos) << dump;
  EXPECT_NE(dump.find("symbolic link"), std::string::npos) << dump;
}

TEST(Escape, AFolderSwappedForALinkAfterTheWalkIsNotFollowed) {
  Tree t;
  Tree::write(t.src() + "/sub/b.txt", "harmless notes in a folder\n");
  std::string dump = t.index_and_dump([&] {
    fs::remove_all(t.src() + "/sub");
    fs::create_directory_symlink(t.outside() + "/sub", t.src() + "/sub");
  });
  EXPECT_EQ(dump.find("TOPSECRET"), std::string::npos) << dump;
  EXPECT_NE(dump.find("sub/b.txt|failed|"), std::string::npos) << dump;
  EXPECT_NE(dump.find("replaced"), std::string::npos) << dump;
}

TEST(Escape, FollowAdmitsLinksToFilesOutsideButNeverFolders) {
  {
    Tree t;
    fs::create_symlink(t.outside() + "/secret.txt", t.src() + "/linked.txt");
    fs::create_directory_symlink(t.outside() + "/sub", t.src() + "/linked-dir");
    std::string dump = t.index_and_dump(nullptr, /*follow=*/false);
    EXPECT_EQ(dump.find("TOPSECRET"), std::string::npos) << dump;
  }
  {
    Tree t;
    fs::create_symlink(t.outside() + "/secret.txt", t.src() + "/linked.txt");
    fs::create_directory_symlink(t.outside() + "/sub", t.src() + "/linked-dir");
    std::string dump = t.index_and_dump(nullptr, /*follow=*/true);
    EXPECT_NE(dump.find("linked.txt|ok||TOPSECRET credentials"), std::string::npos) << dump;
    EXPECT_EQ(dump.find("TOPSECRET in a folder outside"), std::string::npos) << dump;
  }
}

}  // namespace
}  // namespace trove::index
