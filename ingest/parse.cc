// ingest/parse.cc — reading a file and dispatching on its detected type.
#include "ingest/parse.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "core/sha256.h"
#include "ingest/detect.h"
#include "ingest/parsers.h"
#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

ParsedDocument failed(DocType type, FailReason r, std::string detail) {
  ParsedDocument d;
  d.type = type;
  d.fail = r;
  d.fail_detail = std::move(detail);
  return d;
}

// Reads at most `limit` + 1 bytes so a file that grew past the limit is caught.
// O_NONBLOCK: a FIFO swapped in after discovery must not hang the indexer.
ParsedDocument read_all(const std::string& path, uint64_t limit, std::string* out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    return failed(DocType::kUnknown, FailReason::kUnreadable,
                  std::string("cannot open: ") + strerror(errno));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return failed(DocType::kUnknown, FailReason::kUnsupported, "not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > limit) {
    close(fd);
    return failed(DocType::kUnknown, FailReason::kTooLarge,
                  std::to_string(st.st_size) + " bytes, limit " + std::to_string(limit));
  }
  out->resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  for (;;) {
    if (got == out->size()) {
      if (out->size() > limit) break;
      out->resize(out->size() + 65536);  // the file grew since fstat
    }
    ssize_t n = read(fd, out->data() + got, out->size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      return failed(DocType::kUnknown, FailReason::kUnreadable,
                    std::string("read error: ") + strerror(e));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  close(fd);
  out->resize(got);
  if (got > limit) {
    return failed(DocType::kUnknown, FailReason::kTooLarge,
                  "grew past the size limit while reading");
  }
  return ParsedDocument{};
}

// The ".docx" of a path (as written), or "a file" when it has none.
std::string_view extension_of(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view("a file") : base.substr(dot);
}

// An encrypted DOCX/XLSX/PPTX is not a ZIP but an OLE2 compound file holding an
// "EncryptedPackage" stream (its name is stored as UTF-16LE in the directory).
bool is_encrypted_office(std::string_view bytes, std::string_view name) {
  static constexpr std::string_view kOle2("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
  if (bytes.substr(0, 8) != kOle2) return false;
  static constexpr std::string_view kStream(
      "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
  DocType named = type_named_by(name);
  return (named == DocType::kDocx || named == DocType::kUnknown) &&
         bytes.find(kStream) != std::string_view::npos;
}

ParsedDocument dispatch(std::string_view bytes, DocType type, const ParseOptions& options) {
  switch (type) {
    case DocType::kMarkdown:
      return parse_markdown(bytes);
    case DocType::kText:
      return parse_text(bytes);
    case DocType::kHtml:
      return parse_html(bytes);
    case DocType::kPdf:
      return parse_pdf(bytes, options);
    case DocType::kDocx:
      return parse_docx(bytes);
    case DocType::kOdt:
      return parse_odt(bytes);
    case DocType::kEpub:
      return parse_epub(bytes);
    case DocType::kEmail:
      return parse_email(bytes, options);
    case DocType::kMbox:
      return parse_mbox(bytes, options);
    case DocType::kImage:
      return parse_image(bytes, options);
    case DocType::kUnknown:
      break;
  }
  return failed(DocType::kUnknown, FailReason::kUnsupported, "unknown type");
}

// A part that failed (a corrupt attachment) is not a document: the file's own text
// still lists it, and a warning says why it was not indexed. Parts that parsed get
// the same title fallback as a file.
void keep_readable_parts(ParsedDocument* doc) {
  std::vector<DocumentPart> kept;
  kept.reserve(doc->parts.size());
  for (DocumentPart& p : doc->parts) {
    if (!p.unchanged && p.doc.fail != FailReason::kNone) {
      doc->warnings.push_back("#" + p.label + " not indexed: " + fail_reason_name(p.doc.fail) +
                              (p.doc.fail_detail.empty() ? "" : " (" + p.doc.fail_detail + ")"));
      continue;
    }
    if (!p.unchanged && p.doc.title.empty()) p.doc.title = p.label;
    kept.push_back(std::move(p));
  }
  doc->parts = std::move(kept);
}

}  // namespace

ParsedDocument parse_bytes(std::string_view bytes, DocType type, const std::string& name,
                           const ParseOptions& options) {
  if (bytes.size() > options.max_file_size) {
    return failed(
        type, FailReason::kTooLarge,
        std::to_string(bytes.size()) + " bytes, limit " + std::to_string(options.max_file_size));
  }
  if (type == DocType::kUnknown) {
    // A ZIP container is judged by its entries, so it gets every byte.
    std::string_view head = bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)
                                ? bytes
                                : bytes.substr(0, kDetectPrefixBytes);
    if (bytes.empty()) return failed(DocType::kUnknown, FailReason::kSkipped, "empty file");
    type = detect_type(name, head);
    if (type == DocType::kUnknown) {
      if (is_encrypted_office(bytes, name)) {
        return failed(type_named_by(name), FailReason::kEncrypted,
                      "password-protected Office document");
      }
      return failed(DocType::kUnknown, FailReason::kSkipped, describe_unknown(name, head));
    }
    if (std::string why = type_mismatch(name, type); !why.empty())
      return failed(type, FailReason::kMismatch, why);
  }
  if (type == DocType::kImage && !options.ocr.enabled)
    return failed(DocType::kImage, FailReason::kSkipped, "image (OCR is off)");
  // The OCR cache is read here, in the parent: the budgeted child touches no library.
  ParseOptions with_cache;
  const ParseOptions* use = &options;
  // Not inside a parse child (an attachment's parse): the child has closed the
  // library's files, and a database handle must never cross a fork.
  if ((type == DocType::kPdf || type == DocType::kImage) && options.ocr.enabled &&
      options.ocr.cache && !in_parse_child()) {
    with_cache = options;
    if (with_cache.content_hash.empty()) with_cache.content_hash = sha256_hex(bytes);
    with_cache.ocr.known =
        options.ocr.cache->lookup(with_cache.content_hash, options.ocr.languages);
    use = &with_cache;
  }
  ParsedDocument doc = parse_with_budget(
      [&]() -> ParsedDocument {
        try {
          return dispatch(bytes, type, *use);
        } catch (const std::bad_alloc&) {
          return failed(type, FailReason::kOverBudget,
                        "parsing needed more memory than the per-file budget (" +
                            std::to_string(options.budget.memory_bytes >> 20) + " MiB)");
        } catch (const std::exception& e) {
          return failed(type, FailReason::kParseError, std::string("parser error: ") + e.what());
        }
      },
      options.budget);
  doc.type = type;
  if (doc.fail == FailReason::kMismatch && doc.fail_detail.rfind("named ", 0) != 0) {
    doc.fail_detail = "named " + std::string(extension_of(name)) + " but is " + doc.fail_detail;
  }
  if (doc.fail != FailReason::kNone) return doc;
  keep_readable_parts(&doc);
  if (doc.blocks.empty() && doc.parts.empty()) {
    doc.fail = FailReason::kNoText;
    doc.fail_detail = bytes.empty() ? "empty file" : "no text content";
    return doc;
  }
  if (doc.title.empty()) doc.title = file_stem(name);
  if (doc.title.empty()) doc.title = name;
  return doc;
}

ParsedDocument parse_file(const std::string& path, const ParseOptions& options) {
  std::string bytes;
  ParsedDocument err = read_all(path, options.max_file_size, &bytes);
  if (err.fail != FailReason::kNone) return err;
  return parse_bytes(bytes, DocType::kUnknown, path, options);
}

}  // namespace trove::ingest
