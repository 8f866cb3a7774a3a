// ingest/text_util.h — small UTF-8 text helpers shared by the parsers and the chunker.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trove::ingest {

// Collapses runs of whitespace (ASCII space/tab/newline/CR/FF/VT and U+00A0) into one
// space and trims both ends; C0 control characters other than whitespace are dropped.
std::string normalize_whitespace(std::string_view s);

// Appends `piece` to *out with whitespace normalised and a single space at the seam.
void append_normalized(std::string* out, std::string_view piece);

// Replaces C0 controls (except \t and \n) and DEL with nothing, CR/CRLF with \n and
// form feed with a space (a page-break line becomes blank), keeping line numbers.
// Returns the number of control characters removed.
size_t clean_controls(std::string* text);

// Largest index <= i that is not inside a UTF-8 multi-byte sequence.
size_t utf8_floor(std::string_view s, size_t i);

// Splits text into lines on '\n' (no terminator kept).
std::vector<std::string_view> split_lines(std::string_view text);

bool is_blank(std::string_view line);

std::string_view trim(std::string_view s);

// File name without folders and without the last extension, for fallback titles.
std::string file_stem(std::string_view path);

}  // namespace trove::ingest
