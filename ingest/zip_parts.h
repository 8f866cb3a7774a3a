// ingest/zip_parts.h — the parts of a ZIP-based document (DOCX, ODT, EPUB) as the
// parsers read them: a ZipArchive plus the first failure and its FailReason, so each
// parser says "why" the same way (ZIP bomb → too-large, encrypted entry → encrypted,
// anything else → parse-error) and refuses XML parts that declare entities.
#pragma once

#include <string>
#include <string_view>

#include "ingest/document.h"
#include "ingest/zip_archive.h"

namespace trove::ingest {

class ZipParts {
 public:
  // False (failed() set) when the bytes are not a usable ZIP.
  bool open(std::string_view bytes);
  bool has(std::string_view name) const { return zip_.has(name); }

  // A part's bytes as stored (XHTML chapters, "mimetype"). False on a limit or error.
  bool read(const std::string& name, std::string* out);
  // An XML part; also refused when it declares entities (XXE, entity bombs). A missing
  // part is an error when `required`, else "" and true.
  bool xml(const std::string& name, std::string* out, bool required);

  // Records the first failure; always returns false so callers can `return fail(...)`.
  bool fail(FailReason reason, std::string why);
  void clear_failure();
  FailReason reason() const { return reason_; }
  const std::string& why() const { return why_; }
  ParsedDocument failed_document(DocType type) const;

 private:
  bool zip_failed(std::string why);

  ZipArchive zip_;
  FailReason reason_ = FailReason::kNone;
  std::string why_;
};

}  // namespace trove::ingest
