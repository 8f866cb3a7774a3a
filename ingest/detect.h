// ingest/detect.h — deciding a file's type from its name and its first bytes.
//
// Content wins over extension: a PDF saved as .txt is a PDF, a PNG renamed .md is
// not a document. Order: a ZIP holding OOXML/ODF text/EPUB → kDocx/kOdt/kEpub (pass
// the whole file to look inside; a prefix is judged by its first entries and the
// name); known binary magic (PNG, ZIP, ELF, gzip, ...) → kUnknown; "%PDF-" in the first 1024 bytes → kPdf; HTML markers (<!doctype html,
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

// The document type a file name claims (.pdf, .docx/.docm/.dotx/.dotm, .odt/.ott/.odm,
// .epub, .html/.htm/.xhtml); kUnknown for names that claim nothing in particular
// (.txt, .md, no extension: their content decides).
DocType type_named_by(std::string_view path);

// "named .pdf but is HTML" when the name claims one document type and the content is
// another; "" when they agree or either is unknown.
std::string type_mismatch(std::string_view path, DocType content);

// Why detect_type said kUnknown, for SkippedFile/ParsedDocument detail
// (e.g. "binary content (PNG image)"). Empty when the type is known.
std::string describe_unknown(std::string_view path, std::string_view first_bytes);

}  // namespace trove::ingest
