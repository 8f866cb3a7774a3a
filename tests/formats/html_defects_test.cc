// HTML defects of issue 10: content boxes (DocBook sidebar/note/tip/warning, <aside>)
// are text, not chrome; link URLs and code-block languages stay searchable; real
// navigation is still dropped.
#include <gtest/gtest.h>

#include <string>

#include "ingest/parse.h"

namespace trove::ingest {
namespace {

std::string text_of(const std::string& html) {
  ParsedDocument d = parse_bytes(html, DocType::kUnknown, "page.html");
  EXPECT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  std::string s;
  for (const Block& b : d.blocks) s += b.text + "\n";
  return s;
}

TEST(HtmlDefects, DocBookBoxesAndAsidesAreKept) {
  // As DocBook XSL writes them.
  std::string t = text_of(
      "<html><body><div class=\"navheader\"><a href=\"index.html\">Prev</a> site menu</div>"
      "<div class=\"chapter\"><h1>Backups</h1><p>Run the job nightly.</p>"
      "<div class=\"sidebar\"><p class=\"title\"><b>Why rsync</b></p><p>Rsync copies only "
      "changed blocks.</p></div>"
      "<div class=\"note\"><h3 class=\"title\">Note</h3><p>Keep two copies offsite.</p></div>"
      "<div class=\"tip\"><p>Label every disk.</p></div>"
      "<div class=\"warning\"><p>Never restore over live data.</p></div>"
      "<aside class=\"footnote\" role=\"note\"><p>Tested on ext4.</p></aside>"
      "<aside><p>Aside text stays.</p></aside></div>"
      "<nav><a href=\"/\">Home</a> navigation text</nav>"
      "<div class=\"navfooter\">footer links</div></body></html>");
  for (const char* kept : {"Rsync copies only changed blocks.", "Why rsync", "Keep two copies offsite.",
                           "Label every disk.", "Never restore over live data.", "Tested on ext4.",
                           "Aside text stays."}) {
    EXPECT_NE(t.find(kept), std::string::npos) << kept << "\n" << t;
  }
  for (const char* dropped : {"site menu", "navigation text", "footer links"}) {
    EXPECT_EQ(t.find(dropped), std::string::npos) << dropped << "\n" << t;
  }
}

TEST(HtmlDefects, LinkUrlsAndCodeLanguagesAreSearchable) {
  std::string t = text_of(
      "<html><body><p>See <a href=\"https://example.org/guide/setup\">the guide</a> and "
      "<a href=\"https://example.org/raw\">https://example.org/raw</a> or <a href=\"#top\">top</a>"
      " and <a href=\"mailto:help@example.org\">mail us</a>.</p>"
      "<div class=\"highlight-python\"><pre>print(1)</pre></div>"
      "<pre><code class=\"language-rust\">fn main() {}</code></pre></body></html>");
  EXPECT_NE(t.find("the guide (https://example.org/guide/setup)"), std::string::npos) << t;
  // A link whose text is its URL is not doubled; in-page anchors add nothing.
  EXPECT_EQ(t.find("https://example.org/raw (https://example.org/raw)"), std::string::npos) << t;
  EXPECT_EQ(t.find("#top"), std::string::npos) << t;
  EXPECT_NE(t.find("mailto:help@example.org"), std::string::npos) << t;
  EXPECT_NE(t.find("python\nprint(1)"), std::string::npos) << t;
  EXPECT_NE(t.find("rust\nfn main() {}"), std::string::npos) << t;
}

}  // namespace
}  // namespace trove::ingest
