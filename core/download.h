// core/download.h — fetches one file over HTTP(S) into place, safely (libcurl).
//
// The file is streamed to DEST.part; an interrupted download is resumed from the
// bytes already there with a Range request (a server that ignores Range makes it
// start over). When the transfer ends, the size is checked against what the server
// announced and against expected_size, the file is checked to be a GGUF model
// (GgufFile::open) when check_gguf is set, its SHA-256 is computed and compared with
// expected_sha256 when given, and only then is it renamed to DEST. A failed check
// deletes the partial file, so a bad download is never mistaken for a good one.
// This is the only code in trove that touches the network.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/result.h"

namespace trove {

struct DownloadOptions {
  std::string url;
  std::string dest;             // final path; DEST.part is used while downloading
  uint64_t expected_size = 0;   // 0: unknown
  std::string expected_sha256;  // lower-case hex; empty: not checked
  bool check_gguf = true;
  long connect_timeout_s = 30;
  long low_speed_timeout_s = 60;  // abort when under 1 KiB/s for this long
  // Called as bytes arrive (done includes resumed bytes; total 0 when unknown).
  // Returning false cancels the download (the .part file is kept for a later resume).
  std::function<bool(uint64_t done, uint64_t total)> progress;
};

struct DownloadResult {
  std::string path;
  uint64_t size = 0;
  std::string sha256;
  uint64_t resumed_from = 0;  // bytes that were already on disk
};

Result<DownloadResult> download_file(const DownloadOptions& opts);

}  // namespace trove
