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

SentenceCheck check_one(const std::string& sentence,
                        const std::vector<SourcePassage>& sources = {{1, "sync.md", kSync}}) {
  VerifyReport r = verify_answer("How do I sync a folder?", sentence, sources);
  EXPECT_EQ(r.sentences.size(), 1u) << sentence;
  return r.sentences.empty() ? SentenceCheck{} : r.sentences[0];
}

void expect_supported(const std::string& sentence) {
  SentenceCheck c = check_one(sentence);
  EXPECT_EQ(c.verdict, Verdict::kSupported) << sentence << " → " << kind_name(c.kind) << ": " << c.reason;
}

void expect_unsupported(const std::string& sentence, UnsupportedKind kind,
                        const std::vector<SourcePassage>& sources = {{1, "sync.md", kSync}}) {
  SentenceCheck c = check_one(sentence, sources);
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

// Passages for the rules below, written for these tests.
const char* kResolver =
    "cache <yes|no> Whether answers are kept between lookups. If the value is \"yes\", answers are "
    "reused until their TTL expires. The default is \"no\". The resolver opens a bidirectional "
    "channel to each upstream server and retries a query 3 times before it gives up.";

const char* kParser =
    "parse(text, strict=False) Parse the text and return a tree. A SyntaxError is raised if the "
    "text is not well formed. If strict is True, unknown elements are rejected instead of being "
    "skipped. A TypeError is raised if text is not a string.";

SentenceCheck check_in(const std::string& label, const char* passage, const std::string& question,
                       const std::string& sentence) {
  VerifyReport r = verify_answer(question, sentence, {{1, label, passage}});
  EXPECT_EQ(r.sentences.size(), 1u) << sentence;
  return r.sentences.empty() ? SentenceCheck{} : r.sentences[0];
}

TEST(Verifier, AQuotedNegationWordIsAValue) {
  // "no" in quotes is the setting's value, not a denial of the sentence.
  SentenceCheck c = check_in("resolv.conf.5.txt", kResolver, "Are answers cached?",
                             "Answers are reused only when cache is \"yes\", and the default is \"no\" [1].");
  EXPECT_EQ(c.verdict, Verdict::kSupported) << c.reason;
  SentenceCheck flipped = check_in("resolv.conf.5.txt", kResolver, "Are answers cached?",
                                   "The cache keyword is not a setting of the resolver [1].");
  EXPECT_NE(flipped.verdict, Verdict::kSupported);
}

TEST(Verifier, ANumberWordInACompoundIsACountOnlyBeforeAUnit) {
  SentenceCheck way = check_in("resolv.conf.5.txt", kResolver, "How does the resolver talk to servers?",
                               "The resolver opens a two-way channel to each upstream server [1].");
  EXPECT_EQ(way.verdict, Verdict::kSupported) << way.reason;
  SentenceCheck times = check_in("resolv.conf.5.txt", kResolver, "How often does it retry?",
                                 "It retries a query three times before it gives up [1].");
  EXPECT_EQ(times.verdict, Verdict::kSupported) << times.reason;
  SentenceCheck wrong = check_in("resolv.conf.5.txt", kResolver, "How often does it retry?",
                                 "It retries a query five times before it gives up [1].");
  EXPECT_EQ(wrong.kind, UnsupportedKind::kWrongNumber) << wrong.reason;
}

TEST(Verifier, ASettingWrittenAsCodeMatchesItsProse) {
  SentenceCheck c = check_in("parser.html", kParser, "How do I make the parser reject unknown elements?",
                             "Call it with strict=True and unknown elements are rejected rather than skipped [1].");
  EXPECT_EQ(c.verdict, Verdict::kSupported) << c.reason;
  SentenceCheck wrong = check_in("parser.html", kParser, "How do I make the parser reject unknown elements?",
                                 "Call it with lenient=True and unknown elements are rejected rather than skipped [1].");
  EXPECT_EQ(wrong.kind, UnsupportedKind::kWrongEntity) << wrong.reason;
}

TEST(Verifier, TheDocumentPathNamesItsProduct) {
  // The passage never says "Python", but its document is Python's manual.
  SentenceCheck c = check_in("python3.11-doc/library/parser.html", kParser, "What does parse raise?",
                             "In Python, parse raises a TypeError if text is not a string [1].");
  EXPECT_EQ(c.verdict, Verdict::kSupported) << c.reason;
  SentenceCheck other = check_in("python3.11-doc/library/parser.html", kParser, "What does parse raise?",
                                 "In Ruby, parse raises a TypeError if text is not a string [1].");
  EXPECT_EQ(other.kind, UnsupportedKind::kWrongEntity) << other.reason;
}

TEST(Verifier, AnIdentifierBorrowedFromAnotherSentenceIsWrong) {
  // Active voice against the passage's passive: the exception of the other sentence.
  SentenceCheck wrong = check_in("parser.html", kParser, "What happens with bad input?",
                                 "Text that is not well formed raises a TypeError [1].");
  EXPECT_EQ(wrong.verdict, Verdict::kUnsupported);
  EXPECT_EQ(wrong.kind, UnsupportedKind::kWrongEntity) << wrong.reason;
  SentenceCheck right = check_in("parser.html", kParser, "What happens with bad input?",
                                 "Text that is not well formed raises a SyntaxError [1].");
  EXPECT_EQ(right.verdict, Verdict::kSupported) << right.reason;
  // A sentence that joins two facts names each where the passage does.
  SentenceCheck joined = check_in("parser.html", kParser, "What happens with bad input?",
                                  "A SyntaxError is raised for text that is not well formed, and a TypeError when "
                                  "text is not a string [1].");
  EXPECT_EQ(joined.verdict, Verdict::kSupported) << joined.reason;
}

const char* kDaemon =
    "The daemon waits before each restart to prevent flooding the server. Do not run it as root "
    "when it listens on a public port. This is the default for new installs. A lock keeps other "
    "instances from starting while it runs. memory() returns the resident set size in bytes.";

TEST(Verifier, PreventAndInsteadOfDenyWhatFollows) {
  SentenceCheck flood = check_in("daemon.md", kDaemon, "Why does it wait?",
                                 "It waits before restarting so that the server is not flooded [1].");
  EXPECT_EQ(flood.verdict, Verdict::kSupported) << flood.reason;
  // "keeps other instances from starting": the instances are not denied, the starting is.
  SentenceCheck lock = check_in("daemon.md", kDaemon, "What does the lock do?",
                                "Thanks to the lock, other instances do not start while it runs [1].");
  EXPECT_EQ(lock.verdict, Verdict::kSupported) << lock.reason;
  SentenceCheck rather = check_in("daemon.md", kDaemon, "How should it run?",
                                  "Run it as an ordinary user rather than as root when it listens on a public port [1].");
  EXPECT_NE(rather.kind, UnsupportedKind::kNegation) << rather.reason;
}

TEST(Verifier, ADenialStatedInAnotherOrderIsStillTheSame) {
  // "By default … do not run it as root" against "Do not run it as root … This is the default".
  SentenceCheck c = check_in("daemon.md", kDaemon, "Is root the default?",
                             "For new installs the default is that it does not run as root on a public port [1].");
  EXPECT_EQ(c.verdict, Verdict::kSupported) << c.reason;
  SentenceCheck flipped = check_in("daemon.md", kDaemon, "Is root the default?",
                                   "It should run as root when it listens on a public port [1].");
  EXPECT_EQ(flipped.kind, UnsupportedKind::kNegation) << flipped.reason;
}

TEST(Verifier, UnitsWithoutANumberCompareToo) {
  SentenceCheck c = check_in("daemon.md", kDaemon, "What does memory() return?",
                             "memory() gives the resident set size in bytes [1].");
  EXPECT_EQ(c.verdict, Verdict::kSupported) << c.reason;
  SentenceCheck wrong = check_in("daemon.md", kDaemon, "What does memory() return?",
                                 "memory() gives the resident set size in kilobytes [1].");
  EXPECT_EQ(wrong.kind, UnsupportedKind::kWrongNumber) << wrong.reason;
}

}  // namespace
}  // namespace trove::answer
