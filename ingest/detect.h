// ingest/detect.h — deciding a file's type from its name and its first bytes.
//
// Content wins over extension: a PDF saved as .txt is a PDF, a PNG renamed .md is
// unsupported binary. Order: known binary magic (PNG, ZIP, ELF, gzip, ...) →
// kUnknown; "%PDF-" in the first 1024 bytes → kPdf; HTML markers (<!doctype html,
// <html, <head, <body near the start) or an .html/.htm/.xhtml name with textual
// bytes → kHtml; .md/.markdown/.mdown/.mkd with textual bytes → kMarkdown; textual
// bytes → kText; otherwise kUnknown.
// "Textual": a UTF-8/16/32 BOM, or no NUL bytes and few C0 control characters
// (< 2% of the sample besides \t \n \r \f \v ESC); NULs are allowed when the bytes look
// like UTF-16 without a BOM (every other byte NUL).
#pragma once

#include <string>
#include <string_view>

#include "ingest/document.h"

namespace trove::ingest {

// How many leading bytes detect_type wants to see (callers may pass fewer).
inline constexpr size_t kDetectPrefixBytes = 4096;

DocType detect_type(std::string_view path, std::string_view first_bytes);

// Why detect_type said kUnknown, for SkippedFile/ParsedDocument detail
// (e.g. "binary content (PNG image)"). Empty when the type is known.
std::string describe_unknown(std::string_view path, std::string_view first_bytes);

}  // namespace trove::ingest
