// tests/fuzz/parse_entry.h — the one input→parse step shared by the libFuzzer target
// (parse_fuzz.cc) and the seed replay in the test suite (seed_replay_test.cc): the
// first byte picks the file name, and so the type the file claims; the rest are the
// file's bytes. The parse runs in-process (budget off) so that a crash or leak is seen
// where it happens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "ingest/parse.h"

namespace trove::test {

inline constexpr const char* kFuzzNames[] = {
    "f.docx", "f.odt", "f.epub", "f.html", "f.md", "f.txt", "f.pdf", "f",
    "f.eml",  "f.mbox", "f.png", "f.tif", "f.jpg"};

inline ingest::ParsedDocument parse_fuzz_input(const uint8_t* data, size_t size) {
  if (size < 1) return {};
  ingest::ParseOptions o;
  o.budget.seconds = 0;
  o.max_pdf_pages = 16;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const char* name = kFuzzNames[data[0] % std::size(kFuzzNames)];
  return ingest::parse_bytes(bytes, ingest::DocType::kUnknown, name, o);
}

}  // namespace trove::test
