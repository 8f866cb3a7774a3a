// tests/mail/mail_parser_test.cc — e-mail and mbox parsing: headers, encodings,
// alternatives, quoted replies, attachments as parts, mbox splitting and keys.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/sha256.h"
#include "ingest/detect.h"
#include "ingest/parse.h"
#include "mail_messages.h"

namespace trove::ingest {
namespace {

using testing::mbox_entry;
using testing::message;

std::string all_text(const ParsedDocument& d) {
  std::string out;
  for (const auto& b : d.blocks) out += b.text + "\n";
  return out;
}

const Block* block_with(const ParsedDocument& d, const std::string& needle) {
  for (const auto& b : d.blocks)
    if (b.text.find(needle) != std::string::npos) return &b;
  return nullptr;
}

ParsedDocument eml(const std::string& bytes, const ParseOptions& o = {}) {
  return parse_bytes(bytes, DocType::kUnknown, "msg.eml", o);
}

TEST(MailParser, HeadersAreMetadataAndSearchableText) {
  auto d = eml(message("a1@example.org", "Quarterly numbers", "The budget is approved."));
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(d.type, DocType::kEmail);
  EXPECT_EQ(d.title, "Quarterly numbers");
  EXPECT_NE(d.metadata["from"].find("ada@example.org"), std::string::npos);
  EXPECT_NE(d.metadata["to"].find("Alan Turing"), std::string::npos);
  EXPECT_EQ(d.metadata["message_id"], "a1@example.org");
  EXPECT_EQ(d.metadata["date"].substr(0, 10), "2026-03-11");
  std::string text = all_text(d);
  EXPECT_NE(text.find("From: Ada Lovelace"), std::string::npos);
  EXPECT_NE(text.find("The budget is approved."), std::string::npos);
  // Citations show Subject and Date.
  ASSERT_FALSE(d.blocks.empty());
  ASSERT_FALSE(d.blocks[0].heading_path.empty());
  EXPECT_NE(d.blocks[0].heading_path[0].find("Quarterly numbers"), std::string::npos);
  EXPECT_NE(d.blocks[0].heading_path[0].find("2026-03-11"), std::string::npos);
}

TEST(MailParser, EncodedWordsQuotedPrintableAndDeclaredCharsets) {
  std::string m =
      "From: =?UTF-8?B?SsO8cmdlbg==?= <j@example.org>\n"
      "Subject: =?ISO-8859-1?Q?Caf=E9_au_lait?=\n"
      "Message-ID: <qp@example.org>\nMIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=iso-8859-1\n"
      "Content-Transfer-Encoding: quoted-printable\n\n"
      "Le caf=E9 est pr=EAt, soft=\nwrapped line.\n";
  auto d = eml(m);
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(d.title, "Caf\xC3\xA9 au lait");
  EXPECT_NE(d.metadata["from"].find("J\xC3\xBCrgen"), std::string::npos);
  EXPECT_NE(all_text(d).find("Le caf\xC3\xA9 est pr\xC3\xAAt, softwrapped line."),
            std::string::npos);
}

TEST(MailParser, Koi8rBase64Body) {
  // "Привет, мир" in KOI8-R, base64.
  std::string m =
      "From: a@example.org\nSubject: koi\nMessage-ID: <k@x>\nMIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=\"koi8-r\"\nContent-Transfer-Encoding: base64\n\n"
      "8NLJ18XULCDNydI=\n";
  auto d = eml(m);
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_NE(all_text(d).find("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, "
                             "\xD0\xBC\xD0\xB8\xD1\x80"),
            std::string::npos)
      << all_text(d);
}

std::string alternative(bool with_plain) {
  std::string m =
      "From: a@example.org\nSubject: alt\nMessage-ID: <alt@x>\nMIME-Version: 1.0\n"
      "Content-Type: multipart/alternative; boundary=\"BB\"\n\n--BB\n";
  if (with_plain) {
    m += "Content-Type: text/plain; charset=utf-8\n\nplain version of the walrus memo\n--BB\n";
  }
  m += "Content-Type: text/html; charset=utf-8\n\n"
       "<html><body><p>html <b>version</b> of the walrus memo</p></body></html>\n--BB--\n";
  return m;
}

TEST(MailParser, AlternativePrefersPlainText) {
  auto d = eml(alternative(true));
  std::string text = all_text(d);
  EXPECT_NE(text.find("plain version of the walrus memo"), std::string::npos);
  EXPECT_EQ(text.find("html version"), std::string::npos);
}

TEST(MailParser, AlternativeWithoutPlainGoesThroughHtml) {
  auto d = eml(alternative(false));
  std::string text = all_text(d);
  EXPECT_NE(text.find("html version of the walrus memo"), std::string::npos) << text;
  EXPECT_EQ(text.find("<b>"), std::string::npos);
}

TEST(MailParser, QuotedRepliesAreKeptButMarked) {
  auto d = eml(message("q@x", "Re: plans",
                       "Sounds good to me.\n\nOn Tuesday Alan wrote:\n> shall we meet at the "
                       "harbour\n> at noon?\n\nSee you there."));
  const Block* q = block_with(d, "harbour");
  ASSERT_NE(q, nullptr);
  EXPECT_NE(q->text.find("> shall we meet"), std::string::npos);
  EXPECT_EQ(q->heading_path.back(), "quoted reply");
  const Block* own = block_with(d, "See you there.");
  ASSERT_NE(own, nullptr);
  EXPECT_NE(own->heading_path.back(), "quoted reply");
}

std::string with_attachments() {
  return "From: a@example.org\nSubject: files\nMessage-ID: <att@x>\nMIME-Version: 1.0\n"
         "Content-Type: multipart/mixed; boundary=\"MM\"\n\n"
         "--MM\nContent-Type: text/plain\n\nSee the attached notes.\n"
         "--MM\nContent-Type: text/markdown; name=\"notes.md\"\n"
         "Content-Disposition: attachment; filename=\"notes.md\"\n"
         "Content-Transfer-Encoding: base64\n\n"
         // "# Lighthouse\n\nThe keeper logs the fog horn hours.\n"
         "IyBMaWdodGhvdXNlCgpUaGUga2VlcGVyIGxvZ3MgdGhlIGZvZyBob3JuIGhvdXJzLgo=\n"
         "--MM\nContent-Type: application/zip; name=\"photos.zip\"\n"
         "Content-Disposition: attachment; filename=\"photos.zip\"\n"
         "Content-Transfer-Encoding: base64\n\nUEsDBAoAAAAAAA==\n"
         "--MM--\n";
}

TEST(MailParser, ReadableAttachmentsBecomePartsOthersAreListed) {
  auto d = eml(with_attachments());
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  ASSERT_EQ(d.parts.size(), 1u);
  const DocumentPart& p = d.parts[0];
  EXPECT_EQ(p.key, "attachment/notes.md");
  EXPECT_EQ(p.label, "attachment/notes.md");
  EXPECT_EQ(p.doc.type, DocType::kMarkdown);
  EXPECT_EQ(p.content_hash, sha256_hex("# Lighthouse\n\nThe keeper logs the fog horn hours.\n"));
  EXPECT_NE(all_text(p.doc).find("fog horn"), std::string::npos);
  std::string text = all_text(d);
  EXPECT_NE(text.find("photos.zip (application/zip"), std::string::npos) << text;
  EXPECT_NE(text.find("notes.md"), std::string::npos);
  EXPECT_EQ(text.find("fog horn"), std::string::npos);  // the attachment is its own document
}

std::string five_message_mbox() {
  std::string mb;
  mb += mbox_entry(message("m1@x", "one", "alpha body"));
  mb += mbox_entry(message("m2@x", "two", "beta body\n>From the archive, escaped"));
  mb += mbox_entry(message("", "three", "gamma body without an id"));
  mb += mbox_entry(message("m1@x", "four", "delta body, same id as one"));
  mb += mbox_entry(message("m5@x", "five", "epsilon body"));
  return mb;
}

TEST(MboxParser, EveryMessageIsADocument) {
  auto d = parse_bytes(five_message_mbox(), DocType::kUnknown, "archive.mbox");
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(d.type, DocType::kMbox);
  EXPECT_TRUE(d.blocks.empty());  // a container
  ASSERT_EQ(d.parts.size(), 5u);
  std::vector<std::string> labels, titles;
  for (const auto& p : d.parts) {
    labels.push_back(p.label);
    titles.push_back(p.doc.title);
  }
  EXPECT_EQ(labels, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(titles, (std::vector<std::string>{"one", "two", "three", "four", "five"}));
  EXPECT_EQ(d.parts[0].key, "m1@x");
  EXPECT_EQ(d.parts[3].key, "m1@x~2");  // duplicate Message-ID stays a separate document
  EXPECT_EQ(d.parts[2].key.rfind("sha256:", 0), 0u);
  std::string two = all_text(d.parts[1].doc);
  EXPECT_NE(two.find("From the archive, escaped"), std::string::npos) << two;
  EXPECT_EQ(two.find(">From"), std::string::npos) << two;
}

TEST(MboxParser, KnownMessagesAreNotParsedAgainAndKeepTheirNumbers) {
  auto first = parse_bytes(five_message_mbox(), DocType::kUnknown, "archive.mbox");
  ASSERT_EQ(first.parts.size(), 5u);
  // Stored: messages 1, 3, 4, 5 (message 2 was deleted from the file since).
  KnownParts known;
  for (const auto& p : first.parts)
    if (p.label != "2") known[p.key] = {p.label, p.content_hash};
  std::string mb;
  mb += mbox_entry(message("m1@x", "one", "alpha body"));
  mb += mbox_entry(message("", "three", "gamma body without an id"));
  mb += mbox_entry(message("m1@x", "four", "delta body, same id as one"));
  mb += mbox_entry(message("m5@x", "five", "epsilon body, edited"));
  mb += mbox_entry(message("m6@x", "six", "zeta body"));
  ParseOptions o;
  o.known_parts = &known;
  auto d = parse_bytes(mb, DocType::kUnknown, "archive.mbox", o);
  ASSERT_EQ(d.parts.size(), 5u);
  EXPECT_TRUE(d.parts[0].unchanged);
  EXPECT_TRUE(d.parts[1].unchanged);
  EXPECT_TRUE(d.parts[2].unchanged);
  EXPECT_FALSE(d.parts[3].unchanged);  // edited: parsed again, same number
  EXPECT_EQ(d.parts[3].label, "5");
  EXPECT_NE(all_text(d.parts[3].doc).find("edited"), std::string::npos);
  EXPECT_FALSE(d.parts[4].unchanged);  // new: position 5 is taken, so one past the highest
  EXPECT_EQ(d.parts[4].label, "6");
  std::vector<std::string> labels;
  for (const auto& p : d.parts) labels.push_back(p.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"1", "3", "4", "5", "6"}));
}

TEST(MailDetect, NamesAndContent) {
  std::string m = message("d@x", "hi", "body");
  EXPECT_EQ(detect_type("x.eml", m), DocType::kEmail);
  EXPECT_EQ(detect_type("saved-message", m), DocType::kEmail);  // headers say so
  EXPECT_EQ(detect_type("inbox", mbox_entry(m)), DocType::kMbox);
  EXPECT_EQ(detect_type("inbox.txt", mbox_entry(m)), DocType::kMbox);
  EXPECT_EQ(detect_type("note.txt", "Subject: groceries\nFrom: me\n\nmilk, eggs\n"),
            DocType::kText);
  EXPECT_EQ(detect_type("note.txt", "From here on we walk.\n"), DocType::kText);
}

}  // namespace
}  // namespace trove::ingest
