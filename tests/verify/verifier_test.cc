// The claim verifier, one rule at a time, on passages written for these tests (not
// the dev set): numbers with units and versions, flags and paths, negation scope on
// both sides, paraphrases that must stay supported, and hostile input.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "answer/verifier.h"

namespace trove::answer {
namespace {

const char* kSync =
    "The --delete option removes files from the destination that do not exist on the source. "
    "It is not enabled by default. Use -n or --dry-run to see what would be transferred "
    "without making any changes. The default block size is 700 bytes and the protocol "
    "version is 31. Since version 3.1.0, the --info=progress2 flag prints one line for the "
    "whole transfer. Settings are read from ~/.config/sync/sync.conf at start-up.";

const char* kBackup =
    "Snapshots are kept for 30 days and then pruned by the nightly job. The archive is "
    "encrypted with ChaCha20 before it leaves the machine, and restores never overwrite a "
    "newer file.";

SentenceCheck check_one(const std::string& sentence, std::vector<SourcePassage> sources = {{1, "sync.md", kSync}}) {
  VerifyReport r = verify_answer("How do I sync a folder?", sentence, sources);
  EXPECT_EQ(r.sentences.size(), 1u) << sentence;
  return r.sentences.empty() ? SentenceCheck{} : r.sentences[0];
}

void expect_supported(const std::string& sentence) {
  SentenceCheck c = check_one(sentence);
  EXPECT_EQ(c.verdict, Verdict::kSupported) << sentence << " → " << kind_name(c.kind) << ": " << c.reason;
}

void expect_unsupported(const std::string& sentence, UnsupportedKind kind,
                        std::vector<SourcePassage> sources = {{1, "sync.md", kSync}}) {
  SentenceCheck c = check_one(sentence, std::move(sources));
  EXPECT_EQ(c.verdict, Verdict::kUnsupported) << sentence;
  EXPECT_EQ(kind_name(c.kind), kind_name(kind)) << sentence << " → " << c.reason;
}

TEST(Verifier, NumbersWithUnitsMustMatch) {
  expect_supported("The default block size is 700 bytes [1].");
  expect_unsupported("The default block size is 900 bytes [1].", UnsupportedKind::kWrongNumber);
  expect_unsupported("The default block size is 700 KB [1].", UnsupportedKind::kWrongNumber);
}

TEST(Verifier, VersionsCompareExactly) {
  expect_supported("The protocol version is 31 [1].");
  expect_unsupported("The protocol version is 32 [1].", UnsupportedKind::kWrongNumber);
  expect_supported("Since version 3.1.0 the --info=progress2 flag prints a single line for the whole transfer [1].");
  expect_unsupported("Since version 3.1.1 the --info=progress2 flag prints one line for the whole transfer [1].",
                     UnsupportedKind::kWrongNumber);
}

TEST(Verifier, FlagsAndPathsCompareExactly) {
  expect_supported("Run it with -n to see what would be transferred without changing anything [1].");
  expect_unsupported("Run it with -b to see what would be transferred without changing anything [1].",
                     UnsupportedKind::kWrongEntity);
  expect_unsupported("The --delete-after option removes files from the destination that do not exist on the source [1].",
                     UnsupportedKind::kWrongEntity);
  expect_supported("Settings are read from ~/.config/sync/sync.conf when it starts [1].");
  expect_unsupported("Settings are read from ~/.config/sync/sync.ini when it starts [1].", UnsupportedKind::kWrongEntity);
}

TEST(Verifier, NegationScopeOnBothSides) {
  // The passage denies, the sentence asserts.
  expect_unsupported("The --delete option is enabled by default [1].", UnsupportedKind::kNegation);
  // The sentence denies, the passage asserts.
  expect_unsupported("The --delete option does not remove files from the destination [1].", UnsupportedKind::kNegation);
  // Both deny: support, whatever the wording.
  expect_supported("The --delete option is not enabled by default [1].");
  expect_supported("With --delete, destination files that do not exist on the source are removed [1].");
  // A negation limited to its clause: the rest of the sentence is still asserted.
  expect_supported("It is not on by default, but the --delete option removes files from the destination [1].");
  // A bare answer word ("No,") negates nothing.
  expect_supported("No, the --delete option is not enabled by default [1].");
}

TEST(Verifier, ParaphrasesStaySupported) {
  expect_supported("The --delete option deletes destination files that are not present on the source [1].");
  expect_supported("To preview a transfer without making changes, use --dry-run [1].");
  expect_supported("By default blocks are 700 bytes, and the protocol is version 31 [1].");
}

TEST(Verifier, UnrelatedClaims) {
  expect_unsupported("The transfer is compressed with zstd at level 19 [1].", UnsupportedKind::kUnrelated);
}

TEST(Verifier, SwappedTermFromElsewhereInThePassage) {
  // Both numbers are in the passage; the sentence pairs the block size with the
  // protocol's number.
  expect_unsupported("The default block size is 31 bytes [1].", UnsupportedKind::kWrongNumber);
}

TEST(Verifier, WrongSourceNamesTheSourceThatSaysIt) {
  std::vector<SourcePassage> two = {{1, "sync.md", kSync}, {2, "backup.md", kBackup}};
  SentenceCheck c = check_one("Snapshots are kept for 30 days before the nightly job prunes them [1].", two);
  EXPECT_EQ(c.verdict, Verdict::kUnsupported);
  EXPECT_EQ(c.kind, UnsupportedKind::kWrongSource) << c.reason;
  EXPECT_EQ(c.true_of, 2);
  SentenceCheck right = check_one("Snapshots are kept for 30 days before the nightly job prunes them [2].", two);
  EXPECT_EQ(right.verdict, Verdict::kSupported) << right.reason;
  expect_unsupported("Restores always overwrite newer files [2].", UnsupportedKind::kNegation, two);
  expect_unsupported("The archive is encrypted with AES before it leaves the machine [2].", UnsupportedKind::kWrongEntity, two);
}

TEST(Verifier, OutOfRangeAndUncited) {
  std::vector<SourcePassage> one = {{1, "sync.md", kSync}};
  VerifyReport r = verify_answer("q", "The protocol version is 31 [2]. It is [0]. That is all.", one);
  ASSERT_EQ(r.sentences.size(), 3u);
  EXPECT_EQ(r.sentences[0].kind, UnsupportedKind::kOutOfRange);
  EXPECT_EQ(r.sentences[1].kind, UnsupportedKind::kOutOfRange);
  EXPECT_EQ(r.sentences[2].verdict, Verdict::kUncited);
  EXPECT_EQ(r.supported, 0);
  EXPECT_EQ(r.total, 3);
}

size_t char_count(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string char_substr(const std::string& s, uint64_t start, uint64_t end) {
  std::string out;
  uint64_t at = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) ++at;
    if (at > start && at <= end) out += s[i];
  }
  return out;
}

TEST(Verifier, EvidenceQuotesTheCitedPassageByCharacterOffsets) {
  // Non-ASCII text before the evidence: offsets count characters, not bytes.
  std::string passage = std::string("Überblick — ") + kSync;
  std::vector<SourcePassage> one = {{1, "sync.md", passage}};
  VerifyReport r = verify_answer("q", "The default block size is 700 bytes [1].", one);
  ASSERT_EQ(r.sentences.size(), 1u);
  const SentenceCheck& c = r.sentences[0];
  ASSERT_EQ(c.verdict, Verdict::kSupported);
  ASSERT_FALSE(c.evidence.empty());
  for (const Evidence& e : c.evidence) {
    EXPECT_EQ(e.n, 1);
    EXPECT_LT(e.start, e.end);
    EXPECT_LE(e.end, char_count(passage));
    EXPECT_EQ(char_substr(passage, e.start, e.end), e.quote);
  }
  EXPECT_NE(c.evidence[0].quote.find("700 bytes"), std::string::npos) << c.evidence[0].quote;
}

TEST(Verifier, IsDeterministic) {
  std::vector<SourcePassage> two = {{1, "sync.md", kSync}, {2, "backup.md", kBackup}};
  std::string a = "Use -n to preview [1]. Snapshots last 30 days [1]. Restores never overwrite newer files [2].";
  VerifyReport x = verify_answer("q", a, two), y = verify_answer("q", a, two);
  ASSERT_EQ(x.sentences.size(), y.sentences.size());
  for (size_t i = 0; i < x.sentences.size(); ++i) {
    EXPECT_EQ(x.sentences[i].verdict, y.sentences[i].verdict);
    EXPECT_EQ(x.sentences[i].kind, y.sentences[i].kind);
    EXPECT_EQ(x.sentences[i].reason, y.sentences[i].reason);
    ASSERT_EQ(x.sentences[i].evidence.size(), y.sentences[i].evidence.size());
  }
}

TEST(Verifier, HostileInputGivesDefinedVerdicts) {
  std::string bad = "Bytes \xff\xfe\xc3 in a sentence [1]. \xe2\x80 [1-3]. Unbalanced ]] [[ [1]. [99999999999].";
  std::vector<SourcePassage> one = {{1, "x", std::string("bad \xff bytes \xc3\x28 here")}};
  VerifyReport r = verify_answer("\xff", bad, one);
  EXPECT_EQ(r.total, static_cast<int>(r.sentences.size()));
  for (const auto& s : r.sentences) EXPECT_NE(s.verdict, Verdict::kSupported) << s.text;
  // No sources at all, an empty answer, an empty passage.
  EXPECT_EQ(verify_answer("q", "A claim [1].", {}).sentences.at(0).kind, UnsupportedKind::kOutOfRange);
  EXPECT_EQ(verify_answer("q", "", one).total, 0);
  std::vector<SourcePassage> empty = {{1, "e", ""}};
  EXPECT_EQ(verify_answer("q", "A claim [1].", empty).sentences.at(0).verdict, Verdict::kUnsupported);
}

TEST(Verifier, LargeInputsStayLinear) {
  // 10,000 sources and a long answer: it finishes, and each sentence is judged.
  std::vector<SourcePassage> many;
  for (int i = 1; i <= 10000; ++i) {
    many.push_back({i, "s" + std::to_string(i), "Item " + std::to_string(i) + " weighs " + std::to_string(i * 3) + " grams."});
  }
  std::string answer;
  for (int i = 1; i <= 2000; ++i) answer += "Item " + std::to_string(i) + " weighs " + std::to_string(i * 3) + " grams [" + std::to_string(i) + "]. ";
  auto t0 = std::chrono::steady_clock::now();
  VerifyReport r = verify_answer("How heavy are the items?", answer, many);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.total, 2000);
  EXPECT_EQ(r.supported, 2000);
  EXPECT_LT(s, 20.0);  // a generous ceiling for a loaded 2-core machine; bench/verify measures
  // One sentence of 1 MB without a full stop is checked piece by piece.
  std::string huge;
  while (huge.size() < (1u << 20)) huge += "block size bytes protocol version ";
  huge += "[1].";
  std::vector<SourcePassage> one = {{1, "sync.md", kSync}};
  VerifyReport h = verify_answer("q", huge, one);
  EXPECT_EQ(h.total, 1);
}

}  // namespace
}  // namespace trove::answer
