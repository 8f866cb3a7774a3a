// ingest/parse.cc — reading a file and dispatching on its detected type.
#include "ingest/parse.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

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
  if (fd < 0)
    return failed(DocType::kUnknown, FailReason::kUnreadable,
                  std::string("cannot open: ") + strerror(errno));
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
    case DocType::kEmail:
      return parse_email(bytes, options);
    case DocType::kMbox:
      return parse_mbox(bytes, options);
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
    std::string_view head = bytes.substr(0, kDetectPrefixBytes);
    if (bytes.empty()) return failed(DocType::kUnknown, FailReason::kNoText, "empty file");
    type = detect_type(name, head);
    if (type == DocType::kUnknown) {
      return failed(DocType::kUnknown, FailReason::kUnsupported, describe_unknown(name, head));
    }
  }
  ParsedDocument doc;
  try {
    doc = dispatch(bytes, type, options);
  } catch (const std::bad_alloc&) {
    return failed(type, FailReason::kTooLarge, "out of memory while parsing");
  } catch (const std::exception& e) {
    return failed(type, FailReason::kParseError, std::string("parser error: ") + e.what());
  }
  doc.type = type;
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
