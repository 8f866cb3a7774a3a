// ingest/parse.h — turning one file into a ParsedDocument.
//
// parse_file reads the file (at most max_file_size bytes; larger → kTooLarge), detects
// its type (ingest/detect.h: content wins; a name claiming another document type →
// kMismatch; not a document at all → kSkipped) and dispatches to the Markdown, text,
// HTML, PDF, DOCX, ODT, EPUB, e-mail, mbox or image (OCR) parser, under the per-file
// budget (options.budget).
// None of these throws or crashes on any input: failures come back as
// ParsedDocument::fail + fail_detail, recoverable oddities (invalid UTF-8 replaced,
// page cap reached) as warnings. A document with fail == kNone always has type set and
// a non-empty title (falls back to the file name). A file may yield further documents
// as ParsedDocument::parts (see document.h); a part that failed to parse is dropped
// with a warning, and a file with parts but no text of its own is a container.
//
// Thread-safety: each call is independent; safe to call from several threads at once
// (poppler and libxml2 are initialised once, process-wide, on first use).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "ingest/document.h"
#include "ingest/ocr.h"
#include "ingest/parse_budget.h"

namespace trove::ingest {

// What the library already holds for the parts of this file (key → label and hash):
// lets a parser skip parts it has seen (a grown mbox parses only its new messages) and
// keep the numbers it gave them, so citations do not move.
struct KnownPart {
  std::string label;
  std::string content_hash;
};
using KnownParts = std::map<std::string, KnownPart>;

struct ParseOptions {
  uint64_t max_file_size = 50ull << 20;  // bytes; bigger files fail with kTooLarge
  int max_pdf_pages = 5000;              // pages past this are not extracted; a warning says so
  bool dehyphenate = true;               // PDF: join "exam-\nple" → "example" at line ends
  // Each parse runs in a child process with this time and memory budget
  // (ingest/parse_budget.h); over it → kOverBudget. seconds <= 0 parses in-process.
  ParseBudget budget;
  const KnownParts* known_parts = nullptr;  // parts stored from an earlier run, if any
  int max_part_depth = 8;                // attachments inside attachments: deeper ones are listed only
  OcrOptions ocr;            // scanned PDF pages and page images (ingest/ocr.h)
  std::string content_hash;  // SHA-256 hex of the bytes when the caller has it (OCR cache key)
};

ParsedDocument parse_file(const std::string& path, const ParseOptions& options = {});

// Parses bytes already in memory as `type` (kUnknown → detect from content and name).
// `name` is used for the fallback title, for detection and in messages.
ParsedDocument parse_bytes(std::string_view bytes, DocType type, const std::string& name,
                           const ParseOptions& options = {});

}  // namespace trove::ingest
