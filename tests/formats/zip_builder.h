// tests/formats/zip_builder.h — builds ZIP containers in memory (libzip) so the tests
// can make exactly the DOCX/ODT/EPUB files, and the hostile ones, they need.
#pragma once

#include <zip.h>

#include <cstdio>
#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace trove::testing {

struct ZipEntry {
  std::string name, data;
  bool store = false;             // no compression (the ODF/EPUB "mimetype" entry)
  const char* password = nullptr;  // AES-256 encrypted entry
};

// Returns the archive bytes; entries in order. Empty on a libzip error.
inline std::string make_zip(const std::vector<ZipEntry>& entries) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!src) return {};
  zip_source_keep(src);
  zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  if (!za) {
    zip_source_free(src);
    return {};
  }
  for (const ZipEntry& e : entries) {
    zip_source_t* s = zip_source_buffer(za, e.data.data(), e.data.size(), 0);
    zip_int64_t idx = zip_file_add(za, e.name.c_str(), s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      zip_source_free(s);
      continue;
    }
    auto i = static_cast<zip_uint64_t>(idx);
    zip_set_file_compression(za, i, e.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9);
    if (e.password) zip_file_set_encryption(za, i, ZIP_EM_AES_256, e.password);
  }
  std::string out;
  if (zip_close(za) != 0) {
    zip_discard(za);
    zip_source_free(src);
    return {};
  }
  if (zip_source_open(src) == 0) {
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t n = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    if (n > 0) {
      out.resize(static_cast<size_t>(n));
      zip_int64_t got = zip_source_read(src, out.data(), static_cast<zip_uint64_t>(n));
      out.resize(got > 0 ? static_cast<size_t>(got) : 0);
    }
    zip_source_close(src);
  }
  zip_source_free(src);
  return out;
}

}  // namespace trove::testing
