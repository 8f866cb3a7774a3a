// tests/faults/kill_anywhere_test.cc — issue 15's fault-injection suite, sized for us.
//
// Kill anywhere: `trove index` on a generated corpus (with the fixture embedding
// model, so vectors and the FAISS file are written too) is SIGKILLed at the Nth call
// that changes a file (write, pwrite, fwrite, fflush, fsync, ftruncate, rename,
// unlink: tests/faults/fault_shim.c), for N spread over the whole run; after each kill
// the next run must complete and the library must equal a clean one (documents,
// chunks by path/span/text, vector count, lexical results by path and span).
//
// I/O errors: on a second run over an edited corpus, the Nth such call fails with EIO
// or ENOSPC. The run must end cleanly (exit 0; or 5, or 3 when only the vectors could
// not be written, with a message naming the file; never a signal), must not lose what
// the first run committed, and the next run must complete and equal a clean one.
//
// Default suite: a sample of points (TROVE_FAULT_SAMPLE, default 16 kills and 8 I/O
// errors). Target faults_sweep_test (label slow) visits every point.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "fault_harness.h"

namespace trove::testing {
namespace {

// The sweep's tests get their own suite name: CTest labels tests by name, and a name
// shared with the sampled binary would put the sample under `slow` as well.
#ifdef TROVE_FAULT_FULL_SWEEP
#define FaultSuite FaultSweep
constexpr long kKillSample = 1 << 30;
constexpr long kIoSample = 1 << 30;
#else
constexpr long kKillSample = 16;
constexpr long kIoSample = 8;
#endif
constexpr int kFiles = 24;

std::vector<std::string> index_args(const std::string& home, const std::string& src) {
  return {"--home", home, "--quiet", "index", "--embed-model", kEmbedModel, src};
}

class FaultSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kEmbedModel)) GTEST_SKIP() << kEmbedModel << " missing";
    src_ = dir_.path() + "/src";
  }
  std::string home(const std::string& name) const { return dir_.path() + "/" + name; }
  TempDir dir_;
  std::string src_;
};

TEST_F(FaultSuite, KilledAtAnyWritePointTheNextRunCompletesTheLibrary) {
  make_corpus(src_, kFiles);
  long total = 0;
  auto clean = run_faulted(index_args(home("clean"), src_), dir_.path(), "", &total);
  ASSERT_EQ(clean.rc, 0) << clean.err;
  ASSERT_GT(total, 20) << "the shim saw too few write points; is it preloaded?";
  const std::string want = library_state(home("clean"), dir_.path());
  ASSERT_EQ(want.find("vectors: 0\n"), std::string::npos) << "the clean run stored no vectors";

  int tried = 0, survived = 0, killed = 0;
  for (long k : spread(total, kKillSample)) {
    SCOPED_TRACE("kill at write point " + std::to_string(k) + " of " + std::to_string(total));
    const std::string h = home("k" + std::to_string(k));
    auto r = run_faulted(index_args(h, src_), dir_.path(), "kill:" + std::to_string(k));
    ++tried;
    killed += r.rc == 128 + SIGKILL;
    auto next = run_trove(index_args(h, src_), dir_.path());
    EXPECT_EQ(next.rc, 0) << next.err;
    const std::string got = library_state(h, dir_.path());
    EXPECT_EQ(got, want);
    survived += next.rc == 0 && got == want;
    fs::remove_all(h);
  }
  std::printf("fault report: kill points: %ld in a run, %d tried, %d killed, %d survived\n", total,
              tried, killed, survived);
  RecordProperty("kill_points_total", static_cast<int>(total));
  RecordProperty("kill_points_tried", tried);
  RecordProperty("kill_points_survived", survived);
  EXPECT_EQ(survived, tried);
  EXPECT_GE(killed, tried * 3 / 4);  // most points are reached again in the faulted run
}

TEST_F(FaultSuite, IoErrorsFailCleanlyLoseNothingAndTheNextRunCompletes) {
  // Reference: run 1 on the corpus, run 2 on the edited corpus.
  make_corpus(src_, kFiles, 0);
  auto first = run_trove(index_args(home("clean"), src_), dir_.path());
  ASSERT_EQ(first.rc, 0) << first.err;
  const std::string after_first = library_state(home("clean"), dir_.path());
  make_corpus(src_, kFiles, 1);
  long total = 0;
  auto second = run_faulted(index_args(home("clean"), src_), dir_.path(), "", &total);
  ASSERT_EQ(second.rc, 0) << second.err;
  const std::string want = library_state(home("clean"), dir_.path());
  ASSERT_GT(total, 5);
  // Documents and chunks the edit did not touch: the faulted run must keep every one.
  std::vector<std::string> kept;
  for (const std::string& line : lines_of(after_first)) {
    if (line.find('|') != std::string::npos && want.find("\n" + line + "\n") != std::string::npos)
      kept.push_back(line);
  }
  ASSERT_GT(kept.size(), 10u);

  int tried = 0, survived = 0, failed_runs = 0;
  for (const char* kind : {"eio", "enospc"}) {
    for (long k : spread(total, kIoSample)) {
      const std::string fault = std::string(kind) + ":" + std::to_string(k);
      SCOPED_TRACE(fault + " of " + std::to_string(total));
      const std::string h = home(std::string(kind) + std::to_string(k));
      make_corpus(src_, kFiles, 0);
      ASSERT_EQ(run_trove(index_args(h, src_), dir_.path()).rc, 0);
      make_corpus(src_, kFiles, 1);
      auto r = run_faulted(index_args(h, src_), dir_.path(), fault);
      ++tried;
      // 0; 5 "library problem"; or 3 "partial" when the documents were stored but the
      // vectors could not be (cli/exit_codes.h); a failure names the file in the library.
      const bool failed = r.rc == 5 || r.rc == 3;
      bool ok = r.rc == 0 || (failed && r.err.find(h) != std::string::npos);
      EXPECT_TRUE(r.rc == 0 || failed) << "rc " << r.rc << ": " << r.err;
      if (failed) {
        ++failed_runs;
        EXPECT_NE(r.err.find(h), std::string::npos) << "the error names no file: " << r.err;
      }
      // Nothing committed is lost: the library is the first run's or further along,
      // and never has fewer documents than the first run left.
      const std::string mid = library_state(h, dir_.path());
      EXPECT_EQ(mid.find("cannot open"), std::string::npos) << mid;
      EXPECT_EQ(mid.find("SQL error"), std::string::npos) << mid;
      for (const std::string& line : kept) {
        EXPECT_NE(mid.find("\n" + line + "\n"), std::string::npos) << "lost: " << line;
      }
      auto next = run_trove(index_args(h, src_), dir_.path());
      EXPECT_EQ(next.rc, 0) << next.err;
      const std::string got = library_state(h, dir_.path());
      EXPECT_EQ(got, want);
      survived += ok && next.rc == 0 && got == want;
      fs::remove_all(h);
    }
  }
  std::printf(
      "fault report: I/O faults: %ld write points in a run, %d tried (EIO and ENOSPC), %d made "
      "the run fail with an error, %d survived\n",
      total, tried, failed_runs, survived);
  RecordProperty("io_faults_tried", tried);
  RecordProperty("io_faults_survived", survived);
  EXPECT_EQ(survived, tried);
}

}  // namespace
}  // namespace trove::testing
