// DOCX and ODT parsing on documents built here (exact structure known), plus the
// hostile containers: zip bombs, traversal names, encryption, truncated XML, XXE.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/parse.h"
#include "ingest/zip_archive.h"
#include "tests/formats/zip_builder.h"

namespace trove::ingest {
namespace {

using trove::testing::make_zip;

const char* const kW = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

std::string w_doc(const std::string& body) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document ") + kW + "><w:body>" +
         body + "</w:body></w:document>";
}
std::string w_p(const std::string& text, const std::string& style = "", const std::string& extra = "") {
  std::string ppr = style.empty() ? "" : "<w:pPr><w:pStyle w:val=\"" + style + "\"/></w:pPr>";
  return "<w:p>" + ppr + "<w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r>" + extra +
         "</w:p>";
}

const char* const kContentTypes =
    "<?xml version=\"1.0\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
const char* const kRootRels =
    "<?xml version=\"1.0\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
    "Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "officeDocument\" Target=\"word/document.xml\"/></Relationships>";

std::string styles_xml() {
  return std::string("<?xml version=\"1.0\"?><w:styles ") + kW +
         ">"
         "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style>"
         "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style>"
         // A localised style id (Dutch Word): the name says what it is.
         "<w:style w:type=\"paragraph\" w:styleId=\"Kop2\"><w:name w:val=\"heading 2\"/></w:style>"
         // A custom style based on a heading is a heading too.
         "<w:style w:type=\"paragraph\" w:styleId=\"MyHead\"><w:name w:val=\"My Head\"/>"
         "<w:basedOn w:val=\"Kop2\"/></w:style>"
         "<w:style w:type=\"paragraph\" w:styleId=\"SourceCode\"><w:name w:val=\"Source Code\"/></w:style>"
         "</w:styles>";
}

std::string doc_rels() {
  const std::string base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  return "<?xml version=\"1.0\"?><Relationships "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" + base + "footnotes\" Target=\"footnotes.xml\"/>"
         "<Relationship Id=\"rId2\" Type=\"" + base + "comments\" Target=\"comments.xml\"/>"
         "<Relationship Id=\"rId3\" Type=\"" + base + "header\" Target=\"header1.xml\"/>"
         "<Relationship Id=\"rId4\" Type=\"" + base + "header\" Target=\"header2.xml\"/>"
         "<Relationship Id=\"rId5\" Type=\"" + base + "footer\" Target=\"footer1.xml\"/>"
         "</Relationships>";
}

std::string part_with_p(const std::string& root, const std::string& text) {
  return "<?xml version=\"1.0\"?><w:" + root + " " + kW + ">" + w_p(text) + "</w:" + root + ">";
}

std::string sample_docx_body() {
  return w_p("Annual Report", "Title") + w_p("Overview", "Heading1") +
         w_p("The harbour opened in spring.", "",
             "<w:r><w:footnoteReference w:id=\"1\"/></w:r><w:r><w:commentReference w:id=\"0\"/></w:r>") +
         w_p("Details", "Kop2") +
         "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>"
         "<w:r><w:t>first item</w:t></w:r></w:p>" +
         "<w:tbl><w:tr><w:tc>" + w_p("Name") + "</w:tc><w:tc>" + w_p("Age") + "</w:tc></w:tr>" +
         "<w:tr><w:tc>" + w_p("Ann") + "</w:tc><w:tc>" + w_p("31") + "</w:tc></w:tr></w:tbl>" +
         w_p("Custom heading", "MyHead") +
         "<w:p><w:r><w:t>kept</w:t></w:r><w:del><w:r><w:delText>deleted words</w:delText></w:r></w:del>"
         "<w:r><w:instrText> HYPERLINK \"x\" </w:instrText></w:r><w:r><w:tab/><w:t>after tab</w:t></w:r></w:p>" +
         "<w:p><w:pPr><w:pStyle w:val=\"SourceCode\"/></w:pPr><w:r><w:t>int x;</w:t></w:r><w:r><w:br/></w:r>"
         "<w:r><w:t>return x;</w:t></w:r></w:p>";
}

std::string sample_docx(const std::string& body = sample_docx_body()) {
  std::string fn = std::string("<?xml version=\"1.0\"?><w:footnotes ") + kW +
                   "><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p>"
                   "</w:footnote><w:footnote w:id=\"1\">" + w_p("Built in 1850.") +
                   "</w:footnote></w:footnotes>";
  std::string cm = std::string("<?xml version=\"1.0\"?><w:comments ") + kW +
                   "><w:comment w:id=\"0\" w:author=\"Ann\">" + w_p("Check the year.") +
                   "</w:comment></w:comments>";
  std::string core =
      "<?xml version=\"1.0\"?><cp:coreProperties "
      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
      "<dc:title>Harbour report</dc:title><dc:creator>Jane Doe</dc:creator>"
      "<dcterms:created>2024-01-02T03:04:05Z</dcterms:created>"
      "<dcterms:modified>2024-02-03T04:05:06Z</dcterms:modified></cp:coreProperties>";
  return make_zip({{"[Content_Types].xml", kContentTypes},
                   {"_rels/.rels", kRootRels},
                   {"word/document.xml", w_doc(body)},
                   {"word/_rels/document.xml.rels", doc_rels()},
                   {"word/styles.xml", styles_xml()},
                   {"word/footnotes.xml", fn},
                   {"word/comments.xml", cm},
                   {"word/header1.xml", part_with_p("hdr", "Confidential draft")},
                   {"word/header2.xml", part_with_p("hdr", "Confidential draft")},
                   {"word/footer1.xml", part_with_p("ftr", "Page footer text")},
                   {"docProps/core.xml", core}});
}

const Block* find_block(const ParsedDocument& d, const std::string& needle) {
  for (const Block& b : d.blocks)
    if (b.text.find(needle) != std::string::npos) return &b;
  return nullptr;
}

int count_blocks(const ParsedDocument& d, const std::string& needle) {
  int n = 0;
  for (const Block& b : d.blocks) n += b.text.find(needle) != std::string::npos;
  return n;
}

std::string all_text(const ParsedDocument& d) {
  std::string s;
  for (const Block& b : d.blocks) s += b.text + "\n";
  return s;
}

TEST(Docx, StructureMetadataNotesAndTables) {
  ParsedDocument d = parse_bytes(sample_docx(), DocType::kUnknown, "report.docx");
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(d.type, DocType::kDocx);
  EXPECT_EQ(d.title, "Harbour report");
  EXPECT_EQ(d.metadata["author"], "Jane Doe");
  EXPECT_EQ(d.metadata["created"], "2024-01-02T03:04:05Z");
  EXPECT_EQ(d.metadata["modified"], "2024-02-03T04:05:06Z");

  const Block* p = find_block(d, "The harbour opened in spring.");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, BlockKind::kParagraph);
  EXPECT_EQ(p->heading_path, (std::vector<std::string>{"Overview"}));
  // The note and the comment follow the paragraph that refers to them.
  size_t at = static_cast<size_t>(p - d.blocks.data());
  ASSERT_LT(at + 2, d.blocks.size());
  EXPECT_EQ(d.blocks[at + 1].text, "Footnote 1: Built in 1850.");
  EXPECT_EQ(d.blocks[at + 2].text, "Comment (Ann): Check the year.");

  const Block* item = find_block(d, "first item");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->kind, BlockKind::kListItem);
  EXPECT_EQ(item->heading_path, (std::vector<std::string>{"Overview", "Details"}));

  const Block* table = find_block(d, "Name | Age");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->kind, BlockKind::kTable);
  EXPECT_EQ(table->text, "Name | Age\nAnn | 31");

  const Block* custom = find_block(d, "kept");
  ASSERT_NE(custom, nullptr);
  EXPECT_EQ(custom->heading_path, (std::vector<std::string>{"Overview", "Custom heading"}));
  EXPECT_EQ(custom->text, "kept after tab");
  EXPECT_EQ(all_text(d).find("deleted words"), std::string::npos);
  EXPECT_EQ(all_text(d).find("HYPERLINK"), std::string::npos);

  const Block* code = find_block(d, "int x;");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->kind, BlockKind::kCode);
  EXPECT_EQ(code->text, "int x;\nreturn x;");

  // Two headers with the same text count once; the footer is there too.
  EXPECT_EQ(count_blocks(d, "Confidential draft"), 1);
  EXPECT_EQ(count_blocks(d, "Footer: Page footer text"), 1);
  // No pages: chunks carry heading paths, not page numbers.
  for (const Chunk& c : chunk_document(d, WordTokenCounter(), {})) {
    EXPECT_EQ(c.page_start, 0);
  }
}

TEST(Docx, DocmAndDotxAreWordDocumentsToo) {
  for (const char* name : {"macro.docm", "template.dotx", "no-extension"}) {
    ParsedDocument d = parse_bytes(sample_docx(), DocType::kUnknown, name);
    EXPECT_EQ(d.fail, FailReason::kNone) << name << ": " << d.fail_detail;
    EXPECT_EQ(d.type, DocType::kDocx) << name;
  }
}

// ---------- ODT ----------

const char* const kOdfNs =
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"";

std::string sample_odt(const std::string& mime = "application/vnd.oasis.opendocument.text",
                       const std::string& manifest_extra = "") {
  std::string content =
      std::string("<?xml version=\"1.0\"?><office:document-content ") + kOdfNs +
      "><office:body><office:text>"
      "<text:sequence-decls><text:sequence-decl text:name=\"Table\"/></text:sequence-decls>"
      "<text:table-of-content><text:index-body><text:p>Minutes 1</text:p></text:index-body>"
      "</text:table-of-content>"
      "<text:h text:outline-level=\"1\">Minutes</text:h>"
      "<text:p>Opened<text:s text:c=\"2\"/>at nine."
      "<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation>"
      "<text:note-body><text:p>By the chair.</text:p></text:note-body></text:note>"
      "<office:annotation><dc:creator>Bob</dc:creator><dc:date>2024-01-01</dc:date>"
      "<text:p>Was it ten?</text:p></office:annotation></text:p>"
      "<text:h text:outline-level=\"2\">Votes</text:h>"
      "<text:list><text:list-item><text:p>motion carried</text:p>"
      "<text:list><text:list-item><text:p>nested point</text:p></text:list-item></text:list>"
      "</text:list-item></text:list>"
      "<table:table><table:table-header-rows><table:table-row><table:table-cell><text:p>Member"
      "</text:p></table:table-cell><table:table-cell><text:p>Vote</text:p></table:table-cell>"
      "</table:table-row></table:table-header-rows><table:table-row><table:table-cell><text:p>"
      "Eve</text:p></table:table-cell><table:table-cell><text:p>yes</text:p></table:table-cell>"
      "</table:table-row></table:table>"
      "<text:tracked-changes><text:changed-region><text:deletion><text:p>gone text</text:p>"
      "</text:deletion></text:changed-region></text:tracked-changes>"
      "</office:text></office:body></office:document-content>";
  std::string styles = std::string("<?xml version=\"1.0\"?><office:document-styles ") + kOdfNs +
                       "><office:master-styles><style:master-page style:name=\"Standard\">"
                       "<style:header><text:p>Club minutes</text:p></style:header>"
                       "<style:header-left><text:p>Club minutes</text:p></style:header-left>"
                       "</style:master-page></office:master-styles></office:document-styles>";
  std::string meta = std::string("<?xml version=\"1.0\"?><office:document-meta ") + kOdfNs +
                     "><office:meta><dc:title>Club meeting</dc:title>"
                     "<meta:initial-creator>Carol</meta:initial-creator>"
                     "<meta:creation-date>2023-05-06T07:08:09</meta:creation-date>"
                     "</office:meta></office:document-meta>";
  std::string manifest =
      "<?xml version=\"1.0\"?><manifest:manifest "
      "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
      "<manifest:file-entry manifest:full-path=\"content.xml\">" + manifest_extra +
      "</manifest:file-entry></manifest:manifest>";
  return make_zip({{"mimetype", mime, true},
                   {"META-INF/manifest.xml", manifest},
                   {"content.xml", content},
                   {"styles.xml", styles},
                   {"meta.xml", meta}});
}

TEST(Odt, StructureMetadataNotesAndTables) {
  ParsedDocument d = parse_bytes(sample_odt(), DocType::kUnknown, "minutes.odt");
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(d.type, DocType::kOdt);
  EXPECT_EQ(d.title, "Club meeting");
  EXPECT_EQ(d.metadata["author"], "Carol");
  EXPECT_EQ(d.metadata["created"], "2023-05-06T07:08:09");

  const Block* p = find_block(d, "Opened at nine.");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->heading_path, (std::vector<std::string>{"Minutes"}));
  size_t at = static_cast<size_t>(p - d.blocks.data());
  ASSERT_LT(at + 2, d.blocks.size());
  EXPECT_EQ(d.blocks[at + 1].text, "Footnote 1: By the chair.");
  EXPECT_EQ(d.blocks[at + 2].text, "Comment (Bob): Was it ten?");
  EXPECT_EQ(all_text(d).find("2024-01-01"), std::string::npos);

  const Block* item = find_block(d, "motion carried");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->kind, BlockKind::kListItem);
  EXPECT_EQ(item->heading_path, (std::vector<std::string>{"Minutes", "Votes"}));
  ASSERT_NE(find_block(d, "nested point"), nullptr);
  EXPECT_EQ(find_block(d, "nested point")->kind, BlockKind::kListItem);

  const Block* table = find_block(d, "Member | Vote");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->kind, BlockKind::kTable);
  EXPECT_EQ(table->text, "Member | Vote\nEve | yes");

  EXPECT_EQ(all_text(d).find("gone text"), std::string::npos);
  EXPECT_EQ(all_text(d).find("Minutes 1"), std::string::npos);  // the TOC copy
  EXPECT_EQ(count_blocks(d, "Club minutes"), 1);
}

TEST(Odt, TemplatesAndMasterDocumentsAreText) {
  for (const char* mime : {"application/vnd.oasis.opendocument.text-template",
                           "application/vnd.oasis.opendocument.text-master"}) {
    ParsedDocument d = parse_bytes(sample_odt(mime), DocType::kUnknown, "x.ott");
    EXPECT_EQ(d.fail, FailReason::kNone) << mime << ": " << d.fail_detail;
  }
}

TEST(Odt, ASpreadsheetNamedOdtIsAMismatch) {
  ParsedDocument d = parse_bytes(sample_odt("application/vnd.oasis.opendocument.spreadsheet"),
                                 DocType::kUnknown, "sheet.odt");
  EXPECT_EQ(d.fail, FailReason::kMismatch);
  EXPECT_NE(d.fail_detail.find("named .odt but is"), std::string::npos) << d.fail_detail;
}

// ---------- hostile containers ----------

TEST(HostileZip, RatioBombFailsAsTooLarge) {
  std::string zeros(64u << 20, '\0');  // 64 MiB of zeros deflate to ~64 KiB
  std::string bytes = make_zip({{"[Content_Types].xml", kContentTypes},
                                {"word/document.xml", w_doc(w_p("x")) + zeros}});
  ASSERT_LT(bytes.size(), 1u << 20);
  ParsedDocument d = parse_bytes(bytes, DocType::kUnknown, "bomb.docx");
  EXPECT_EQ(d.fail, FailReason::kTooLarge);
  EXPECT_NE(d.fail_detail.find("ZIP bomb"), std::string::npos) << d.fail_detail;
  EXPECT_NE(d.fail_detail.find("word/document.xml"), std::string::npos);
}

TEST(HostileZip, AbsoluteLimitHoldsForIncompressibleData) {
  std::string noise(3u << 20, '\0');
  uint32_t x = 12345;
  for (char& c : noise) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  std::string bytes = make_zip({{"big.bin", noise}, {"small.txt", "hello"}});
  ZipArchive zip;
  ZipLimits lim;
  lim.max_entry_bytes = 1u << 20;
  std::string why, out;
  ASSERT_TRUE(zip.open(bytes, lim, &why)) << why;
  EXPECT_FALSE(zip.read("big.bin", &out, &why));
  EXPECT_EQ(zip.error(), ZipError::kBomb);
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(zip.read("small.txt", &out, &why)) << why;
  EXPECT_EQ(out, "hello");
  // The total over all entries is capped too.
  ZipArchive zip2;
  ZipLimits total;
  total.max_total_bytes = 2u << 20;
  ASSERT_TRUE(zip2.open(bytes, total, &why));
  EXPECT_FALSE(zip2.read("big.bin", &out, &why));
  EXPECT_NE(why.find("archive inflates past"), std::string::npos) << why;
}

TEST(HostileZip, TraversalNamesAreRefused) {
  for (const char* evil : {"../../etc/cron.d/evil", "/etc/passwd", "word/../../x.xml",
                           "C:\\Windows\\x.xml", "a\\..\\..\\b"}) {
    std::string bytes = make_zip({{"[Content_Types].xml", kContentTypes},
                                  {"word/document.xml", w_doc(w_p("hello"))},
                                  {evil, "x"}});
    ASSERT_FALSE(bytes.empty()) << evil;
    ParsedDocument d = parse_bytes(bytes, DocType::kUnknown, "evil.docx");
    EXPECT_EQ(d.fail, FailReason::kParseError) << evil;
    EXPECT_NE(d.fail_detail.find("path traversal"), std::string::npos) << d.fail_detail;
  }
  EXPECT_TRUE(zip_name_is_safe("word/document.xml"));
  EXPECT_TRUE(zip_name_is_safe("a..b/c"));
  EXPECT_EQ(zip_resolve("EPUB/content.opf", "text/ch%201.xhtml#x"), "EPUB/text/ch 1.xhtml");
  EXPECT_EQ(zip_resolve("EPUB/content.opf", "../../x"), "");
}

TEST(HostileZip, EncryptedDocxAndOdtAreReportedAsEncrypted) {
  std::string bytes = make_zip({{"[Content_Types].xml", kContentTypes, false, "pw"},
                                {"word/document.xml", w_doc(w_p("secret")), false, "pw"}});
  ParsedDocument d = parse_bytes(bytes, DocType::kUnknown, "locked.docx");
  EXPECT_EQ(d.fail, FailReason::kEncrypted) << d.fail_detail;

  ParsedDocument o = parse_bytes(
      sample_odt("application/vnd.oasis.opendocument.text",
                 "<manifest:encryption-data manifest:checksum-type=\"SHA1\"/>"),
      DocType::kUnknown, "locked.odt");
  EXPECT_EQ(o.fail, FailReason::kEncrypted) << o.fail_detail;

  // Word's own password protection: an OLE2 file with an EncryptedPackage stream.
  std::string ole("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
  ole.resize(1024, '\0');
  ole += std::string("E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
  ole.resize(4096, '\0');
  ParsedDocument w = parse_bytes(ole, DocType::kUnknown, "protected.docx");
  EXPECT_EQ(w.fail, FailReason::kEncrypted) << w.fail_detail;
}

TEST(HostileZip, TruncatedXmlFailsNamingThePart) {
  std::string xml = w_doc(sample_docx_body());
  std::string bytes = sample_docx();
  std::string cut = make_zip({{"[Content_Types].xml", kContentTypes},
                              {"_rels/.rels", kRootRels},
                              {"word/document.xml", xml.substr(0, xml.size() / 2)}});
  ParsedDocument d = parse_bytes(cut, DocType::kUnknown, "cut.docx");
  EXPECT_EQ(d.fail, FailReason::kParseError);
  EXPECT_NE(d.fail_detail.find("word/document.xml"), std::string::npos) << d.fail_detail;
  // A truncated archive (the bytes cut, not the XML) fails too, without a crash.
  for (size_t n : {bytes.size() / 2, bytes.size() - 10, size_t{100}}) {
    ParsedDocument t = parse_bytes(bytes.substr(0, n), DocType::kUnknown, "cut.docx");
    EXPECT_NE(t.fail, FailReason::kNone) << n;
    EXPECT_FALSE(t.fail_detail.empty());
  }
}

TEST(HostileZip, ExternalEntitiesAreNeverResolved) {
  std::string xml = std::string("<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "
                                "\"file:///etc/passwd\"><!ENTITY net SYSTEM "
                                "\"http://127.0.0.1:9/x\">]><w:document ") +
                    kW + "><w:body>" + w_p("&xxe;&net;visible") + "</w:body></w:document>";
  std::string bytes = make_zip({{"[Content_Types].xml", kContentTypes},
                                {"word/document.xml", xml}});
  ParsedDocument d = parse_bytes(bytes, DocType::kUnknown, "xxe.docx");
  EXPECT_EQ(d.fail, FailReason::kParseError);
  EXPECT_NE(d.fail_detail.find("entities"), std::string::npos) << d.fail_detail;
  EXPECT_EQ(all_text(d).find("root:"), std::string::npos);
}

TEST(TypeMismatch, AZipNamedDocxThatIsNotOoxmlFails) {
  std::string bytes = make_zip({{"readme.txt", "just an archive"}});
  ParsedDocument d = parse_bytes(bytes, DocType::kUnknown, "fake.docx");
  EXPECT_EQ(d.fail, FailReason::kMismatch);
  EXPECT_NE(d.fail_detail.find("named .docx but is"), std::string::npos) << d.fail_detail;
  // The same archive under its own name is not a document at all: skipped.
  ParsedDocument z = parse_bytes(bytes, DocType::kUnknown, "files.zip");
  EXPECT_EQ(z.fail, FailReason::kSkipped) << z.fail_detail;
}

TEST(TypeMismatch, HtmlNamedPdfFailsWithTheReason) {
  ParsedDocument d = parse_bytes("<!DOCTYPE html><html><body><p>404 Not Found</p></body></html>",
                                 DocType::kUnknown, "paper.pdf");
  EXPECT_EQ(d.fail, FailReason::kMismatch);
  EXPECT_EQ(d.fail_detail, "named .pdf but is HTML");
  ParsedDocument w = parse_bytes(sample_docx(), DocType::kUnknown, "report.pdf");
  EXPECT_EQ(w.fail, FailReason::kMismatch);
  EXPECT_EQ(w.fail_detail, "named .pdf but is a Word document");
}

TEST(TypeMismatch, NonDocumentsAreSkippedNotFailed) {
  ParsedDocument gz = parse_bytes(std::string("\x1f\x8b\x08\0\0\0\0\0", 8), DocType::kUnknown,
                                  "archive.pdf");
  EXPECT_EQ(gz.fail, FailReason::kSkipped);
  EXPECT_NE(gz.fail_detail.find("gzip"), std::string::npos);
  // A page image under a .pdf name is read as the image it is (OCR), not a mismatch;
  // this stub has no pixels, so it fails as a damaged image.
  ParsedDocument png = parse_bytes(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16),
                                   DocType::kUnknown, "photo.pdf");
  EXPECT_EQ(png.type, DocType::kImage);
  EXPECT_EQ(png.fail, FailReason::kParseError);
  EXPECT_EQ(parse_bytes("", DocType::kUnknown, "empty.txt").fail, FailReason::kSkipped);
}

}  // namespace
}  // namespace trove::ingest
