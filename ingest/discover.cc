// ingest/discover.cc — the source walker: sorted, ignore-aware, symlink-safe.
#include "ingest/discover.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "ingest/ignore_rules.h"

namespace trove::ingest {
namespace {

// Folders nested deeper than this are reported, not entered: real trees never get
// close, and it bounds the recursion of the walk.
constexpr int kMaxDepth = 128;

struct DirCloser {
  void operator()(DIR* d) const { closedir(d); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

struct FreeDeleter {
  void operator()(char* p) const { free(p); }  // NOLINT: realpath's buffer
};

std::string join(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  return a + "/" + b;
}

// Canonical absolute path, or empty when it cannot be resolved.
std::string real_path(const std::string& p) {
  std::unique_ptr<char, FreeDeleter> buf(realpath(p.c_str(), nullptr));
  return buf ? std::string(buf.get()) : std::string();
}

bool inside(const std::string& canonical, const std::string& root) {
  if (root == "/") return true;
  return canonical == root ||
         (canonical.size() > root.size() && canonical.compare(0, root.size(), root) == 0 &&
          canonical[root.size()] == '/');
}

const char* special_kind(mode_t m) {
  if (S_ISFIFO(m)) return "named pipe (FIFO)";
  if (S_ISCHR(m)) return "character device";
  if (S_ISBLK(m)) return "block device";
  if (S_ISSOCK(m)) return "socket";
  return "not a regular file";
}

std::string read_small_file(const std::string& path) {
  // O_NONBLOCK: a .troveignore that is a FIFO must not hang the walk.
  int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return {};
  std::string out;
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (1 << 20)) {
    out.resize(static_cast<size_t>(st.st_size));
    ssize_t n = read(fd, out.data(), out.size());
    out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  }
  close(fd);
  return out;
}

class Walker {
 public:
  Walker(std::string root, const DiscoverOptions& o,
         const std::function<void(DiscoveredFile)>& on_file,
         const std::function<void(SkippedFile)>& on_skip)
      : root_(std::move(root)), opt_(o), on_file_(on_file), on_skip_(on_skip) {}

  void walk_dir(const std::string& rel, int depth) {
    const std::string abs = rel.empty() ? (root_.empty() ? "/" : root_) : root_ + "/" + rel;
    if (depth > kMaxDepth) {
      skip(abs, FailReason::kUnsupported, "folder nesting deeper than 128 levels");
      return;
    }
    DirHandle dir(opendir(abs.c_str()));
    if (!dir) {
      skip(abs, FailReason::kUnreadable, std::string("cannot open folder: ") + strerror(errno));
      return;
    }
    std::vector<std::string> names;
    errno = 0;
    while (dirent* e = readdir(dir.get())) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    dir.reset();
    std::sort(names.begin(), names.end());

    bool pushed = false;
    if (std::binary_search(names.begin(), names.end(), ".troveignore")) {
      IgnoreRules rules = IgnoreRules::parse(read_small_file(abs + "/.troveignore"));
      if (!rules.empty()) {
        ignores_.push_back({rel, std::move(rules)});
        pushed = true;
      }
    }
    for (const std::string& name : names) visit(rel, name, depth);
    if (pushed) ignores_.pop_back();
  }

  void visit(const std::string& dir_rel, const std::string& name, int depth) {
    if (name == ".git" || name == ".troveignore") return;
    if (name[0] == '.' && !opt_.include_hidden) return;
    const std::string rel = join(dir_rel, name);
    const std::string abs = root_ + "/" + rel;
    struct stat lst {};
    if (lstat(abs.c_str(), &lst) != 0) {
      skip(abs, FailReason::kUnreadable, std::string("cannot stat: ") + strerror(errno));
      return;
    }
    struct stat st = lst;
    std::string target;
    if (S_ISLNK(lst.st_mode)) {
      if (!resolve_link(abs, &st, &target)) return;
    }
    const bool is_dir = S_ISDIR(st.st_mode);
    if (ignored(rel, is_dir)) return;
    if (is_dir) {
      auto key = std::make_pair(static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino));
      if (!visited_dirs_.insert(key).second) {
        skip(abs, FailReason::kSkipped,
             S_ISLNK(lst.st_mode) ? "symlink loop or link to a folder already walked"
                                  : "folder already walked (bind mount or hard link)");
        return;
      }
      walk_dir(rel, depth + 1);
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      skip(abs, FailReason::kSkipped, special_kind(st.st_mode));
      return;
    }
    if (static_cast<uint64_t>(st.st_size) > opt_.max_file_size) {
      skip(abs, FailReason::kTooLarge,
           std::to_string(st.st_size) + " bytes, limit " + std::to_string(opt_.max_file_size));
      return;
    }
    if (access(abs.c_str(), R_OK) != 0) {
      skip(abs, FailReason::kUnreadable, std::string("cannot read: ") + strerror(errno));
      return;
    }
    DiscoveredFile f;
    f.path = abs;
    f.rel_path = rel;
    f.size = static_cast<uint64_t>(st.st_size);
    f.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    f.inode = static_cast<uint64_t>(st.st_ino);
    f.dev = static_cast<uint64_t>(st.st_dev);
    f.target = std::move(target);
    on_file_(std::move(f));
  }

  // Follows a symlink only to a target inside the root (or, with follow_outside, to a
  // regular file anywhere); fills *st with the target and *target with its path.
  bool resolve_link(const std::string& abs, struct stat* st, std::string* target) {
    if (stat(abs.c_str(), st) != 0) {
      skip(abs, errno == ELOOP ? FailReason::kSkipped : FailReason::kUnreadable,
           errno == ELOOP ? "symlink loop" : "dangling symlink");
      return false;
    }
    *target = real_path(abs);
    if (target->empty()) {
      skip(abs, FailReason::kUnreadable, "symlink target cannot be resolved");
      return false;
    }
    if (!inside(*target, root_real_) && !(opt_.follow_outside && S_ISREG(st->st_mode))) {
      skip(abs, FailReason::kSkipped,
           "symlink points outside the source (" + *target + "; --follow indexes such files)");
      return false;
    }
    return true;
  }

  // Deeper .troveignore files take precedence, as in git; within one file the last
  // matching rule wins (IgnoreRules::match).
  bool ignored(const std::string& rel, bool is_dir) const {
    for (auto it = ignores_.rbegin(); it != ignores_.rend(); ++it) {
      std::string_view sub = rel;
      if (!it->first.empty()) sub.remove_prefix(it->first.size() + 1);
      if (auto m = it->second.match(sub, is_dir)) return *m;
    }
    return false;
  }

  void skip(const std::string& path, FailReason r, std::string detail) {
    on_skip_(SkippedFile{path, r, std::move(detail)});
  }

  void set_root_real(std::string r) { root_real_ = std::move(r); }
  void mark_visited(uint64_t dev, uint64_t ino) { visited_dirs_.insert({dev, ino}); }

 private:
  std::string root_;       // as reached (absolute); paths are reported under it
  std::string root_real_;  // canonical, for the "inside the source" test
  const DiscoverOptions& opt_;
  const std::function<void(DiscoveredFile)>& on_file_;
  const std::function<void(SkippedFile)>& on_skip_;
  std::vector<std::pair<std::string, IgnoreRules>> ignores_;  // (folder rel, rules)
  std::set<std::pair<uint64_t, uint64_t>> visited_dirs_;      // (dev, inode)
};

}  // namespace

int open_discovered(const DiscoveredFile& f, std::string* why) {
  const std::string& path = f.target.empty() ? f.path : f.target;
  // O_NOFOLLOW: the walk vetted what it saw; a link planted since must not be followed.
  // O_NONBLOCK: nor may a FIFO planted since hang the read.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
  if (fd < 0) {
    *why = errno == ELOOP ? "replaced by a symbolic link since the walk; not followed"
                          : std::string(strerror(errno));
    return -1;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    *why = "not a regular file";
    return -1;
  }
  // Same device and inode as the walk saw: a folder above it swapped for a link, or the
  // file replaced by another, lands on a different inode.
  if ((f.dev != 0 || f.inode != 0) &&
      (static_cast<uint64_t>(st.st_dev) != f.dev || static_cast<uint64_t>(st.st_ino) != f.inode)) {
    close(fd);
    *why = "replaced since the walk (a different file is there now); read on the next run";
    return -1;
  }
  return fd;
}

Status discover(const std::string& root, const DiscoverOptions& options,
                const std::function<void(DiscoveredFile)>& on_file,
                const std::function<void(SkippedFile)>& on_skip) {
  std::string canonical = real_path(root);
  if (canonical.empty()) {
    return make_error("cannot open source folder " + root + ": " + strerror(errno));
  }
  struct stat st {};
  if (stat(canonical.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return make_error("source " + root + " is not a folder");
  }
  if (access(canonical.c_str(), R_OK | X_OK) != 0) {
    return make_error("cannot read source folder " + root + ": " + strerror(errno));
  }
  Walker w(canonical == "/" ? std::string() : canonical, options, on_file, on_skip);
  w.set_root_real(canonical);
  w.mark_visited(static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino));
  w.walk_dir("", 0);
  return {};
}

}  // namespace trove::ingest
