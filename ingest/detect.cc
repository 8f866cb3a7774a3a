// ingest/detect.cc — content sniffing before extensions (rules in detect.h).
#include "ingest/detect.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "ingest/encoding.h"
#include "ingest/zip_archive.h"
#include "ingest/mail_detect.h"

namespace trove::ingest {
namespace {

struct Magic {
  std::string_view bytes;
  const char* what;
};

using namespace std::string_view_literals;
constexpr std::array<Magic, 14> kBinaryMagic = {{
    {"\x89PNG\r\n\x1a\n"sv, "PNG image"},
    {"PK\x03\x04"sv, "ZIP archive"},
    {"PK\x05\x06"sv, "ZIP archive"},
    {"\x7f"
     "ELF"sv,
     "ELF executable"},
    {"\x1f\x8b"sv, "gzip data"},
    {"\xff\xd8\xff"sv, "JPEG image"},
    {"GIF87a"sv, "GIF image"},
    {"GIF89a"sv, "GIF image"},
    {"BZh"sv, "bzip2 data"},
    {"\xfd"
     "7zXZ\x00"sv,
     "xz data"},
    {"7z\xbc\xaf\x27\x1c"sv, "7-Zip archive"},
    {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"sv, "OLE2 (old MS Office) file"},
    {"%!PS"sv, "PostScript"},
    {"\x00\x61\x73\x6d"sv, "WebAssembly"},
}};

std::string lower_ext(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  std::string e(base.substr(dot + 1));
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

const char* binary_magic(std::string_view b) {
  for (const Magic& m : kBinaryMagic) {
    if (b.substr(0, m.bytes.size()) == m.bytes) return m.what;
  }
  return nullptr;
}

// Text in the sense of "worth decoding": a Unicode BOM, BOM-less UTF-16, or at most 1%
// NUL bytes (a text file with a few stray NULs is still text; the parsers drop them
// and say so) and at most 2% other C0 controls besides whitespace and ESC (man pages
// use backspace overstrike, so BS counts as harmless too).
bool looks_textual(std::string_view b) {
  size_t bom = 0;
  if (sniff_unicode(b, &bom) != Encoding::kUtf8 || bom > 0) return true;
  size_t controls = 0, nuls = 0;
  for (char ch : b) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == 0) {
      ++nuls;
    } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
               c != 0x1b && c != 0x08) {
      ++controls;
    }
  }
  return nuls * 100 <= b.size() && controls * 50 <= b.size();
}

// Lower-cased ASCII view of the prefix, with NULs removed so BOM-less UTF-16 HTML
// is still recognised.
std::string ascii_lower(std::string_view b) {
  std::string out;
  out.reserve(b.size());
  for (char ch : b) {
    if (ch == 0) continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  return out;
}

bool has_html_markers(std::string_view b) {
  std::string s = ascii_lower(b.substr(0, 2048));
  size_t i = 0;
  while (i < s.size() && (std::isspace(static_cast<unsigned char>(s[i])) || (s[i] & 0x80))) ++i;
  std::string_view head = std::string_view(s).substr(i);
  for (std::string_view m : {"<!doctype html"sv, "<html"sv, "<head"sv, "<body"sv}) {
    if (head.substr(0, m.size()) == m) return true;
  }
  // A comment or XML declaration first, then <html somewhere near the top.
  if (head.substr(0, 1) == "<") {
    return s.find("<html") != std::string::npos || s.find("<!doctype html") != std::string::npos;
  }
  return false;
}

// "%PDF-" within the first 1024 bytes (where readers look for it) at the start of the
// file, of a line, or after non-text junk — not quoted inside a text file that
// merely mentions it.
bool has_pdf_header(std::string_view b) {
  std::string_view head = b.substr(0, 1024);
  for (size_t p = head.find("%PDF-"); p != std::string_view::npos; p = head.find("%PDF-", p + 1)) {
    if (p == 0) return true;
    unsigned char before = static_cast<unsigned char>(head[p - 1]);
    if (before == '\n' || before == '\r' || before < 0x09 || (before > 0x0d && before < 0x20) ||
        before >= 0x7f) {
      return true;
    }
  }
  return false;
}


// A ZIP container: ODF and EPUB store an uncompressed "mimetype" entry first, so
// its content is right after the first local header; OOXML has [Content_Types].xml.
// With the whole file at hand the entries are listed; with only a prefix the names in
// the first local headers and the file name decide. Anything else is an archive.
DocType zip_document_type(std::string_view path, std::string_view b) {
  if (b.size() > 38 && b.substr(30, 8) == "mimetype") {
    std::string_view mime = b.substr(38, 80);
    if (mime.substr(0, 20) == "application/epub+zip") return DocType::kEpub;
    if (mime.substr(0, 39) == "application/vnd.oasis.opendocument.text") return DocType::kOdt;
  }
  std::string why;
  ZipArchive zip;
  DocType named = type_named_by(path);
  bool office_name = named == DocType::kDocx || named == DocType::kOdt || named == DocType::kEpub;
  if (zip.open(b, ZipLimits{}, &why)) {
    if (zip.has("[Content_Types].xml") && zip.has("word/document.xml")) return DocType::kDocx;
    if (zip.has("META-INF/container.xml") && zip.has("mimetype")) return DocType::kEpub;
    if (zip.has("content.xml") && zip.has("mimetype")) {
      std::string mime;
      if (zip.read("mimetype", &mime, &why) &&
          mime.rfind("application/vnd.oasis.opendocument.text", 0) == 0)
        return DocType::kOdt;
    }
    // A ZIP named .docx that is not one: its parser fails it as a mismatch.
    return office_name ? named : DocType::kUnknown;
  }
  if (b.find("word/") != std::string_view::npos &&
      b.find("[Content_Types].xml") != std::string_view::npos)
    return DocType::kDocx;
  // Unreadable as a ZIP (truncated, a prefix only): let the named parser say why.
  return office_name ? named : DocType::kUnknown;
}

}  // namespace

// Page images trove reads through OCR (ingest/image_parser.cc).
static bool is_page_image(std::string_view b) {
  return b.substr(0, 8) == "\x89PNG\r\n\x1a\n"sv || b.substr(0, 3) == "\xff\xd8\xff"sv ||
         b.substr(0, 4) == "II*\0"sv || b.substr(0, 4) == "MM\0*"sv ||
         (b.substr(0, 4) == "RIFF"sv && b.substr(8, 4) == "WEBP"sv) ||
         b.substr(0, 6) == "GIF87a"sv || b.substr(0, 6) == "GIF89a"sv ||
         (b.substr(0, 2) == "BM"sv && b.size() > 26 && b[14] >= 12 && b[15] == 0 && b[16] == 0);
}

DocType detect_type(std::string_view path, std::string_view b) {
  if (b.substr(0, 4) == "PK\x03\x04"sv) return zip_document_type(path, b);
  if (is_page_image(b)) return DocType::kImage;
  if (binary_magic(b)) return DocType::kUnknown;
  if (has_pdf_header(b)) return DocType::kPdf;
  if (DocType mail = detect_mail(path, b); mail != DocType::kUnknown) return mail;
  // A page that opens like HTML is HTML even with stray NULs or controls inside.
  if (has_html_markers(b)) return DocType::kHtml;
  if (!looks_textual(b.substr(0, kDetectPrefixBytes))) return DocType::kUnknown;
  const std::string ext = lower_ext(path);
  if (ext == "html" || ext == "htm" || ext == "xhtml") return DocType::kHtml;
  if (ext == "md" || ext == "markdown" || ext == "mdown" || ext == "mkd" || ext == "mkdn") {
    return DocType::kMarkdown;
  }
  return DocType::kText;
}

DocType type_named_by(std::string_view path) {
  const std::string ext = lower_ext(path);
  if (ext == "pdf") return DocType::kPdf;
  if (ext == "docx" || ext == "docm" || ext == "dotx" || ext == "dotm") return DocType::kDocx;
  if (ext == "odt" || ext == "ott" || ext == "odm" || ext == "oth") return DocType::kOdt;
  if (ext == "epub") return DocType::kEpub;
  if (ext == "html" || ext == "htm" || ext == "xhtml") return DocType::kHtml;
  return DocType::kUnknown;
}

std::string type_mismatch(std::string_view path, DocType content) {
  DocType named = type_named_by(path);
  // A page image under a document's name (a scan saved as .pdf) is still read, by OCR.
  if (named == DocType::kUnknown || content == DocType::kUnknown || content == named ||
      content == DocType::kImage)
    return {};
  static constexpr std::pair<DocType, const char*> kNames[] = {
      {DocType::kPdf, "PDF"},        {DocType::kHtml, "HTML"},
      {DocType::kText, "plain text"}, {DocType::kMarkdown, "Markdown"},
      {DocType::kDocx, "a Word document"}, {DocType::kOdt, "an OpenDocument text"},
      {DocType::kEpub, "an EPUB book"}};
  const char* what = "another type";
  for (const auto& [t, n] : kNames)
    if (t == content) what = n;
  return "named ." + lower_ext(path) + " but is " + what;
}

std::string describe_unknown(std::string_view path, std::string_view b) {
  if (detect_type(path, b) != DocType::kUnknown) return {};
  if (const char* what = binary_magic(b)) return std::string("binary content (") + what + ")";
  return "binary content";
}

}  // namespace trove::ingest
