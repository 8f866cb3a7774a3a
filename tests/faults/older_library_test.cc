// tests/faults/older_library_test.cc — a library an older trove wrote works with every
// command, readers included. `trove status` opened it read-only and queried tables
// added since (schema v6's exclusions): "no such table: exclusions", exit 5, on the
// first status after an upgrade of trove. Readers now bring the schema up to date first.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "index/schema.h"
#include "index/sqlite.h"
#include "tests/support/temp_home.h"

namespace trove::testing {
namespace {

using json = nlohmann::json;

// Turns the library back into what trove with schema v5 left: the tables of v6-v8
// dropped, the version set to 5 (each of those steps only added tables, bar v8's
// rewording of old failure texts, which a v5 library has none of here).
void downgrade_to_v5(const std::string& db_path) {
  auto db = index::Db::open(db_path);
  ASSERT_TRUE(db.ok()) << db.error().message;
  for (const char* sql :
       {"DROP TABLE ocr_pages", "DROP TABLE chunk_vectors_next", "DROP INDEX exclusions_by_source",
        "DROP TABLE exclusions", "PRAGMA user_version = 5"}) {
    auto st = db->exec(sql);
    ASSERT_TRUE(st.ok()) << sql << ": " << st.error().message;
  }
}

TEST(OlderLibrary, ReadersUpgradeALibraryAnOlderTroveWrote) {
  TempHome t;
  t.write("router.md", "# Router\n\nThe router's admin port is 8443.\n");
  ASSERT_EQ(t.trove({"-q", "index", t.docs()}).rc, 0);
  downgrade_to_v5(t.db());

  ProcResult st = t.trove({"status", "--json"});
  ASSERT_EQ(st.rc, 0) << st.err;
  const json j = json::parse(st.out);
  EXPECT_EQ(j["schema_version"], index::latest_schema_version());
  EXPECT_EQ(j["documents"], 1);

  ProcResult s = t.trove({"search", "--mode", "lexical", "admin port"});
  EXPECT_EQ(s.rc, 0) << s.err;
  EXPECT_NE(s.out.find("router.md"), std::string::npos) << s.out;
  ProcResult show = t.trove({"status"});
  EXPECT_EQ(show.rc, 0) << show.err;
  EXPECT_EQ(show.err.find("no such table"), std::string::npos) << show.err;
}

TEST(OlderLibrary, SearchAndForgetWorkOnItFirstThing) {
  TempHome t;
  t.write("router.md", "# Router\n\nThe router's admin port is 8443.\n");
  t.write("old/notes.md", "# Notes\n\nThe admin port of the old router was 80.\n");
  ASSERT_EQ(t.trove({"-q", "index", t.docs()}).rc, 0);
  downgrade_to_v5(t.db());
  ProcResult s = t.trove({"search", "--mode", "lexical", "admin port"});
  EXPECT_EQ(s.rc, 0) << s.err;
  EXPECT_NE(s.out.find("router.md"), std::string::npos) << s.out;
  // forget records an exclusion: a table v5 did not have.
  ProcResult f = t.trove({"forget", t.docs() + "/old"});
  EXPECT_EQ(f.rc, 0) << f.err;
  ASSERT_EQ(t.trove({"-q", "index"}).rc, 0);
  ProcResult after = t.trove({"search", "--mode", "lexical", "admin port", "-l"});
  EXPECT_EQ(after.out.find("notes.md"), std::string::npos) << after.out;
  EXPECT_NE(after.out.find("router.md"), std::string::npos) << after.out;
}

}  // namespace
}  // namespace trove::testing
