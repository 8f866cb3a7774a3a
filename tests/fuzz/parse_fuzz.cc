// tests/fuzz/parse_fuzz.cc — libFuzzer target for every document parser behind
// parse_bytes (DOCX, ODT, EPUB, HTML, Markdown, text, PDF, e-mail, mbox, page images;
// parse_entry.h picks the claimed type from the first byte). The ZIP containers'
// limits, the XML reader's no-entity rules, the HTML/Markdown parsers' linear-time
// paths, MIME depth and width limits and the image header checks are what it exercises.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/parse_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  trove::test::parse_fuzz_input(data, size);
  return 0;
}
