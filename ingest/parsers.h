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
ParsedDocument parse_email(std::string_view bytes, const ParseOptions& options);
ParsedDocument parse_mbox(std::string_view bytes, const ParseOptions& options);

// Markdown inline syntax → plain text: links/images to their text, emphasis markers,
// code-span backticks, HTML tags and backslash escapes removed, entities decoded,
// whitespace normalised. Linear time on any input.
std::string markdown_inline_to_text(std::string_view s);

// Decodes the HTML entities Markdown and plain text files commonly carry (&amp; &lt;
// &gt; &quot; &apos; &nbsp; &#NN; &#xHH;) at s[i] == '&'; returns bytes consumed, 0 if none.
size_t decode_entity(std::string_view s, size_t i, std::string* out);

// Adds "invalid UTF-8 replaced at N places"-style warnings for a decode.
struct Decoded;
void add_decode_warnings(const Decoded& d, size_t controls_removed, ParsedDocument* doc);

}  // namespace trove::ingest
