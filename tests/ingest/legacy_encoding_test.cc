// One test per legacy encoding of issue 10: public-domain text (Soseki, Lu Xun, the
// Korean anthem, Tolstoy, Hugo, Mickiewicz, Solomos) is converted to the encoding
// with iconv here, then read back through the parsers without any charset label
// (uchardet must name it) and with one (the label must win). The text must come
// back exactly.
#include <gtest/gtest.h>
#include <iconv.h>

#include <string>

#include "ingest/encoding.h"
#include "ingest/parse.h"

namespace trove::ingest {
namespace {

const char* const kJapanese =
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で"
    "ニャーニャー泣いていた事だけは記憶している。吾輩はここで始めて人間というものを見た。しかもあとで"
    "聞くとそれは書生という人間中で一番獰悪な種族であったそうだ。";
const char* const kChineseSimplified =
    "今天晚上，很好的月光。我不见他，已是三十多年；今天见了，精神分外爽快。才知道以前的三十多年，"
    "全是发昏；然而须十分小心。不然，那赵家的狗，何以看我两眼呢？我怕得有理。";
const char* const kChineseTraditional =
    "今天晚上，很好的月光。我不見他，已是三十多年；今天見了，精神分外爽快。才知道以前的三十多年，"
    "全是發昏；然而須十分小心。不然，那趙家的狗，何以看我兩眼呢？我怕得有理。";
const char* const kKorean =
    "동해 물과 백두산이 마르고 닳도록 하느님이 보우하사 우리나라 만세. 무궁화 삼천리 화려 강산 대한 "
    "사람 대한으로 길이 보전하세. 남산 위에 저 소나무 철갑을 두른 듯 바람 서리 불변함은 우리 기상일세. "
    "가을 하늘 공활한데 높고 구름 없이 밝은 달은 우리 가슴 일편단심일세.";
const char* const kRussian =
    "Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива по-своему. "
    "Все смешалось в доме Облонских. Жена узнала, что муж был в связи с бывшею в их доме "
    "француженкою-гувернанткой, и объявила мужу, что не может жить с ним в одном доме.";
const char* const kFrench =
    "En 1815, M. Charles-François-Bienvenu Myriel était évêque de Digne. C'était un vieillard "
    "d'environ soixante-quinze ans; il occupait le siège de Digne depuis 1806. Quoique ce détail "
    "ne touche en aucune manière au fond même de ce que nous avons à raconter, il n'est peut-être "
    "pas inutile, ne fût-ce que pour être exact en tout, d'indiquer ici les bruits qui avaient couru.";
const char* const kPolish =
    "Litwo! Ojczyzno moja! ty jesteś jak zdrowie. Ile cię trzeba cenić, ten tylko się dowie, "
    "Kto cię stracił. Dziś piękność twą w całej ozdobie Widzę i opisuję, bo tęsknię po tobie. "
    "Panno Święta, co jasnej bronisz Częstochowy I w Ostrej świecisz Bramie! Ty, co gród zamkowy "
    "Nowogródzki ochraniasz z jego wiernym ludem!";
const char* const kGreek =
    "Σε γνωρίζω από την κόψη του σπαθιού την τρομερή, σε γνωρίζω από την όψη που με βιά μετράει τη "
    "γη. Απ' τα κόκκαλα βγαλμένη των Ελλήνων τα ιερά, και σαν πρώτα ανδρειωμένη, χαίρε, ω χαίρε, "
    "Ελευθεριά! Εκεί μέσα εκατοικούσες πικραμένη, εντροπαλή, κι ένα στόμα ακαρτερούσες, έλα πάλι, "
    "να σου πει.";

// UTF-8 → `charset` with iconv; fails the test when a character does not convert.
std::string encode(const std::string& utf8, const char* charset) {
  iconv_t cd = iconv_open(charset, "UTF-8");
  // NOLINTNEXTLINE(performance-no-int-to-ptr): iconv_open's error value is (iconv_t)-1
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << charset;
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t o_left = out.size();
  size_t r = iconv(cd, &in, &in_left, &o, &o_left);
  EXPECT_NE(r, static_cast<size_t>(-1)) << charset << ": text not representable";
  iconv_close(cd);
  out.resize(out.size() - o_left);
  return out;
}

std::string text_of(const ParsedDocument& d) {
  std::string s;
  for (const Block& b : d.blocks) s += b.text;
  return s;
}

// Undeclared in plain text and Markdown; declared in HTML (<meta charset>), and
// undeclared in HTML too.
void round_trip(const char* original, const char* charset, const char* label) {
  SCOPED_TRACE(charset);
  std::string bytes = encode(original, charset);
  ASSERT_NE(bytes, original);  // really a different byte form
  Decoded d = decode_to_utf8(bytes);
  EXPECT_EQ(d.text, original) << "detected as " << d.charset;
  EXPECT_EQ(d.replacements, 0u);

  ParsedDocument txt = parse_bytes(bytes, DocType::kUnknown, "legacy.txt");
  ASSERT_EQ(txt.fail, FailReason::kNone) << txt.fail_detail;
  EXPECT_EQ(text_of(txt), original);
  ParsedDocument md = parse_bytes(bytes, DocType::kUnknown, "legacy.md");
  EXPECT_EQ(text_of(md), original);

  std::string page = std::string("<html><head><meta charset=\"") + label +
                     "\"><title>t</title></head><body><p>" + bytes + "</p></body></html>";
  ParsedDocument html = parse_bytes(page, DocType::kUnknown, "legacy.html");
  EXPECT_EQ(text_of(html), original) << "declared " << label;
  std::string bare = "<html><body><p>" + bytes + "</p></body></html>";
  EXPECT_EQ(text_of(parse_bytes(bare, DocType::kUnknown, "bare.html")), original);

  Decoded labelled;
  ASSERT_TRUE(decode_charset(bytes, label, &labelled)) << label;
  EXPECT_EQ(labelled.text, original);
}

TEST(LegacyEncoding, ShiftJis) { round_trip(kJapanese, "SHIFT_JIS", "Shift_JIS"); }
TEST(LegacyEncoding, EucJp) { round_trip(kJapanese, "EUC-JP", "euc-jp"); }
TEST(LegacyEncoding, Gb18030) { round_trip(kChineseSimplified, "GB18030", "gb18030"); }
TEST(LegacyEncoding, Gb2312LabelIsReadAsGbk) {
  round_trip(kChineseSimplified, "GB2312", "gb2312");
}
TEST(LegacyEncoding, Big5) { round_trip(kChineseTraditional, "BIG5", "big5"); }
TEST(LegacyEncoding, EucKr) { round_trip(kKorean, "EUC-KR", "euc-kr"); }
TEST(LegacyEncoding, Koi8R) { round_trip(kRussian, "KOI8-R", "koi8-r"); }
TEST(LegacyEncoding, Windows1251) { round_trip(kRussian, "WINDOWS-1251", "windows-1251"); }
TEST(LegacyEncoding, Windows1252) {
  round_trip((std::string(kFrench) + " Prix : 12 € — « très cher » ‘dit-il’.").c_str(),
             "WINDOWS-1252", "windows-1252");
}
TEST(LegacyEncoding, Iso8859_1) { round_trip(kFrench, "ISO-8859-1", "iso-8859-1"); }
TEST(LegacyEncoding, Iso8859_2) { round_trip(kPolish, "ISO-8859-2", "iso-8859-2"); }
TEST(LegacyEncoding, Iso8859_5) { round_trip(kRussian, "ISO-8859-5", "iso-8859-5"); }
TEST(LegacyEncoding, Iso8859_7) { round_trip(kGreek, "ISO-8859-7", "iso-8859-7"); }

TEST(LegacyEncoding, BomAndDeclaredCharsetWinOverDetection) {
  // Valid KOI8-R bytes, but the page says windows-1251: the label wins.
  std::string bytes = encode(kRussian, "KOI8-R");
  Decoded d = decode_to_utf8(bytes, "windows-1251");
  EXPECT_EQ(d.charset, "WINDOWS-1251");
  EXPECT_FALSE(d.guessed);
  // A UTF-8 BOM beats both.
  Decoded b = decode_to_utf8("\xEF\xBB\xBF" + std::string(kRussian), "koi8-r");
  EXPECT_EQ(b.text, kRussian);
  // An unknown label falls back to detection.
  Decoded u = decode_to_utf8(bytes, "x-no-such-charset");
  EXPECT_EQ(u.text, kRussian);
}

TEST(LegacyEncoding, UndecodableBytesAreCountedNotDropped) {
  Decoded d;
  ASSERT_TRUE(decode_charset("ok \x82\xa0 \xff\xfe", "shift_jis", &d));
  EXPECT_GE(d.replacements, 1u);
  EXPECT_NE(d.text.find("ok "), std::string::npos);
  EXPECT_FALSE(decode_charset("abc", "x-no-such-charset", &d));
}

}  // namespace
}  // namespace trove::ingest
