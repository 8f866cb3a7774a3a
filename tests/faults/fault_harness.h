// tests/faults/fault_harness.h — shared pieces of the fault-injection tests (issue 15):
// a generated fixture corpus, running trove under the LD_PRELOAD fault shim
// (fault_shim.c), and a canonical dump of a library to compare against a clean run.
//
// The dump holds what the user can observe, without ids: documents (path, status,
// failure reason), chunks (path, ordinal, page and line span, heading path, text), the
// vector count, and the lexical results of a few queries by path and span.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "../cli/run_process.h"
#include "index/sqlite.h"

namespace trove::testing {

namespace fs = std::filesystem;

inline const std::string kEmbedModel =
    std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/models/bert-mean-f16.gguf";

inline void put(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// `files` small documents of mixed types, deterministic. Variant 1 is the same corpus
// after an edit session: two files changed, one removed, three added.
inline void make_corpus(const std::string& src, int files, int variant = 0) {
  fs::remove_all(src);
  fs::create_directories(src);
  const char* topics[] = {"wireguard tunnel", "tomato garden",  "tenancy deposit",
                          "backup rotation",  "kernel upgrade", "tax return"};
  for (int i = 0; i < files; ++i) {
    if (variant == 1 && i == 3) continue;  // removed
    const std::string topic = topics[i % 6];
    std::string body;
    for (int p = 0; p < 4; ++p) {
      body += "Paragraph " + std::to_string(p) + " of note " + std::to_string(i) + " about the " +
              topic + ". It records step " + std::to_string(i * 7 + p) +
              (variant == 1 && i % 5 == 1 ? " as revised later" : "") + ".\n\n";
    }
    const std::string dir = src + "/d" + std::to_string(i % 4);
    switch (i % 3) {
      case 0:
        put(dir + "/note" + std::to_string(i) + ".md",
            "# Note " + std::to_string(i) + "\n\n" + body);
        break;
      case 1:
        put(dir + "/note" + std::to_string(i) + ".txt", body);
        break;
      default:
        put(dir + "/note" + std::to_string(i) + ".html",
            "<html><head><title>Note " + std::to_string(i) + "</title></head><body><p>" + body +
                "</p></body></html>");
    }
  }
  if (variant == 1) {
    for (int k = 0; k < 3; ++k) {
      put(src + "/new/added" + std::to_string(k) + ".md",
          "# Added " + std::to_string(k) + "\n\nA later note about the " + topics[k] + ".\n");
    }
  }
}

// Runs trove with the fault shim preloaded. fault: "" (count only), "kill:N",
// "eio:N", "enospc:N". *calls receives the number of fault points the run passed.
inline ProcResult run_faulted(const std::vector<std::string>& args, const std::string& scratch,
                              const std::string& fault, long* calls = nullptr) {
  const std::string count_file = scratch + "/fault-count";
  fs::remove(count_file);
  ::setenv("LD_PRELOAD", TROVE_FAULT_SHIM, 1);
  ::setenv("TROVE_FAULT_COUNT", count_file.c_str(), 1);
  if (!fault.empty()) ::setenv("TROVE_FAULT", fault.c_str(), 1);
  ProcResult r = run_trove(args, scratch);
  ::unsetenv("LD_PRELOAD");
  ::unsetenv("TROVE_FAULT_COUNT");
  ::unsetenv("TROVE_FAULT");
  if (calls) {
    *calls = -1;
    std::ifstream in(count_file);
    in >> *calls;
  }
  return r;
}

inline std::string dump_sql(index::Db& db, const std::string& sql, int cols) {
  std::string out;
  auto st = db.prepare(sql);
  if (!st.ok()) return "SQL error: " + st.error().message + "\n";
  for (;;) {
    auto row = st->step();
    if (!row.ok()) return out + "SQL error: " + row.error().message + "\n";
    if (!*row) break;
    for (int c = 0; c < cols; ++c) out += (c ? "|" : "") + st->column_text(c);
    out += "\n";
  }
  return out;
}

// Removes "id":N fields and scores from search --json lines: chunk ids may differ
// between libraries with the same content.
inline std::string without_ids(const std::string& json) {
  static const std::regex ids("\"(id|chunk_id|document_id|score|bm25|rank)\":[-0-9.e+]+,?");
  return std::regex_replace(json, ids, "");
}

inline std::string library_state(const std::string& home, const std::string& scratch) {
  const std::string db_path = home + "/trove.db";
  if (!fs::exists(db_path)) return "(no library)\n";
  auto db = index::Db::open(db_path, index::OpenMode::kReadOnly);
  if (!db.ok()) return "cannot open: " + db.error().message + "\n";
  std::string s = "documents:\n";
  s += dump_sql(*db,
                "SELECT rel_path, status, coalesce(fail_reason, '') FROM documents ORDER BY "
                "rel_path",
                3);
  s += "chunks:\n";
  s += dump_sql(*db,
                "SELECT d.rel_path, c.ordinal, c.page_start, c.page_end, c.line_start, "
                "c.line_end, c.heading, c.text FROM chunks c JOIN documents d ON "
                "d.id = c.document_id ORDER BY d.rel_path, c.ordinal",
                8);
  s += "vectors: " + dump_sql(*db, "SELECT count(*) FROM chunk_vectors", 1);
  for (const char* q : {"tunnel", "deposit", "revised", "later note"}) {
    ProcResult r = run_trove(
        {"--home", home, "search", "--mode", "lexical", "--json", "-k", "50", q}, scratch);
    s += std::string("search ") + q + " -> " + std::to_string(r.rc) + "\n" + without_ids(r.out);
  }
  return s;
}

// n points spread evenly over 1..total, both ends included.
inline std::vector<long> spread(long total, long n) {
  std::vector<long> pts;
  if (total <= 0) return pts;
  if (n >= total) {
    for (long k = 1; k <= total; ++k) pts.push_back(k);
    return pts;
  }
  for (long i = 0; i < n; ++i) pts.push_back(1 + (total - 1) * i / std::max<long>(1, n - 1));
  pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
  return pts;
}

}  // namespace trove::testing
