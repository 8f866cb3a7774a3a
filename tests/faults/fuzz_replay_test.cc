// tests/faults/fuzz_replay_test.cc — replays the fuzzers' committed seeds and every
// regression file a fuzzer ever crashed on (tests/fuzz/{seeds,regressions}/<target>/)
// through the same entry points as the fuzz targets, in the default suite and under
// ASan/UBSan in the sanitizer job: a fixed crash can never come back unnoticed.
// Every input must either parse or fail with a reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/gguf.h"
#include "ingest/chunker.h"
#include "ingest/parse.h"
#include "ingest/token_counter.h"

namespace trove {
namespace {

namespace fs = std::filesystem;

const std::string kFuzzDir = std::string(TROVE_SOURCE_DIR) + "/tests/fuzz";

std::vector<std::string> inputs_of(const std::string& target) {
  std::vector<std::string> files;
  for (const char* kind : {"seeds", "regressions"}) {
    const fs::path dir = fs::path(kFuzzDir) / kind / target;
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.is_regular_file()) files.push_back(e.path().string());
    }
  }
  return files;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(FuzzReplay, ParsersSurviveEverySeedAndRegression) {
  const std::pair<const char*, ingest::DocType> targets[] = {
      {"pdf", ingest::DocType::kPdf},
      {"html", ingest::DocType::kHtml},
      {"markdown", ingest::DocType::kMarkdown},
      {"text", ingest::DocType::kText}};
  const ingest::WordTokenCounter counter;
  for (const auto& [name, type] : targets) {
    const auto files = inputs_of(name);
    EXPECT_GE(files.size(), 2u) << name << ": committed seed corpus missing";
    for (const std::string& f : files) {
      SCOPED_TRACE(f);
      ingest::ParseOptions opt;
      opt.max_pdf_pages = 50;
      ingest::ParsedDocument d = ingest::parse_bytes(slurp(f), type, f, opt);
      if (d.fail != ingest::FailReason::kNone) {
        EXPECT_FALSE(std::string(ingest::fail_reason_name(d.fail)).empty());
        continue;
      }
      for (const ingest::Chunk& c : ingest::chunk_document(d, counter)) {
        EXPECT_FALSE(c.text.empty());
        EXPECT_LE(c.line_start, c.line_end);
      }
    }
  }
}

TEST(FuzzReplay, GgufOpenSurvivesEverySeedAndRegression) {
  const auto files = inputs_of("gguf");
  EXPECT_GE(files.size(), 2u) << "committed GGUF seed corpus missing";
  int opened = 0;
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    auto g = GgufFile::open(f);
    if (!g.ok()) {
      EXPECT_NE(g.error().message.find(f), std::string::npos) << g.error().message;
      continue;
    }
    ++opened;
    for (const auto& t : g->tensors()) {
      if (t.nbytes > 0) {
        volatile uint8_t last = static_cast<const uint8_t*>(t.data)[t.nbytes - 1];
        (void)last;
      }
    }
  }
  EXPECT_GT(opened, 0);
}

}  // namespace
}  // namespace trove
