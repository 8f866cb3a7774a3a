// ingest/parsers.h — the per-format parsers behind parse_bytes (internal to ingest/).
//
// Each takes bytes already read and returns a ParsedDocument without title fallback;
// parse.cc fills in the type, the fallback title and the empty-document checks.
#pragma once

#include <string>
#include <string_view>

#include "ingest/document.h"
#include "ingest/parse.h"

namespace trove::ingest {

ParsedDocument parse_markdown(std::string_view bytes);
ParsedDocument parse_text(std::string_view bytes);
ParsedDocument parse_html(std::string_view bytes);
ParsedDocument parse_pdf(std::string_view bytes, const ParseOptions& options);
ParsedDocument parse_docx(std::string_view bytes);
ParsedDocument parse_odt(std::string_view bytes);
ParsedDocument parse_epub(std::string_view bytes);
ParsedDocument parse_email(std::string_view bytes, const ParseOptions& options);
ParsedDocument parse_mbox(std::string_view bytes, const ParseOptions& options);
ParsedDocument parse_image(std::string_view bytes, const ParseOptions& options);

// Decodes the HTML character reference at s[i] == '&' (named, per the HTML entity
// table, or &#NN; / &#xHH;); returns bytes consumed, 0 if there is none.
size_t decode_entity(std::string_view s, size_t i, std::string* out);

// Adds "invalid UTF-8 replaced at N places"-style warnings for a decode.
struct Decoded;
void add_decode_warnings(const Decoded& d, size_t controls_removed, ParsedDocument* doc);

}  // namespace trove::ingest
