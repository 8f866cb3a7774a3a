// The real DOCX, ODT and EPUB files of ../shared/corpus/formats: each parses, keeps its
// outline, and holds the words its queries.tsv line searches for.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "ingest/parse.h"
#include "tests/formats/queries.h"

namespace trove::ingest {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(FormatsCorpus, EveryOfficeAndEpubFileParsesWithItsWords) {
  std::vector<testing::FormatsQuery> qs = testing::office_queries();
  ASSERT_EQ(qs.size(), 18u);
  for (const testing::FormatsQuery& q : qs) {
    SCOPED_TRACE(q.file);
    ParsedDocument d = parse_file(testing::formats_dir() + "/" + q.file);
    ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
    int headings = 0;
    std::string text;
    for (const Block& b : d.blocks) {
      headings += b.kind == BlockKind::kHeading;
      text += lower(b.text) + " ";
      for (const auto& h : b.heading_path) text += lower(h) + " ";
    }
    EXPECT_GT(headings, 0);
    EXPECT_FALSE(d.title.empty());
    // At least half the query words occur verbatim (the rest may be other forms of the
    // same stem, "duplicate" for "duplication").
    int found = 0;
    for (const auto& w : q.words) found += text.find(lower(w)) != std::string::npos;
    EXPECT_GE(found * 2, static_cast<int>(q.words.size())) << found;
  }
}

}  // namespace
}  // namespace trove::ingest
