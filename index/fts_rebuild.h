// index/fts_rebuild.h — refilling chunks_fts from the chunks, with a progress line.
//
// Used by the schema migration that changes the FTS tokenizer: the table is dropped and
// recreated empty in the migration's SQL, then this inserts every chunk's indexed
// values (text, heading, document title) in id order, in batches, logging
// "rebuilding the keyword index: N/M passages" about once a second. It runs inside the
// migration's transaction, so a killed upgrade leaves the old table and version intact
// and the next open starts the rebuild again.
#pragma once

#include "core/result.h"
#include "index/sqlite.h"

namespace trove::index {

Status rebuild_chunks_fts(Db& db);

}  // namespace trove::index
