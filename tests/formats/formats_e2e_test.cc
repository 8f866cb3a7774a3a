// ../shared/corpus/formats indexed alone with the trove binary: every DOCX, ODT and
// EPUB file indexes (none failed), and every queries.tsv line for them finds its file
// in the top 10, lexically and in hybrid mode with the fixture encoder. (The e-mail
// and scanned files are judged in formats_all_e2e_test; this one runs with --no-ocr to
// stay quick.)
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
  auto idx = run_trove(
      {"--home", home, "index", formats_dir(), "--embed-model", model, "--json", "--no-ocr"},
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

// OCR through the binary on one page image: off → skipped and read later; on → read;
// a copy of the same image elsewhere comes from the cache, not from Tesseract.
TEST(FormatsE2E, OcrRunsOncePerImageAndOffIsCaughtUpLater) {
  const std::string png = formats_dir() +
                          "/scanned/texlive-latex-recommended-doc-latex-psfrag-pfgguide-page1.png";
  if (!std::filesystem::exists(png)) GTEST_SKIP() << "shared corpus missing";
  TempDir dir;
  const std::string home = dir.path() + "/home", src = dir.path() + "/scans";
  std::filesystem::create_directories(src);
  std::filesystem::copy_file(png, src + "/page.png");
  auto off = run_trove({"--home", home, "index", src, "--no-ocr", "--json"}, dir.path());
  ASSERT_EQ(off.rc, 0) << off.err;
  EXPECT_NE(off.out.find("\"skipped\":1"), std::string::npos) << off.out;
  EXPECT_NE(off.out.find("OCR is off"), std::string::npos) << off.out;
  auto on = run_trove({"--home", home, "index", "--json"}, dir.path());
  ASSERT_EQ(on.rc, 0) << on.err;
  auto st = run_trove({"--home", home, "status", "--json"}, dir.path());
  EXPECT_NE(st.out.find("\"pages\":1,"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("\"pages_last_run\":1,"), std::string::npos) << st.out;
  auto hit = run_trove({"--home", home, "search", "encapsulated", "graphing"}, dir.path());
  EXPECT_EQ(hit.rc, 0) << hit.err;
  EXPECT_NE(hit.out.find("page.png:p. 1"), std::string::npos) << hit.out;
  EXPECT_NE(hit.out.find("OCR text"), std::string::npos) << hit.out;
  std::filesystem::copy_file(png, src + "/copy.png");
  auto copy = run_trove({"--home", home, "index", "--json"}, dir.path());
  ASSERT_EQ(copy.rc, 0) << copy.err;
  auto st2 = run_trove({"--home", home, "status", "--json"}, dir.path());
  EXPECT_NE(st2.out.find("\"pages_last_run\":0,"), std::string::npos) << st2.out;
  EXPECT_NE(st2.out.find("\"cache_hits_last_run\":1"), std::string::npos) << st2.out;
  auto bad = run_trove({"--home", home, "index", "--ocr-lang", "zz_qq"}, dir.path());
  EXPECT_EQ(bad.rc, 2);
  EXPECT_NE(bad.err.find("tesseract-ocr-zz-qq"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace trove::testing
