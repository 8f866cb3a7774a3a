// Tests for ingest/encoding (decoding to UTF-8) and ingest/detect (type sniffing).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/detect.h"
#include "ingest/encoding.h"
#include "ingest/parse.h"

namespace trove::ingest {
namespace {

using namespace std::string_literals;

std::string utf16(const std::u16string& s, bool big_endian, bool bom) {
  std::string out;
  auto put = [&](char16_t c) {
    char hi = static_cast<char>(c >> 8), lo = static_cast<char>(c & 0xFF);
    out += big_endian ? std::string{hi, lo} : std::string{lo, hi};
  };
  if (bom) put(0xFEFF);
  for (char16_t c : s) put(c);
  return out;
}

std::string bytes(const std::vector<int>& v) {
  std::string s;
  for (int b : v) s.push_back(static_cast<char>(b));
  return s;
}

TEST(Encoding, Utf8IsKeptAndItsBomDropped) {
  Decoded d = decode_to_utf8("h\xC3\xA9llo");
  EXPECT_EQ(d.text, "h\xC3\xA9llo");
  EXPECT_EQ(d.replacements, 0u);
  d = decode_to_utf8("\xEF\xBB\xBFhi");
  EXPECT_EQ(d.text, "hi");
  EXPECT_EQ(d.encoding, Encoding::kUtf8Bom);
}

TEST(Encoding, Utf16WithBomBothEndiansIncludingSurrogatePairs) {
  std::u16string s = u"Grüße 😀 ok";
  for (bool be : {false, true}) {
    Decoded d = decode_to_utf8(utf16(s, be, true));
    EXPECT_EQ(d.text, "Grüße 😀 ok");
    EXPECT_EQ(d.encoding, be ? Encoding::kUtf16Be : Encoding::kUtf16Le);
    EXPECT_EQ(d.replacements, 0u);
  }
}

TEST(Encoding, Utf16WithoutBomIsRecognisedByItsNuls) {
  Decoded d = decode_to_utf8(utf16(u"plain ascii text in utf-16, no byte order mark", true, false));
  EXPECT_EQ(d.encoding, Encoding::kUtf16Be);
  EXPECT_EQ(d.text, "plain ascii text in utf-16, no byte order mark");
}

TEST(Encoding, Utf32WithBom) {
  std::string le = "\xFF\xFE\x00\x00"s + "A\x00\x00\x00"s + "\x3B\x04\x00\x00"s;  // "Aл"
  Decoded d = decode_to_utf8(le);
  EXPECT_EQ(d.encoding, Encoding::kUtf32Le);
  EXPECT_EQ(d.text, "A\xD0\xBB");
  std::string be = "\x00\x00\xFE\xFF"s + "\x00\x00\x00Z"s;
  EXPECT_EQ(decode_to_utf8(be).text, "Z");
}

TEST(Encoding, MostlyUtf8GetsReplacementCharactersCounted) {
  std::string s =
      "caf\xC3\xA9 ok \xFF then na\xC3\xAFve and more "
      "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
  Decoded d = decode_to_utf8(s);
  EXPECT_EQ(d.encoding, Encoding::kUtf8);
  EXPECT_EQ(d.replacements, 1u);
  EXPECT_NE(d.text.find("ok \xEF\xBF\xBD then"), std::string::npos);
}

TEST(Encoding, OverlongAndSurrogateFormsAreInvalid) {
  EXPECT_EQ(utf8_sequence_length("\xC0\xAF", 0), 0u);          // overlong '/'
  EXPECT_EQ(utf8_sequence_length("\xED\xA0\x80", 0), 0u);      // UTF-16 surrogate
  EXPECT_EQ(utf8_sequence_length("\xF4\x90\x80\x80", 0), 0u);  // above U+10FFFF
  EXPECT_EQ(utf8_sequence_length("\xE2\x82", 0), 0u);          // truncated
  EXPECT_EQ(utf8_sequence_length("\xE2\x82\xAC", 0), 3u);      // €
}

TEST(Encoding, Windows1251CyrillicIsDecoded) {
  std::string cp1251 =
      "\xcf\xf0\xe8\xe2\xe5\xf2\x2c\x20\xec\xe8\xf0\x21\x20\xd1\xfa\xe5\xf8\xfc\x20\xe5\xf9\xb8\x20"
      "\xfd\xf2\xe8\xf5\x20"
      "\xec\xff\xe3\xea\xe8\xf5\x20\xe1\xf3\xeb\xee\xea\x2e";
  Decoded d = decode_to_utf8(cp1251);
  EXPECT_EQ(d.encoding, Encoding::kLegacy);
  EXPECT_EQ(d.charset, "WINDOWS-1251");
  EXPECT_TRUE(d.guessed);
  EXPECT_EQ(d.text, "Привет, мир! Съешь ещё этих мягких булок.");
}

TEST(Encoding, Latin1AccentsAreDecodedAsWindows1252) {
  std::string latin1 =
      bytes({67,  97, 102, 233, 32,  99,  114, 232, 109, 101, 32,  98,  114, 251, 108, 233,
             101, 32, 224, 32,  108, 97,  32,  102, 114, 97,  110, 231, 97,  105, 115, 101,
             44,  32, 110, 97,  239, 118, 101, 32,  102, 97,  231, 97,  100, 101, 46});
  Decoded d = decode_to_utf8(latin1);
  EXPECT_EQ(d.encoding, Encoding::kLegacy);
  EXPECT_EQ(d.charset, "WINDOWS-1252");
  EXPECT_EQ(d.text, "Café crème brûlée à la française, naïve façade.");
  // 0x80-0x9F are Windows-1252 punctuation, not C1 controls.
  Decoded w;
  ASSERT_TRUE(decode_charset("\x93quoted\x94 \x80", "iso-8859-1", &w));
  EXPECT_EQ(w.text, "\u201Cquoted\u201D \u20AC");
}

TEST(Detect, ContentBeatsExtension) {
  EXPECT_EQ(detect_type("doc.txt", "%PDF-1.7\n..."), DocType::kPdf);
  EXPECT_EQ(detect_type("doc.pdf", std::string(200, '\x01') + "\n%PDF-1.4"), DocType::kPdf);
  // A page image is a document now (read by OCR), whatever its name.
  EXPECT_EQ(detect_type("notes.md", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s), DocType::kImage);
  EXPECT_EQ(describe_unknown("notes.md", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s), "");
  EXPECT_NE(describe_unknown("notes.md", "\x1f\x8b\x08\0\0\0"s).find("gzip"), std::string::npos);
  EXPECT_EQ(detect_type("book.pdf", "PK\x03\x04\x14\0\0\0"s), DocType::kUnknown);
  EXPECT_EQ(detect_type("a.txt",
                        "\x7f"
                        "ELF\x02\x01\x01\0\0\0\0\0"s),
            DocType::kUnknown);
  EXPECT_EQ(detect_type("page.txt", "<!DOCTYPE html>\n<html><body>x</body></html>"),
            DocType::kHtml);
  EXPECT_EQ(detect_type("page.html", "just some text"), DocType::kHtml);
  EXPECT_EQ(detect_type("README.md", "# Title\n\ntext"), DocType::kMarkdown);
  EXPECT_EQ(detect_type("README.MARKDOWN", "text"), DocType::kMarkdown);
  EXPECT_EQ(detect_type("notes", "plain words"), DocType::kText);
  // A text file that merely mentions the PDF header is still text.
  EXPECT_EQ(detect_type("MANIFEST.txt", "header line \"%PDF-1.5\" quoted"), DocType::kText);
}

TEST(Detect, NulBytesMeanBinaryUnlessUnicodeOrRare) {
  std::string binary = "abc\0\0\0def\0\0ghi\0"s;
  EXPECT_EQ(detect_type("x.txt", binary), DocType::kUnknown);
  EXPECT_EQ(detect_type("x.txt", utf16(u"hello world, this is text", false, true)), DocType::kText);
  EXPECT_EQ(detect_type("x.txt", utf16(u"hello world, this is text", true, false)), DocType::kText);
  std::string rare = std::string(600, 'a') + '\0' + std::string(600, 'b');
  EXPECT_EQ(detect_type("x.txt", rare), DocType::kText);
}

TEST(ParseBytes, Utf16TextAndEmptyAndBinary) {
  ParsedDocument d = parse_bytes(utf16(u"Первый абзац.\n\nSecond paragraph.", false, true),
                                 DocType::kUnknown, "u.txt");
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  ASSERT_EQ(d.blocks.size(), 2u);
  EXPECT_EQ(d.blocks[0].text, "Первый абзац.");
  EXPECT_EQ(d.blocks[1].line_start, 3);
  EXPECT_EQ(d.title, "u");

  EXPECT_EQ(parse_bytes("", DocType::kUnknown, "e.txt").fail, FailReason::kSkipped);
  ParsedDocument bin = parse_bytes(
      "\x7f"
      "ELF\x02\x01\x01\0\0\0\0\0"s,
      DocType::kUnknown, "a.md");
  EXPECT_EQ(bin.fail, FailReason::kSkipped);
  EXPECT_NE(bin.fail_detail.find("binary"), std::string::npos);
}

TEST(ParseBytes, InvalidUtf8IsReplacedAndWarned) {
  std::string s =
      "Good line \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9.\n\nBad \xFF byte "
      "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 here.";
  ParsedDocument d = parse_bytes(s, DocType::kText, "bad.txt");
  ASSERT_EQ(d.fail, FailReason::kNone);
  ASSERT_EQ(d.blocks.size(), 2u);
  EXPECT_NE(d.blocks[1].text.find("Bad \xEF\xBF\xBD byte"), std::string::npos);
  ASSERT_FALSE(d.warnings.empty());
  EXPECT_NE(d.warnings[0].find("1 places"), std::string::npos);
}

TEST(ParseBytes, TextParagraphsLineSpansAndManHeadings) {
  std::string man =
      "LS(1)                User Commands               LS(1)\n\nNAME\n       ls - list directory "
      "contents\n\n"
      "SYNOPSIS\n       ls [OPTION]... [FILE]...\n\nDESCRIPTION\n       List  information  about "
      "the FILEs.\n"
      "       Sort entries alphabetically.\n";
  ParsedDocument d = parse_bytes(man, DocType::kText, "ls.1.txt");
  ASSERT_EQ(d.fail, FailReason::kNone);
  std::vector<std::string> headings;
  for (const Block& b : d.blocks) {
    if (b.kind == BlockKind::kHeading) headings.push_back(b.text);
  }
  EXPECT_EQ(headings, (std::vector<std::string>{"NAME", "SYNOPSIS", "DESCRIPTION"}));
  const Block& last = d.blocks.back();
  EXPECT_EQ(last.text, "List information about the FILEs. Sort entries alphabetically.");
  EXPECT_EQ(last.heading_path, std::vector<std::string>{"DESCRIPTION"});
  EXPECT_EQ(last.line_start, 10);
  EXPECT_EQ(last.line_end, 11);
}

TEST(ParseBytes, CrlfAndOverstrikeAreCleaned) {
  ParsedDocument d =
      parse_bytes("N\bNA\bAM\bME\bE\r\nline two\r\n\r\nnext\r\n", DocType::kText, "c.txt");
  ASSERT_EQ(d.blocks.size(), 2u);
  EXPECT_EQ(d.blocks[0].text, "NAME line two");
  EXPECT_EQ(d.blocks[1].line_start, 4);
}

}  // namespace
}  // namespace trove::ingest
