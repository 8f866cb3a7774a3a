// ingest/zip_parts.cc — reading document parts with one failure policy (see zip_parts.h).
#include "ingest/zip_parts.h"

#include "ingest/xml_reader.h"

namespace trove::ingest {

bool ZipParts::open(std::string_view bytes) {
  std::string why;
  if (!zip_.open(bytes, ZipLimits{}, &why)) return zip_failed(std::move(why));
  return true;
}

bool ZipParts::zip_failed(std::string why) {
  switch (zip_.error()) {
    case ZipError::kEncrypted:
      return fail(FailReason::kEncrypted, std::move(why));
    case ZipError::kBomb:
      return fail(FailReason::kTooLarge, std::move(why));
    default:
      return fail(FailReason::kParseError, std::move(why));
  }
}

bool ZipParts::read(const std::string& name, std::string* out) {
  std::string why;
  if (!zip_.read(name, out, &why)) return zip_failed(std::move(why));
  return true;
}

bool ZipParts::xml(const std::string& name, std::string* out, bool required) {
  out->clear();
  if (!zip_.has(name)) return required ? fail(FailReason::kParseError, "missing part " + name) : true;
  if (!read(name, out)) return false;
  if (xml_declares_entities(*out)) {
    out->clear();
    return fail(FailReason::kParseError,
                name + ": declares XML entities (refused: possible XXE/entity bomb)");
  }
  return true;
}

bool ZipParts::fail(FailReason reason, std::string why) {
  if (reason_ == FailReason::kNone) {
    reason_ = reason;
    why_ = std::move(why);
  }
  return false;
}

void ZipParts::clear_failure() {
  reason_ = FailReason::kNone;
  why_.clear();
}

ParsedDocument ZipParts::failed_document(DocType type) const {
  ParsedDocument d;
  d.type = type;
  d.fail = reason_ == FailReason::kNone ? FailReason::kParseError : reason_;
  d.fail_detail = why_.empty() ? "unreadable container" : why_;
  return d;
}

}  // namespace trove::ingest
