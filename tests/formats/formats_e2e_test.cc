// ../shared/corpus/formats indexed alone with the trove binary: every DOCX, ODT and
// EPUB file indexes (none failed), and every queries.tsv line for them finds its file
// in the top 10, lexically and in hybrid mode with the fixture encoder. (The e-mail
// and scanned files belong to the mail/OCR half of issue 10 and are not judged here.)
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/cli/run_process.h"
#include "tests/formats/queries.h"

namespace trove::testing {
namespace {

TEST(FormatsE2E, OfficeAndEpubQueriesFindTheirFileLexicalAndHybrid) {
  const std::string model = std::string(TROVE_SOURCE_DIR) +
                            "/../shared/fixtures/models/bert-mean-f16.gguf";
  if (!std::filesystem::exists(formats_dir()) || !std::filesystem::exists(model))
    GTEST_SKIP() << "shared corpus or fixture model missing";
  TempDir dir;
  const std::string home = dir.path() + "/home";
  auto idx = run_trove({"--home", home, "index", formats_dir(), "--embed-model", model, "--json"},
                       dir.path());
  ASSERT_EQ(idx.rc, 0) << idx.err;
  // None of the office/e-book files is among the failures.
  for (const char* kind : {"/docx/", "/odt/", "/epub/"}) {
    size_t f = idx.out.find("\"failures\":");
    ASSERT_NE(f, std::string::npos) << idx.out;
    size_t end = idx.out.find("\"skipped_files\":", f);
    std::string failures = idx.out.substr(f, end == std::string::npos ? std::string::npos : end - f);
    EXPECT_EQ(failures.find(kind), std::string::npos) << failures;
  }
  std::vector<FormatsQuery> qs = office_queries();
  ASSERT_EQ(qs.size(), 18u);
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
    std::printf("%s: %d of %zu office/EPUB queries find their file in the top 10\n", mode, found,
                qs.size());
  }
  // Citations of a DOCX say where by section, not by page.
  auto s = run_trove({"--home", home, "search", "committing", "rename", "streaming", "-k", "1"},
                     dir.path());
  ASSERT_EQ(s.rc, 0) << s.err;
  EXPECT_NE(s.out.find("docker-doc-api-v1-21-md.docx:section "), std::string::npos) << s.out;
}

}  // namespace
}  // namespace trove::testing
