// Fixture tests: each parser on real files from ../shared/corpus/dev. Expected texts
// were read off the files themselves (and, for PDFs, off `pdftotext -f N -l N`).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/parse.h"
#include "tests/ingest/corpus.h"

namespace trove::ingest {
namespace {

using testing::bad;
using testing::dev;

std::string page_text(const ParsedDocument& d, int page) {
  std::string s;
  for (const Block& b : d.blocks) {
    if (b.page == page) s += b.text + "\n";
  }
  return s;
}

bool has_block(const ParsedDocument& d, const std::string& needle, BlockKind kind) {
  for (const Block& b : d.blocks) {
    if (b.kind == kind && b.text.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string all_text(const ParsedDocument& d) {
  std::string s;
  for (const Block& b : d.blocks) s += b.text + "\n";
  return s;
}

TEST(PdfCorpus, MultiPageTextLandsOnTheRightPage) {
  ParsedDocument d = parse_file(dev("r-doc-pdf/R-intro.pdf"));
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(d.type, DocType::kPdf);
  EXPECT_EQ(d.page_count, 113);
  // pdftotext -f 12 -l 12: section 1.10 and 1.11 start on page 12.
  std::string p12 = page_text(d, 12);
  EXPECT_NE(p12.find("1.10 Executing commands from or diverting output to a file"),
            std::string::npos);
  EXPECT_NE(p12.find("1.11 Data permanency and removing objects"), std::string::npos);
  EXPECT_EQ(page_text(d, 11).find("1.10 Executing commands"), std::string::npos);
  EXPECT_EQ(page_text(d, 13).find("1.10 Executing commands"), std::string::npos);
  // No Title in the document info: the first line of text is the title.
  EXPECT_EQ(d.title, "An Introduction to R");
  int last = 0;
  for (const Block& b : d.blocks) {
    EXPECT_GE(b.page, last);
    EXPECT_LE(b.page, 113);
    last = b.page;
  }
  // Chunks carry the page and never mix pages.
  for (const Chunk& c : chunk_document(d, WordTokenCounter(), {}))
    EXPECT_EQ(c.page_start, c.page_end);
}

TEST(PdfCorpus, TitleFromDocumentInfo) {
  ParsedDocument d = parse_file(dev("gnuplot-doc/gnuplot.pdf"));
  ASSERT_EQ(d.fail, FailReason::kNone);
  EXPECT_EQ(d.title, "gnuplot documentation");
  EXPECT_NE(page_text(d, 1).find("An Interactive Plotting Program"), std::string::npos);
}

TEST(PdfCorpus, UserPasswordIsEncryptedOwnerPasswordIsReadable) {
  ParsedDocument locked = parse_file(bad("pdf/encrypted-user-password.pdf"));
  EXPECT_EQ(locked.fail, FailReason::kEncrypted);
  EXPECT_NE(locked.fail_detail.find("password"), std::string::npos);
  // Owner-password PDFs open in every viewer; we index them and say they were encrypted.
  ParsedDocument owner = parse_file(dev("qpdf-encrypted-variants/R-lang.rc4-128-ownerpw.pdf"));
  ASSERT_EQ(owner.fail, FailReason::kNone) << owner.fail_detail;
  EXPECT_NE(page_text(owner, 1).find("R Language Definition"), std::string::npos);
  ASSERT_FALSE(owner.warnings.empty());
  EXPECT_NE(owner.warnings[0].find("owner password"), std::string::npos);
}

TEST(PdfCorpus, ChineseAndJapaneseTextIsExtracted) {
  ParsedDocument zh = parse_file(dev("texlive-lang-chinese/latex/lshort-chinese/lshort-zh-cn.pdf"));
  ASSERT_EQ(zh.fail, FailReason::kNone);
  EXPECT_NE(page_text(zh, 5).find("英文版致谢"), std::string::npos);
  ParsedDocument ja = parse_file(dev("debian-reference-ja/debian-reference.ja.pdf"));
  ASSERT_EQ(ja.fail, FailReason::kNone);
  EXPECT_NE(page_text(ja, 3).find("Debian リファレンス"), std::string::npos);
  EXPECT_NE(page_text(ja, 3).find("青木"), std::string::npos);
}

TEST(PdfCorpus, ImageOnlyPdfHasNoText) {
  ParsedDocument d = parse_file(dev("texlive-latex-recommended-doc/latex/beamer/beamerlogo.pdf"));
  EXPECT_EQ(d.fail, FailReason::kNoText);
  EXPECT_NE(d.fail_detail.find("image-only"), std::string::npos);
}

TEST(HtmlCorpus, TitleHeadingsNavigationRemoved) {
  ParsedDocument d = parse_file(dev("python3.11-doc/library/secrets.html"));
  ASSERT_EQ(d.fail, FailReason::kNone);
  EXPECT_EQ(d.title,
            "secrets — Generate secure random numbers for managing secrets — Python 3.11.2 "
            "documentation");
  ASSERT_FALSE(d.blocks.empty());
  // The sidebar and the related-links bars (role=navigation) are gone: the first
  // block is the page's H1, without Sphinx's ¶ anchor.
  EXPECT_EQ(d.blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(d.blocks[0].text, "secrets — Generate secure random numbers for managing secrets");
  std::string text = all_text(d);
  EXPECT_EQ(text.find("Table of Contents"), std::string::npos);
  EXPECT_EQ(text.find("¶"), std::string::npos);
  EXPECT_EQ(text.find("DOCUMENTATION_OPTIONS"), std::string::npos);
  // h2 sections nest under the h1; entities (&gt;&gt;&gt;) decoded inside <pre>; the
  // language Sphinx names on the wrapper (highlight-pycon) is the block's info line,
  // so it stays searchable as a fenced block's info string is.
  bool found = false;
  for (const Block& b : d.blocks) {
    if (b.kind == BlockKind::kCode && b.text.rfind("pycon\n>>> token_bytes(16)", 0) == 0) {
      found = true;
      EXPECT_EQ(b.heading_path.back(), "Generating tokens");
    }
  }
  EXPECT_TRUE(found);
}

TEST(HtmlCorpus, TablesBecomeRows) {
  ParsedDocument d = parse_file(dev("python3.11-doc/library/__future__.html"));
  ASSERT_EQ(d.fail, FailReason::kNone);
  EXPECT_TRUE(
      has_block(d, "feature | optional in | mandatory in | effect\nnested_scopes | 2.1.0b1 | 2.2 |",
                BlockKind::kTable));
}

TEST(HtmlCorpus, CrlfPageHasLineSpansAndNoCarriageReturns) {
  ParsedDocument d = parse_file(dev("git-doc/gitk.html"));
  ASSERT_EQ(d.fail, FailReason::kNone);
  EXPECT_EQ(d.title, "gitk(1)");
  EXPECT_TRUE(has_block(d, "gitk - The Git repository browser", BlockKind::kParagraph));
  for (const Block& b : d.blocks) {
    EXPECT_EQ(b.text.find('\r'), std::string::npos);
    EXPECT_GT(b.line_start, 0);
  }
}

TEST(HtmlCorpus, LegacyAndMislabelledEncodings) {
  ParsedDocument cp = parse_file(bad("html/charset-mismatch-cp1251.html"));
  ASSERT_EQ(cp.fail, FailReason::kNone);
  EXPECT_NE(all_text(cp).find("Vim -- это очень мощный редактор"), std::string::npos);
  ParsedDocument u16 = parse_file(bad("html/utf16be-no-bom.html"));
  ASSERT_EQ(u16.fail, FailReason::kNone);
  EXPECT_TRUE(has_block(u16, "9. Classes", BlockKind::kHeading));
}

TEST(MarkdownCorpus, FrontMatterAndTables) {
  ParsedDocument d = parse_file(dev("docker-doc/extend/plugins_services.md"));
  ASSERT_EQ(d.fail, FailReason::kNone);
  EXPECT_EQ(d.title, "Plugins and Services");
  EXPECT_EQ(d.metadata["keywords"], "API, Usage, plugins, documentation, developer");
  // The maintainer comment after the front matter is not text.
  EXPECT_EQ(all_text(d).find("maintained within the docker/cli"), std::string::npos);

  ParsedDocument t = parse_file(dev("docker-doc/extend/config.md"));
  ASSERT_EQ(t.fail, FailReason::kNone);
  EXPECT_TRUE(
      has_block(t, "Config Type | Media Type\nconfig | \"application/vnd.docker.plugin.v1+json\"",
                BlockKind::kTable));
}

TEST(MarkdownCorpus, SetextHeadingsCodeAndTitle) {
  ParsedDocument d = parse_file(dev("texlive-lang-chinese/latex/zhnumber/README.md"));
  ASSERT_EQ(d.fail, FailReason::kNone);
  EXPECT_EQ(d.title, "zhnumber");
  EXPECT_TRUE(has_block(d, "\\zhnumber{<number>}", BlockKind::kCode));
  for (const Block& b : d.blocks) {
    if (b.kind == BlockKind::kHeading && b.text == "Basic Usage") {
      EXPECT_EQ(b.line_start, 9);
      EXPECT_EQ(b.heading_path, std::vector<std::string>{"zhnumber"});
    }
  }
}

TEST(TextCorpus, Windows1251FilesGiveCyrillic) {
  ParsedDocument ru = parse_file(dev("texlive-lang-cyrillic/latex/russ/readme.RU.txt"));
  ASSERT_EQ(ru.fail, FailReason::kNone);
  EXPECT_NE(all_text(ru).find("Пакет предназначен для использования русского языка в LaTeX."),
            std::string::npos);
  ParsedDocument bg =
      parse_file(dev("texlive-lang-cyrillic/latex/pst-eucl-translation-bg/README-bulgarian.txt"));
  ASSERT_EQ(bg.fail, FailReason::kNone);
  EXPECT_NE(all_text(bg).find("Това са кратки и доста съкратени бележки"), std::string::npos);
  ParsedDocument md = parse_file(dev("texlive-lang-cyrillic/latex/disser/README-ru.md"));
  EXPECT_EQ(md.title, "1. Введение");
  ParsedDocument tutor = parse_file(bad("txt/legacy-tutor.ru.cp1251.txt"));
  EXPECT_NE(all_text(tutor).find("Vim -- это очень мощный редактор"), std::string::npos);
}

// Real legacy files (vim's tutor translations, no charset marker anywhere): detection
// picks the right charset for a whole file of real prose.
TEST(LegacyEncoding, RealTutorFilesDecode) {
  struct Case {
    const char* file;
    const char* phrase;
  };
  const Case cases[] = {
      {"txt/legacy-tutor.ja.sjis.txt", "このチュートリアルで説明するには多すぎる程のコマンドを備えた"},
      {"txt/legacy-tutor.zh.big5.txt", "是一個具有很多命令的功能非常強大的編輯器。"},
      {"txt/legacy-tutor.pl.cp1250.txt", "Vim to potężny edytor, który posiada wiele poleceń"},
      {"txt/legacy-tutor.ru.cp1251.txt", "Vim -- это очень мощный редактор"},
  };
  for (const Case& c : cases) {
    ParsedDocument d = parse_file(bad(c.file));
    ASSERT_EQ(d.fail, FailReason::kNone) << c.file;
    std::string all;
    for (const Block& b : d.blocks) all += b.text + " ";
    EXPECT_NE(all.find(c.phrase), std::string::npos) << c.file << ": " << all.substr(0, 300);
  }
}

TEST(TextCorpus, Utf16BomCrlfAndNulBytes) {
  for (const char* f : {"txt/utf16le-bom.txt", "txt/utf16be-no-bom.txt", "txt/utf8-bom-crlf.txt",
                        "txt/nul-bytes-inside.txt"}) {
    ParsedDocument d = parse_file(bad(f));
    ASSERT_EQ(d.fail, FailReason::kNone) << f << ": " << d.fail_detail;
    std::string text = all_text(d);
    EXPECT_NE(text.find("VIM USER MANUAL - by Bram Moolenaar"), std::string::npos) << f;
    EXPECT_EQ(text.find('\r'), std::string::npos) << f;
    EXPECT_EQ(text.find('\0'), std::string::npos) << f;
  }
}

}  // namespace
}  // namespace trove::ingest
