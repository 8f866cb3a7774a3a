// ingest/ocr.h — text from page images through Tesseract (libtesseract + Leptonica).
//
// Used by the PDF parser (pages without a text layer, rendered with poppler) and the
// image parser (PNG, JPEG, TIFF incl. multi-page, WebP, GIF, BMP, PNM — whatever the
// installed Leptonica reads). Pages are recognised on up to OcrOptions::threads threads,
// one Tesseract engine per thread (an engine is not thread-safe). Each finished page
// calls parse_budget_heartbeat(), so a long scan gets its time budget per page, not
// per file.
//
// The cache: ingest/ may not use the library, so it declares OcrCache and index/
// implements it. Before parsing, parse_bytes asks the cache for the pages it holds for
// the file's content hash and language; a page found there is not recognised again.
// Every page recognised or reused comes back in ParsedDocument::ocr_pages, and the
// indexer stores the new ones.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/document.h"

namespace trove::ingest {

// In the failure detail of a file that OCR could read (an image-only PDF, a page image)
// while OCR was off; the indexer reads such a file again once OCR is on.
inline constexpr std::string_view kOcrOff = "OCR is off";

class OcrCache {
 public:
  virtual ~OcrCache() = default;
  // Pages cached for this content (SHA-256 hex of the file's bytes) in this language
  // set; empty when none. Must be safe to call from the indexer's parse thread.
  virtual std::vector<OcrPage> lookup(std::string_view content_hash,
                                      std::string_view languages) const = 0;
};

struct OcrOptions {
  bool enabled = true;
  std::string languages = "eng";  // Tesseract's form: "eng", "eng+deu"
  int dpi = 300;                  // PDF pages are rendered at this resolution
  // A PDF page whose text layer has fewer non-space characters than this, and which
  // has ink on it, is OCR'd (its text layer, if any, is replaced by the OCR text).
  int min_text_chars = 24;
  int threads = 2;                   // pages recognised at once
  int max_pages = 2000;              // per file; pages past this are left out, with a warning
  int low_confidence = 50;           // mean word confidence (0–100) below this is marked
  uint64_t max_image_pixels = 60'000'000;  // larger images are refused (decompression bombs)
  const OcrCache* cache = nullptr;
  std::vector<OcrPage> known;  // filled by parse_bytes from the cache
};

// "" when Tesseract can load every language of `languages`, else what is missing and
// how to install it ("OCR language 'deu' is not installed (apt install tesseract-ocr-deu)").
std::string ocr_language_problem(const std::string& languages);

// One page to recognise: 8-bit grey pixels, `stride` bytes per row.
struct GreyImage {
  std::vector<uint8_t> pixels;
  int width = 0, height = 0, stride = 0;
  int dpi = 0;  // 0: unknown (Tesseract estimates)
};

// True when the page has visible ink (a rendered blank page is not worth OCR).
bool has_ink(const GreyImage& image);

// Recognises `images` (page numbers `pages`, 1-based) and appends one block per
// paragraph to `doc` (page set; heading path marks OCR text and low confidence) and one
// OcrPage per page to doc->ocr_pages. Pages present in options.known are reused.
// Returns false (and sets doc->fail) only when no engine could start.
bool ocr_pages(std::vector<GreyImage>& images, const std::vector<int>& pages,
               const OcrOptions& options, ParsedDocument* doc);

// Appends `page`'s OCR text to `doc` as paragraph blocks (used for cached pages too).
void add_ocr_blocks(const OcrPage& page, int low_confidence, ParsedDocument* doc);

}  // namespace trove::ingest
