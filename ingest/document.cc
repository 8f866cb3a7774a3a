// ingest/document.cc — names for the document enums (used in logs, the CLI and SQLite).
#include "ingest/document.h"

namespace trove::ingest {

const char* doc_type_name(DocType t) {
  switch (t) {
    case DocType::kMarkdown:
      return "markdown";
    case DocType::kText:
      return "text";
    case DocType::kHtml:
      return "html";
    case DocType::kPdf:
      return "pdf";
    case DocType::kDocx:
      return "docx";
    case DocType::kOdt:
      return "odt";
    case DocType::kEpub:
      return "epub";
    case DocType::kEmail:
      return "email";
    case DocType::kMbox:
      return "mbox";
    case DocType::kImage:
      return "image";
    case DocType::kUnknown:
      break;
  }
  return "unknown";
}

const char* fail_reason_name(FailReason r) {
  switch (r) {
    case FailReason::kNone:
      return "none";
    case FailReason::kUnreadable:
      return "unreadable";
    case FailReason::kTooLarge:
      return "too-large";
    case FailReason::kUnsupported:
      return "unsupported";
    case FailReason::kEncrypted:
      return "encrypted";
    case FailReason::kNoText:
      return "no-text";
    case FailReason::kParseError:
      return "parse-error";
    case FailReason::kMismatch:
      return "type-mismatch";
    case FailReason::kSkipped:
      return "skipped";
    case FailReason::kOverBudget:
      return "over-budget";
  }
  return "unknown";
}

}  // namespace trove::ingest
