// index/ocr_cache.h — the library's OCR page cache (ingest::OcrCache over SQLite, v8).
//
// Lookups run on the indexer's parse thread through a read-only connection of their
// own (WAL lets it read while the writer thread writes); pages are stored by the
// writer, in the transaction of the document they belong to.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "index/sqlite.h"
#include "ingest/ocr.h"

namespace trove::index {

class LibraryOcrCache : public ingest::OcrCache {
 public:
  // Opens `db_path` read-only; a cache that cannot open answers every lookup empty.
  explicit LibraryOcrCache(const std::string& db_path);
  std::vector<ingest::OcrPage> lookup(std::string_view content_hash,
                                      std::string_view languages) const override;

 private:
  mutable std::mutex mu_;
  mutable std::optional<Db> db_;
};

// Stores the pages recognised in this run and marks the reused ones as hit by it.
Status store_ocr_pages(Db& db, const std::string& content_hash, const std::string& languages,
                       const std::vector<ingest::OcrPage>& pages, int64_t run_id);

struct OcrTotals {
  int64_t pages = 0;         // pages in the cache
  double seconds = 0;        // time spent recognising them
  int64_t pages_last_run = 0;  // recognised in the last run
  int64_t hits_last_run = 0;   // reused from the cache in the last run
};
Result<OcrTotals> ocr_totals(Db& db, int64_t last_run_id);

}  // namespace trove::index
