// tests/mail/mail_hostile_test.cc — hostile mail, generated at test time: an mbox with a
// 50 MB single line, a message with 10,000 MIME parts, one nested 1,000 deep. Each must
// parse (or fail with a reason) without crashing or hanging; the ASan job runs these.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "ingest/chunker.h"
#include "ingest/mail_message.h"
#include "ingest/parse.h"
#include "ingest/token_counter.h"
#include "mail_messages.h"

namespace trove::ingest {
namespace {

using testing::mbox_entry;
using testing::message;

bool warned(const ParsedDocument& d, const std::string& needle) {
  for (const auto& w : d.warnings)
    if (w.find(needle) != std::string::npos) return true;
  return false;
}

TEST(MailHostile, MboxWithA50MegabyteLine) {
  std::string line;
  line.reserve(50u << 20);
  while (line.size() < (50u << 20)) line += "lorem ipsum dolor sit amet ";
  std::string mb = mbox_entry(message("big@x", "big", line)) +
                   mbox_entry(message("small@x", "small", "the second message survives"));
  ParseOptions o;
  o.max_file_size = 64u << 20;
  auto d = parse_bytes(mb, DocType::kUnknown, "big.mbox", o);
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  ASSERT_EQ(d.parts.size(), 2u);
  EXPECT_EQ(d.parts[1].doc.title, "small");
  WordTokenCounter counter;
  auto chunks = chunk_document(d.parts[0].doc, counter);
  EXPECT_GT(chunks.size(), 1000u);  // cut to the token budget, not one 50 MB passage
}

TEST(MailHostile, TenThousandMimeParts) {
  std::string m =
      "From: a@example.org\nSubject: many\nMessage-ID: <many@x>\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"BB\"\n\n";
  for (int i = 0; i < 10000; ++i) m += "--BB\nContent-Type: text/plain\n\npart number " +
                                       std::to_string(i) + "\n";
  m += "--BB--\n";
  auto d = parse_bytes(m, DocType::kUnknown, "many.eml");
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_TRUE(warned(d, "the rest was not read"));
  std::string text;
  for (const auto& b : d.blocks) text += b.text + "\n";
  EXPECT_NE(text.find("part number 0\n"), std::string::npos);
  EXPECT_EQ(text.find("part number 9999"), std::string::npos);  // past the cap
}

TEST(MailHostile, NestedAThousandDeep) {
  std::string m = "From: a@example.org\nSubject: deep\nMessage-ID: <deep@x>\nMIME-Version: 1.0\n";
  const int kDepth = 1000;
  for (int i = 0; i < kDepth; ++i) {
    m += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\n\n--b" +
         std::to_string(i) + "\n";
  }
  m += "Content-Type: text/plain\n\nthe innermost text\n";
  for (int i = kDepth - 1; i >= 0; --i) m += "--b" + std::to_string(i) + "--\n";
  auto d = parse_bytes(m, DocType::kUnknown, "deep.eml");
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_TRUE(warned(d, "levels deep"));
}

TEST(MailHostile, NestedMessageAttachmentsStopAtTheDepthLimit) {
  // An .eml attached to an .eml attached to ... 20 deep: parts stop at max_part_depth.
  std::string inner = message("leaf@x", "leaf", "innermost");
  for (int i = 0; i < 20; ++i) {
    std::string outer = "From: a@x\nSubject: level " + std::to_string(i) + "\nMessage-ID: <l" +
                        std::to_string(i) +
                        "@x>\nMIME-Version: 1.0\n"
                        "Content-Type: multipart/mixed; boundary=\"L" +
                        std::to_string(i) + "\"\n\n--L" + std::to_string(i) +
                        "\nContent-Type: text/plain\n\nouter\n--L" + std::to_string(i) +
                        "\nContent-Type: application/octet-stream\n"
                        "Content-Disposition: attachment; filename=\"m" +
                        std::to_string(i) + ".eml\"\n\n";
    outer += inner;
    outer += "\n--L" + std::to_string(i) + "--\n";
    inner = std::move(outer);
  }
  ParseOptions o;
  auto d = parse_bytes(inner, DocType::kUnknown, "nest.eml", o);
  ASSERT_EQ(d.fail, FailReason::kNone) << d.fail_detail;
  EXPECT_EQ(static_cast<int>(d.parts.size()), o.max_part_depth);
}

}  // namespace
}  // namespace trove::ingest
