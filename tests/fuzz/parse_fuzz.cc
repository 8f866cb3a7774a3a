// tests/fuzz/parse_fuzz.cc — libFuzzer target for the document parsers: one source,
// built once per format (TROVE_FUZZ_TYPE = kPdf, kHtml, kMarkdown, kText), so that
// each fuzzer's corpus and coverage stay about one parser. Whatever parses is also
// chunked, so the chunker sees every shape of block a parser can produce.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/chunker.h"
#include "ingest/parse.h"
#include "ingest/token_counter.h"

#ifndef TROVE_FUZZ_TYPE
#error "define TROVE_FUZZ_TYPE (kPdf, kHtml, kMarkdown or kText)"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trove::ingest;
  ParseOptions opt;
  opt.max_pdf_pages = 50;  // a hostile page count must not turn one input into minutes
  ParsedDocument d = parse_bytes(std::string_view(reinterpret_cast<const char*>(data), size),
                                 DocType::TROVE_FUZZ_TYPE, "fuzz-input", opt);
  if (d.fail != FailReason::kNone) return 0;
  static const WordTokenCounter counter;
  ChunkOptions copt;
  copt.max_tokens = 64;
  copt.overlap_tokens = 8;
  auto chunks = chunk_document(d, counter, copt);
  for (const Chunk& c : chunks) {
    if (c.text.empty() || c.line_end < c.line_start) __builtin_trap();
  }
  return 0;
}
