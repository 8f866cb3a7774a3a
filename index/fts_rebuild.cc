// index/fts_rebuild.cc — batched FTS refill with progress (see fts_rebuild.h).
#include "index/fts_rebuild.h"

#include <chrono>
#include <string>

#include "core/log.h"

namespace trove::index {

Status rebuild_chunks_fts(Db& db) {
  auto total = query_int(db, "SELECT count(*) FROM chunks");
  if (!total.ok()) return total.error();
  if (*total == 0) return {};
  constexpr int kBatch = 2000;
  auto insert = db.prepare(
      "INSERT INTO chunks_fts(rowid, text, heading, title)"
      " SELECT id, text, heading, title FROM chunks_fts_content WHERE id > ?1"
      " ORDER BY id LIMIT ?2");
  if (!insert.ok()) return insert.error();
  auto last = db.prepare(
      "SELECT coalesce(max(id), -1), count(*) FROM"
      " (SELECT id FROM chunks WHERE id > ?1 ORDER BY id LIMIT ?2)");
  if (!last.ok()) return last.error();
  using Clock = std::chrono::steady_clock;
  auto shown = Clock::now();
  int64_t after = -1, done = 0;
  for (;;) {
    last->reset();
    last->bind(1, after).bind(2, kBatch);
    auto row = last->step();
    if (!row.ok()) return row.error();
    int64_t upto = last->column_int(0), n = last->column_int(1);
    last->reset();
    if (n == 0) break;
    insert->reset();
    TROVE_TRY(insert->bind(1, after).bind(2, kBatch).run());
    after = upto;
    done += n;
    if (Clock::now() - shown > std::chrono::seconds(1) || done == *total) {
      shown = Clock::now();
      log_info("rebuilding the keyword index for CJK search: " + std::to_string(done) + "/" +
               std::to_string(*total) + " passages");
    }
  }
  return {};
}

}  // namespace trove::index
