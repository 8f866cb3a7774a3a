// tests/fuzz/parse_fuzz.cc — libFuzzer target for every document parser behind
// parse_bytes: the first input byte picks the file name (and so the claimed type:
// .docx .odt .epub .html .md .txt .pdf, none), the rest are the file's bytes. The parse
// runs in-process (budget off) so the fuzzer sees crashes and leaks directly; the
// ZIP containers' limits, the XML reader's no-entity rules and the HTML/Markdown
// parsers' linear-time paths are what it exercises.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* const kNames[] = {"f.docx", "f.odt", "f.epub", "f.html",
                                       "f.md",   "f.txt", "f.pdf",  "f"};
  trove::ingest::ParseOptions o;
  o.budget.seconds = 0;
  o.max_pdf_pages = 16;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  trove::ingest::parse_bytes(bytes, trove::ingest::DocType::kUnknown, kNames[data[0] % 8], o);
  return 0;
}
