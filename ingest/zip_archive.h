// ingest/zip_archive.h — read-only access to a ZIP container in memory (DOCX, ODT, EPUB),
// with the limits a hostile archive needs.
//
//   ZipArchive zip;
//   if (!zip.open(bytes, ZipLimits{}, &why)) return fail(why);
//   std::string xml;
//   if (!zip.read("word/document.xml", &xml, &why)) return fail(why);
//
// Never trusts the sizes the archive declares: reads stream through libzip and stop
// when an entry's output passes `max_entry_bytes`, when all reads together pass
// `max_total_bytes`, or when an entry inflates more than `max_ratio` times its
// compressed size (once past `ratio_grace_bytes`, so tiny well-compressed parts pass).
// open() refuses archives with more than `max_entries` entries, entries whose names
// climb out of the archive ("../x", "/etc/x", "C:\x"), and entries that are encrypted
// (ZipError::kEncrypted), so a caller can say "password-protected" rather than
// "corrupt". Entry names are matched exactly (ZIP names are case-sensitive).
//
// Thread-safety: one ZipArchive per thread; the bytes must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace trove::ingest {

struct ZipLimits {
  uint64_t max_entry_bytes = 256ull << 20;   // one entry, inflated
  uint64_t max_total_bytes = 512ull << 20;   // all entries read from this archive
  uint64_t max_ratio = 100;                  // inflated / compressed, per entry
  uint64_t ratio_grace_bytes = 4ull << 20;   // ratio checked once an entry passes this
  uint64_t max_entries = 20000;
};

enum class ZipError { kNone, kNotZip, kCorrupt, kEncrypted, kUnsafeName, kBomb, kMissing };

class ZipArchive {
 public:
  ZipArchive();
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // False with *why set (and error() saying which kind) when the archive is unusable.
  bool open(std::string_view bytes, const ZipLimits& limits, std::string* why);

  bool has(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }

  // Reads one entry whole; false with *why (naming the entry) on any limit or error.
  bool read(std::string_view name, std::string* out, std::string* why);

  ZipError error() const { return error_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> names_;
  ZipLimits limits_;
  uint64_t total_read_ = 0;
  ZipError error_ = ZipError::kNone;
};

// True when a ZIP entry name stays inside the archive: not absolute, no drive letter,
// no ".." component (with '/' or '\' as separator).
bool zip_name_is_safe(std::string_view name);

// Resolves `href` (percent-encoded, relative to the entry `base`, e.g. "EPUB/content.opf")
// to an entry name; "" when it climbs out of the archive.
std::string zip_resolve(std::string_view base, std::string_view href);

}  // namespace trove::ingest
