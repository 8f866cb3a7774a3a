// tests/faults/partial_run_test.cc — issue 15 acceptance: `trove status` never shows a
// run that left something out as a plain success. A source folder that is gone (an
// unmounted disk) or emptied keeps its documents and makes `trove index` exit 3
// (partial); the run history used to record that run as "completed" with no word of
// it, so the next morning's `trove status` read as if all was well.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/process.h"

namespace trove::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct TwoSources {
  TempDir dir;
  std::string home = dir.path() + "/home";
  std::string kept = dir.path() + "/kept";
  std::string gone = dir.path() + "/usb-disk";
  TwoSources() {
    fs::create_directories(kept);
    fs::create_directories(gone);
    std::ofstream(kept + "/a.txt") << "the wireguard tunnel keeps its keys\n";
    std::ofstream(gone + "/b.txt") << "minutes of the allotment committee\n";
  }
  ProcResult trove(std::vector<std::string> args) {
    args.insert(args.begin(), {"--home", home});
    return run_trove(args, dir.path());
  }
};

json last_run(TwoSources& t) {
  ProcResult st = t.trove({"status", "--json"});
  EXPECT_EQ(st.rc, 0) << st.err;
  json j = json::parse(st.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << st.out;
  return j.is_discarded() ? json() : j["last_run"];
}

TEST(PartialRun, CleanRunIsCompletedWithoutError) {
  TwoSources t;
  ASSERT_EQ(t.trove({"index", t.kept, t.gone}).rc, 0);
  json run = last_run(t);
  EXPECT_EQ(run.value("status", ""), "completed") << run.dump();
  EXPECT_TRUE(run["error"].is_null() || run.value("error", "").empty()) << run.dump();
}

void expect_partial_naming(TwoSources& t, const std::string& why) {
  ProcResult r = t.trove({"index"});
  EXPECT_EQ(r.rc, 3) << r.err;  // partial (cli/exit_codes.h)
  EXPECT_NE(r.err.find(t.gone), std::string::npos) << r.err;
  json run = last_run(t);
  EXPECT_EQ(run.value("status", ""), "partial") << run.dump();
  EXPECT_NE(run.value("error", "").find(t.gone), std::string::npos) << run.dump();
  EXPECT_NE(run.value("error", "").find(why), std::string::npos) << run.dump();
  ProcResult human = t.trove({"status"});
  EXPECT_EQ(human.rc, 0) << human.err;
  bool said = false;
  for (const std::string& line : lines_of(human.out)) {
    if (line.find("#2 ") == std::string::npos) continue;
    said = line.find("partial") != std::string::npos && line.find(t.gone) != std::string::npos;
  }
  EXPECT_TRUE(said) << human.out;
  EXPECT_EQ(human.out.find("#2 completed"), std::string::npos) << human.out;
}

TEST(PartialRun, AMissingSourceFolderMakesTheRunPartialInStatus) {
  TwoSources t;
  ASSERT_EQ(t.trove({"index", t.kept, t.gone}).rc, 0);
  fs::remove_all(t.gone);
  expect_partial_naming(t, "cannot open source folder");
}

TEST(PartialRun, AnEmptiedSourceFolderMakesTheRunPartialInStatus) {
  TwoSources t;
  ASSERT_EQ(t.trove({"index", t.kept, t.gone}).rc, 0);
  fs::remove(t.gone + "/b.txt");
  expect_partial_naming(t, "is empty");
}

}  // namespace
}  // namespace trove::testing
