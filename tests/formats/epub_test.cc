// EPUB 2 (NCX) and EPUB 3 (nav) books built here: spine order, chapter titles in the
// heading paths, metadata, DRM refusal.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/parse.h"
#include "tests/formats/zip_builder.h"

namespace trove::ingest {
namespace {

using trove::testing::make_zip;
using trove::testing::ZipEntry;

std::string xhtml(const std::string& title, const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE html><html "
         "xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>" + title +
         "</title></head><body>" + body + "</body></html>";
}

const char* const kContainer =
    "<?xml version=\"1.0\"?><container version=\"1.0\" "
    "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles><rootfile "
    "full-path=\"OEBPS/book.opf\" media-type=\"application/oebps-package+xml\"/></rootfiles>"
    "</container>";

// Manifest order differs from the spine: the spine decides.
std::string opf(bool epub3) {
  std::string nav = epub3 ? "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" "
                            "properties=\"nav\"/>"
                          : "<item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>";
  return std::string("<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" "
                     "version=\"") + (epub3 ? "3.0" : "2.0") +
         "\"><metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Sea Tales</dc:title>"
         "<dc:creator>A. Sailor</dc:creator><dc:language>en</dc:language></metadata><manifest>"
         "<item id=\"c2\" href=\"text/two.xhtml\" media-type=\"application/xhtml+xml\"/>"
         "<item id=\"c1\" href=\"text/one.xhtml\" media-type=\"application/xhtml+xml\"/>"
         "<item id=\"img\" href=\"cover.png\" media-type=\"image/png\"/>" + nav +
         "</manifest><spine" + (epub3 ? "" : " toc=\"ncx\"") +
         "><itemref idref=\"c1\"/><itemref idref=\"img\"/><itemref idref=\"c2\"/></spine></package>";
}

std::string book(bool epub3, const std::vector<ZipEntry>& extra = {}) {
  std::string nav = xhtml("Contents",
                          "<nav xmlns:epub=\"http://www.idpf.org/2007/ops\" epub:type=\"toc\"><ol>"
                          "<li><a href=\"text/one.xhtml\">Chapter One: The Storm</a></li>"
                          "<li><a href=\"text/two.xhtml#start\">Chapter Two: Landfall</a></li>"
                          "</ol></nav>");
  std::string ncx =
      "<?xml version=\"1.0\"?><ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\">"
      "<navMap><navPoint id=\"n1\"><navLabel><text>Chapter One: The Storm</text></navLabel>"
      "<content src=\"text/one.xhtml\"/></navPoint><navPoint id=\"n2\"><navLabel><text>Chapter "
      "Two: Landfall</text></navLabel><content src=\"text/two.xhtml#start\"/></navPoint></navMap></ncx>";
  std::vector<ZipEntry> e = {
      {"mimetype", "application/epub+zip", true},
      {"META-INF/container.xml", kContainer},
      {"OEBPS/book.opf", opf(epub3)},
      {"OEBPS/text/one.xhtml",
       xhtml("one", "<p>The wind rose over the grey water.</p><h2>At night</h2><p>Lanterns swung.</p>")},
      {"OEBPS/text/two.xhtml", xhtml("two", "<h1>Chapter Two: Landfall</h1><p>Sand at last.</p>")},
      {"OEBPS/cover.png", "\x89PNG"},
  };
  e.push_back(epub3 ? ZipEntry{"OEBPS/nav.xhtml", nav} : ZipEntry{"OEBPS/toc.ncx", ncx});
  for (const auto& x : extra) e.push_back(x);
  return make_zip(e);
}

const Block* find_block(const ParsedDocument& d, const std::string& needle) {
  for (const Block& b : d.blocks)
    if (b.text.find(needle) != std::string::npos) return &b;
  return nullptr;
}

void check_book(const ParsedDocument& d) {
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(d.type, DocType::kEpub);
  EXPECT_EQ(d.title, "Sea Tales");
  EXPECT_EQ(d.metadata.at("author"), "A. Sailor");
  const Block* wind = find_block(d, "The wind rose");
  const Block* lantern = find_block(d, "Lanterns swung.");
  const Block* sand = find_block(d, "Sand at last.");
  ASSERT_TRUE(wind && lantern && sand);
  EXPECT_LT(wind, sand);  // spine order, not manifest order
  EXPECT_EQ(wind->heading_path, (std::vector<std::string>{"Chapter One: The Storm"}));
  EXPECT_EQ(lantern->heading_path, (std::vector<std::string>{"Chapter One: The Storm", "At night"}));
  // The part's own h1 is the chapter title: not repeated.
  EXPECT_EQ(sand->heading_path, (std::vector<std::string>{"Chapter Two: Landfall"}));
  EXPECT_EQ(find_block(d, "Contents"), nullptr);  // the nav document is not a chapter
}

TEST(Epub, Epub3NavGivesChapterTitles) {
  check_book(parse_bytes(book(true), DocType::kUnknown, "sea.epub"));
}

TEST(Epub, Epub2NcxGivesChapterTitles) {
  check_book(parse_bytes(book(false), DocType::kUnknown, "sea.epub"));
}

TEST(Epub, DrmEncryptedChaptersAreRefused) {
  std::string enc =
      "<?xml version=\"1.0\"?><encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\" "
      "xmlns:enc=\"http://www.w3.org/2001/04/xmlenc#\"><enc:EncryptedData><enc:CipherData>"
      "<enc:CipherReference URI=\"OEBPS/text/one.xhtml\"/></enc:CipherData></enc:EncryptedData>"
      "</encryption>";
  ParsedDocument d =
      parse_bytes(book(true, {{"META-INF/encryption.xml", enc}}), DocType::kUnknown, "drm.epub");
  EXPECT_EQ(d.fail, FailReason::kEncrypted) << d.fail_detail;
}

TEST(Epub, AnEpubNamedPdfIsAMismatch) {
  ParsedDocument d = parse_bytes(book(true), DocType::kUnknown, "book.pdf");
  EXPECT_EQ(d.fail, FailReason::kMismatch);
  EXPECT_EQ(d.fail_detail, "named .pdf but is an EPUB book");
}

}  // namespace
}  // namespace trove::ingest
