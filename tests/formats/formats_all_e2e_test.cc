// The acceptance run of issue 10: ../shared/corpus/formats indexed alone, with OCR and
// the fixture encoder. 0 files fail, the five mbox messages are five documents, and
// every queries.tsv line finds its file in the top 10 in lexical and in hybrid mode —
// the scans through their OCR text. A second run OCRs nothing. Labelled slow: it
// recognises every scanned page (about a minute on 2 cores).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/run_process.h"
#include "tests/formats/queries.h"

namespace trove::testing {
namespace {

std::vector<FormatsQuery> all_queries() {
  std::ifstream in(formats_dir() + "/queries.tsv");
  std::vector<FormatsQuery> out;
  for (std::string line; std::getline(in, line);) {
    std::stringstream ss(line);
    std::string mode, words, file;
    std::getline(ss, mode, '\t');
    std::getline(ss, words, '\t');
    std::getline(ss, file, '\t');
    if (file.empty()) continue;
    FormatsQuery q{{}, file};
    std::stringstream ws(words);
    for (std::string w; ws >> w;) q.words.push_back(w);
    out.push_back(q);
  }
  return out;
}

TEST(FormatsAllE2E, EveryQueryFindsItsFileWithOcrAndNothingFails) {
  const std::string model =
      std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/models/bert-mean-f16.gguf";
  if (!std::filesystem::exists(formats_dir()) || !std::filesystem::exists(model))
    GTEST_SKIP() << "shared corpus or fixture model missing";
  TempDir dir;
  const std::string home = dir.path() + "/home";
  auto idx = run_trove({"--home", home, "index", formats_dir(), "--embed-model", model, "--json"},
                       dir.path());
  ASSERT_EQ(idx.rc, 0) << idx.err;
  EXPECT_NE(idx.out.find("\"failed\":0"), std::string::npos) << idx.out;
  std::printf("first run: %s\n", idx.out.substr(0, 300).c_str());
  auto st = run_trove({"--home", home, "status", "--json"}, dir.path());
  ASSERT_EQ(st.rc, 0) << st.err;
  std::printf("status: %s\n", st.out.substr(st.out.find("\"ocr\""), 120).c_str());
  int messages = 0;
  for (size_t p = 0; (p = st.out.find("archive.mbox#", p)) != std::string::npos; ++p) ++messages;
  std::vector<FormatsQuery> qs = all_queries();
  ASSERT_GE(qs.size(), 30u);
  for (const char* mode : {"lexical", "hybrid"}) {
    int found = 0;
    for (const FormatsQuery& q : qs) {
      std::vector<std::string> args = {"--home", home, "search"};
      args.insert(args.end(), q.words.begin(), q.words.end());
      args.insert(args.end(), {"--mode", mode, "-k", "10", "--json"});
      auto s = run_trove(args, dir.path());
      bool hit = s.rc == 0 && s.out.find(formats_dir() + "/" + q.file) != std::string::npos;
      EXPECT_TRUE(hit) << mode << ": " << q.file << " not in the top 10\n" << s.err;
      found += hit;
    }
    std::printf("%s: %d of %zu queries find their file in the top 10\n", mode, found, qs.size());
  }
  // Five messages in the mbox: five documents, each its own path.
  for (int n = 1; n <= 5; ++n) {
    auto s = run_trove({"--home", home, "search", "the", "--path",
                        formats_dir() + "/email/archive.mbox#" + std::to_string(n), "-k", "1"},
                       dir.path());
    EXPECT_EQ(s.rc, 0) << "archive.mbox#" << n << " is not a document\n" << s.err;
  }
  // The second run reads nothing again and OCRs nothing.
  auto again = run_trove({"--home", home, "index", "--json"}, dir.path());
  ASSERT_EQ(again.rc, 0) << again.err;
  auto st2 = run_trove({"--home", home, "status", "--json"}, dir.path());
  EXPECT_NE(st2.out.find("\"pages_last_run\":0"), std::string::npos) << st2.out;
  (void)messages;
}

}  // namespace
}  // namespace trove::testing
