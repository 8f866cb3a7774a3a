// Slow fixture tests: the large hostile files. make_large_bad.py writes the five big
// single-line/sparse files into a temporary folder; the 20,000-page PDF and the 1 GiB
// flate bomb come from the corpus. Each must parse or fail with a reason.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/discover.h"
#include "ingest/parse.h"
#include "tests/ingest/corpus.h"

namespace trove::ingest {
namespace {

namespace fs = std::filesystem;

void parses_or_fails_with_reason(const std::string& path) {
  SCOPED_TRACE(path);
  ParsedDocument d = parse_file(path);
  if (d.fail != FailReason::kNone) {
    EXPECT_FALSE(d.fail_detail.empty());
    return;
  }
  EXPECT_FALSE(d.blocks.empty());
  for (const Chunk& c : chunk_document(d, WordTokenCounter(), {})) EXPECT_LE(c.token_count, 400);
}

TEST(LargeBad, GeneratedLargeFiles) {
  std::string tmpl = (fs::temp_directory_path() / "trove-large-bad-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  std::string cmd =
      "python3 " + testing::corpus_dir() + "/make_large_bad.py " + tmpl + " > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::vector<std::string> files;
  ASSERT_TRUE(discover(
                  tmpl, {}, [&](const DiscoveredFile& f) { files.push_back(f.path); },
                  [](const SkippedFile&) {})
                  .ok());
  EXPECT_GE(files.size(), 5u);
  for (const std::string& f : files) parses_or_fails_with_reason(f);
  fs::remove_all(tmpl);
}

TEST(LargeBad, TwentyThousandPagesAreCapped) {
  ParseOptions o;
  ParsedDocument d = parse_file(testing::bad("pdf/twenty-thousand-pages.pdf"), o);
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(d.page_count, 20000);
  int max_page = 0;
  for (const Block& b : d.blocks) max_page = std::max(max_page, b.page);
  EXPECT_LE(max_page, o.max_pdf_pages);
  ASSERT_FALSE(d.warnings.empty());
  EXPECT_NE(d.warnings.back().find("page cap"), std::string::npos);
}

TEST(LargeBad, FlateBombFinishes) {
  parses_or_fails_with_reason(testing::bad("pdf/flate-bomb-1GiB.pdf"));
}

}  // namespace
}  // namespace trove::ingest
