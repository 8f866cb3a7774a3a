// OCR through Tesseract (ingest/ocr.h): page images and image-only PDF pages of
// ../shared/corpus/formats/scanned read in place (one image and one two-page scan: a
// sample; every scan is in the slow formats test), the cache interface, and hostile
// image headers, which must be refused before any pixel is decoded.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/parse.h"

namespace trove::ingest {
namespace {

std::string scanned(const std::string& name) {
  return std::string(TROVE_SOURCE_DIR) + "/../shared/corpus/formats/scanned/" + name;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string text_of(const ParsedDocument& d, int page = 0) {
  std::string out;
  for (const Block& b : d.blocks)
    if (page == 0 || b.page == page) out += b.text + "\n";
  return out;
}

constexpr const char* kPng = "texlive-latex-recommended-doc-latex-psfrag-pfgguide-page1.png";
constexpr const char* kPdf = "texlive-humanities-doc-latex-juraabbrev-juraabbrev.pdf";

TEST(Ocr, PageImageIsReadAndMarkedAsOcrText) {
  if (!std::filesystem::exists(scanned(kPng))) GTEST_SKIP() << "shared corpus missing";
  ParsedDocument d = parse_file(scanned(kPng));
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(d.type, DocType::kImage);
  std::string t = text_of(d);
  for (const char* w : {"drawing", "graphing", "Encapsulated", "PostScript"})
    EXPECT_NE(t.find(w), std::string::npos) << w << " not in:\n" << t;
  ASSERT_EQ(d.ocr_pages.size(), 1u);
  EXPECT_EQ(d.ocr_pages[0].page, 1);
  EXPECT_FALSE(d.ocr_pages[0].from_cache);
  EXPECT_GT(d.ocr_pages[0].confidence, 50);
  for (const Block& b : d.blocks) {
    EXPECT_EQ(b.page, 1);
    ASSERT_EQ(b.heading_path.size(), 1u);
    EXPECT_EQ(b.heading_path[0], "OCR text");
  }
}

TEST(Ocr, ImageOnlyPdfPagesKeepTheirPageNumbers) {
  if (!std::filesystem::exists(scanned(kPdf))) GTEST_SKIP() << "shared corpus missing";
  // The parse runs in its budgeted child; the parent hears one heartbeat per page
  // recognised, which is what the indexer's progress line counts.
  ParseOptions o;
  int beats = 0;
  o.budget.on_beat = [&] { ++beats; };
  ParsedDocument d = parse_file(scanned(kPdf), o);
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(d.page_count, 2);
  ASSERT_EQ(d.ocr_pages.size(), 2u);
  EXPECT_EQ(beats, 2);
  // Words of the queries.tsv line for this file, each on the page that holds it.
  EXPECT_NE(text_of(d, 1).find("aufgenommen"), std::string::npos) << text_of(d, 1);
  EXPECT_NE(text_of(d, 2).find("Vorbereitung"), std::string::npos) << text_of(d, 2);
}

TEST(Ocr, OffMeansSkippedImagesAndAReasonForScans) {
  if (!std::filesystem::exists(scanned(kPdf))) GTEST_SKIP() << "shared corpus missing";
  ParseOptions o;
  o.ocr.enabled = false;
  ParsedDocument img = parse_file(scanned(kPng), o);
  EXPECT_EQ(img.fail, FailReason::kSkipped);
  EXPECT_NE(img.fail_detail.find(kOcrOff), std::string::npos) << img.fail_detail;
  ParsedDocument pdf = parse_file(scanned(kPdf), o);
  EXPECT_EQ(pdf.fail, FailReason::kSkipped);
  EXPECT_NE(pdf.fail_detail.find(kOcrOff), std::string::npos) << pdf.fail_detail;
}

// A cache that knows page 1 of every file: the parser must take its text instead of
// recognising the page, and say the page came from the cache.
class OnePageCache : public OcrCache {
 public:
  std::vector<OcrPage> lookup(std::string_view hash, std::string_view langs) const override {
    seen_hash = std::string(hash);
    seen_langs = std::string(langs);
    OcrPage p;
    p.page = 1;
    p.text = "words from the cache";
    p.confidence = 91;
    return {p};
  }
  mutable std::string seen_hash, seen_langs;
};

TEST(Ocr, CachedPagesAreNotRecognisedAgain) {
  if (!std::filesystem::exists(scanned(kPng))) GTEST_SKIP() << "shared corpus missing";
  OnePageCache cache;
  ParseOptions o;
  o.ocr.cache = &cache;
  o.ocr.languages = "eng";
  o.content_hash = "abc123";
  ParsedDocument d = parse_file(scanned(kPng), o);
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(cache.seen_hash, "abc123");
  EXPECT_EQ(cache.seen_langs, "eng");
  EXPECT_EQ(text_of(d), "words from the cache\n");
  ASSERT_EQ(d.ocr_pages.size(), 1u);
  EXPECT_TRUE(d.ocr_pages[0].from_cache);
}

// 8-byte PNG signature + an IHDR chunk claiming w×h (CRC not checked by the header read).
std::string png_header(uint32_t w, uint32_t h) {
  std::string s("\x89PNG\r\n\x1a\n", 8);
  auto be32 = [&](uint32_t v) {
    for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>(v >> (8 * i)));
  };
  be32(13);
  s += "IHDR";
  be32(w);
  be32(h);
  s += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grey
  be32(0);
  return s;
}

// Little-endian TIFF with one IFD holding ImageWidth and ImageLength only.
std::string tiff_header(uint32_t w, uint32_t h) {
  std::string s("II*\0\x08\0\0\0", 8);
  auto le16 = [&](uint16_t v) { s.push_back(static_cast<char>(v)), s.push_back(static_cast<char>(v >> 8)); };
  auto le32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
  };
  le16(2);
  le16(256), le16(4), le32(1), le32(w);  // ImageWidth, LONG
  le16(257), le16(4), le32(1), le32(h);  // ImageLength, LONG
  le32(0);
  return s;
}

TEST(OcrHostile, HugeDimensionsAreRefusedFromTheHeader) {
  for (const std::string& bytes : {png_header(100000, 100000), tiff_header(100000, 100000)}) {
    ParsedDocument d = parse_bytes(bytes, DocType::kUnknown, "bomb.img");
    EXPECT_EQ(d.type, DocType::kImage) << d.fail_detail;
    EXPECT_EQ(d.fail, FailReason::kTooLarge) << d.fail_detail;
    EXPECT_NE(d.fail_detail.find("100000"), std::string::npos) << d.fail_detail;
  }
}

TEST(OcrHostile, TruncatedImagesFailWithAReason) {
  if (!std::filesystem::exists(scanned(kPng))) GTEST_SKIP() << "shared corpus missing";
  std::string png = read(scanned(kPng));
  for (size_t cut : {size_t{12}, size_t{40}, png.size() / 3}) {
    ParsedDocument d = parse_bytes(png.substr(0, cut), DocType::kUnknown, "cut.png");
    EXPECT_NE(d.fail, FailReason::kNone) << cut;
    EXPECT_FALSE(d.fail_detail.empty()) << cut;
  }
}

TEST(Ocr, BlankPageHasNoInk) {
  GreyImage white;
  white.width = white.stride = 400;
  white.height = 300;
  white.pixels.assign(size_t{400} * 300, 255);
  EXPECT_FALSE(has_ink(white));
  for (int x = 0; x < 400; ++x)
    for (int y = 100; y < 110; ++y) white.pixels[y * 400 + x] = 0;
  EXPECT_TRUE(has_ink(white));
}

TEST(Ocr, MissingLanguagesAreNamedWithTheirPackage) {
  EXPECT_EQ(ocr_language_problem("eng"), "");
  std::string why = ocr_language_problem("eng+zz_qq");
  EXPECT_NE(why.find("zz_qq"), std::string::npos) << why;
  EXPECT_NE(why.find("tesseract-ocr-zz-qq"), std::string::npos) << why;
  EXPECT_NE(ocr_language_problem("eng;rm -rf"), "");
  EXPECT_NE(ocr_language_problem(""), "");
}

}  // namespace
}  // namespace trove::ingest
