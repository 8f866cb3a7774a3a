// ingest/discover.h — walking a source folder: which files are candidates for indexing.
//
// discover() walks `root` recursively in a deterministic (byte-wise sorted) order and
// reports every regular file that passes the rules, and every file it refused with a
// reason. Rules: hidden entries (name starting with '.') and `.git` are skipped unless
// include_hidden (`.git` is always skipped); `.troveignore` files at any level are
// honoured with gitignore semantics (ingest/ignore_rules.h); symlinks are followed only
// when their target stays inside the root and does not revisit a directory already on
// the walk (dev+inode), so loops and links out of the tree are reported, never walked
// (DiscoverOptions::follow_outside admits links to regular files outside);
// FIFOs, devices and sockets are skipped without being opened; files over
// max_file_size are reported as FailReason::kTooLarge.
//
// Thread-safety: a free function with no shared state; callbacks run on the calling
// thread, in order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/result.h"
#include "ingest/document.h"

namespace trove::ingest {

struct DiscoverOptions {
  uint64_t max_file_size = 50ull << 20;  // 50 MiB
  bool include_hidden = false;           // still never enters .git
  // `trove index --follow`: a symlink to a regular file outside the root is indexed
  // (links to folders outside are still reported, never walked).
  bool follow_outside = false;
};

struct DiscoveredFile {
  std::string path;      // absolute path of the entry as reached inside the root
  std::string rel_path;  // relative to the root, '/'-separated
  uint64_t size = 0;     // of the target, for a symlink to a file
  int64_t mtime_ns = 0;
  uint64_t inode = 0, dev = 0;  // of the file read (the target, for a symlink)
  // For a file reached through a symlink: the canonical path of its target. The
  // reader opens this (never following a link) and checks dev+inode, so a file swapped
  // for a link between the walk and the read is refused (read_discovered()).
  std::string target;
};

struct SkippedFile {
  std::string path;  // absolute path of the entry as reached inside the root
  FailReason reason = FailReason::kUnsupported;
  std::string detail;  // e.g. "symlink points outside the source", "FIFO"
};

// Opens a file discover() reported, for reading: without following a symlink in its
// last component (a file reached through a link is opened at its canonical target),
// and only when it is still the file the walk saw (same device and inode). Returns the
// descriptor, or -1 with *why set (e.g. "replaced by a symbolic link since the walk").
int open_discovered(const DiscoveredFile& f, std::string* why);

// Returns an error only when `root` itself cannot be walked (missing, not a directory,
// unreadable). Problems below the root are reported through on_skip and the walk goes on.
// Ignored files (.troveignore, hidden, .git) are not reported at all.
Status discover(const std::string& root, const DiscoverOptions& options,
                const std::function<void(DiscoveredFile)>& on_file,
                const std::function<void(SkippedFile)>& on_skip);

}  // namespace trove::ingest
