// ingest/image_parser.cc — page images (PNG, JPEG, TIFF and multi-page TIFF, WebP, GIF,
// BMP) read with Leptonica and recognised with Tesseract (ingest/ocr.h).
//
// The header is read first and an image over OcrOptions::max_image_pixels is refused
// before a single pixel is decoded: a TIFF claiming 100000×100000 pixels, or a small
// PNG that inflates to gigabytes, fails with a reason instead of exhausting memory
// (the parse budget's memory cap is the second line). Each frame of a TIFF is a page.
#include <leptonica/allheaders.h>

#include <memory>
#include <mutex>

#include "ingest/ocr.h"
#include "ingest/parsers.h"

namespace trove::ingest {
namespace {

struct PixDeleter {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

struct PixaDeleter {
  void operator()(Pixa* p) const { pixaDestroy(&p); }
};
using PixaPtr = std::unique_ptr<Pixa, PixaDeleter>;

void silence_leptonica_once() {
  static std::once_flag once;
  std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

const l_uint8* data_of(std::string_view b) { return reinterpret_cast<const l_uint8*>(b.data()); }

// Any depth and colour map → 8-bit grey, as Tesseract wants it here.
GreyImage to_grey(Pix* pix) {
  GreyImage g;
  PixPtr grey(pixConvertTo8(pix, 0));
  if (!grey) return g;
  g.width = static_cast<int>(pixGetWidth(grey.get()));
  g.height = static_cast<int>(pixGetHeight(grey.get()));
  g.stride = g.width;
  g.dpi = static_cast<int>(pixGetXRes(grey.get()));
  if (g.dpi < 70 || g.dpi > 2400) g.dpi = 0;  // unset or nonsense: let Tesseract estimate
  g.pixels.resize(static_cast<size_t>(g.width) * static_cast<size_t>(g.height));
  for (int y = 0; y < g.height; ++y) {
    const l_uint32* line = pixGetData(grey.get()) + static_cast<size_t>(y) * pixGetWpl(grey.get());
    uint8_t* out = g.pixels.data() + static_cast<size_t>(y) * g.stride;
    for (int x = 0; x < g.width; ++x) out[x] = static_cast<uint8_t>(GET_DATA_BYTE(line, x));
  }
  return g;
}

uint32_t be32(std::string_view b, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(b[at + i]);
  return v;
}

// The size a PNG or TIFF claims, read by hand: a hostile header must be refused even
// when it is too broken for the decoder to report it. False when not found.
bool claimed_size(std::string_view b, uint64_t* w, uint64_t* h) {
  if (b.size() >= 24 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8) &&
      b.substr(12, 4) == "IHDR") {
    *w = be32(b, 16);
    *h = be32(b, 20);
    return true;
  }
  const bool le = b.substr(0, 4) == std::string_view("II*\0", 4);
  if (!le && b.substr(0, 4) != std::string_view("MM\0*", 4)) return false;
  auto u = [&](size_t at, int n) -> uint32_t {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) {
      uint32_t byte = static_cast<unsigned char>(b[at + (le ? n - 1 - i : i)]);
      v = v << 8 | byte;
    }
    return v;
  };
  if (b.size() < 8) return false;
  size_t ifd = u(4, 4);
  if (ifd + 2 > b.size()) return false;
  size_t n = u(ifd, 2);
  *w = *h = 0;
  for (size_t k = 0; k < n && ifd + 2 + 12 * (k + 1) <= b.size(); ++k) {
    size_t e = ifd + 2 + 12 * k;
    uint32_t tag = u(e, 2), type = u(e + 2, 2);
    uint32_t value = type == 3 ? u(e + 8, 2) : u(e + 8, 4);  // SHORT or LONG
    if (tag == 256) *w = value;
    if (tag == 257) *h = value;
  }
  return *w > 0 && *h > 0;
}

std::string too_large(uint64_t w, uint64_t h, uint64_t limit) {
  return std::to_string(w) + "×" + std::to_string(h) + " pixels, limit " +
         std::to_string(limit / 1'000'000) + " megapixels";
}

const char* format_name(l_int32 f) {
  switch (f) {
    case IFF_PNG: return "PNG";
    case IFF_JFIF_JPEG: return "JPEG";
    case IFF_GIF: return "GIF";
    case IFF_BMP: return "BMP";
    case IFF_WEBP: return "WebP";
    case IFF_PNM: return "PNM";
    default: return f >= IFF_TIFF && f <= IFF_TIFF_JPEG ? "TIFF" : "an";
  }
}

ParsedDocument failed(FailReason r, std::string detail) {
  ParsedDocument d;
  d.type = DocType::kImage;
  d.fail = r;
  d.fail_detail = std::move(detail);
  return d;
}

}  // namespace

ParsedDocument parse_image(std::string_view bytes, const ParseOptions& options) {
  silence_leptonica_once();
  const OcrOptions& ocr = options.ocr;
  uint64_t cw = 0, ch = 0;
  if (claimed_size(bytes, &cw, &ch) && cw * ch > ocr.max_image_pixels)
    return failed(FailReason::kTooLarge, too_large(cw, ch, ocr.max_image_pixels));
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeaderMem(data_of(bytes), bytes.size(), &format, &w, &h, &bps, &spp, &cmap) != 0 ||
      w <= 0 || h <= 0) {
    return failed(FailReason::kParseError, "the image header could not be read (damaged?)");
  }
  const uint64_t pixels = static_cast<uint64_t>(w) * static_cast<uint64_t>(h);
  if (pixels > ocr.max_image_pixels) {
    return failed(FailReason::kTooLarge, too_large(static_cast<uint64_t>(w),
                                                   static_cast<uint64_t>(h), ocr.max_image_pixels));
  }
  std::vector<GreyImage> frames;
  if (format == IFF_TIFF || format == IFF_TIFF_G4 || format == IFF_TIFF_G3 ||
      format == IFF_TIFF_LZW || format == IFF_TIFF_ZIP || format == IFF_TIFF_PACKBITS ||
      format == IFF_TIFF_RLE || format == IFF_TIFF_JPEG) {
    PixaPtr all(pixaReadMemMultipageTiff(data_of(bytes), bytes.size()));
    const int n = all ? pixaGetCount(all.get()) : 0;
    for (int i = 0; i < n && static_cast<int>(frames.size()) < ocr.max_pages; ++i) {
      PixPtr p(pixaGetPix(all.get(), i, L_CLONE));
      if (!p) continue;
      // Every frame gets the same size check as the first (a later one may lie).
      if (static_cast<uint64_t>(pixGetWidth(p.get())) * pixGetHeight(p.get()) >
          ocr.max_image_pixels) {
        return failed(FailReason::kTooLarge, "TIFF frame " + std::to_string(i + 1) +
                                                 " is over the pixel limit");
      }
      frames.push_back(to_grey(p.get()));
    }
  } else {
    PixPtr p(pixReadMem(data_of(bytes), bytes.size()));
    if (p) frames.push_back(to_grey(p.get()));
  }
  if (frames.empty() || frames[0].width == 0)
    return failed(FailReason::kParseError, "the image could not be decoded (damaged?)");
  ParsedDocument doc;
  doc.type = DocType::kImage;
  doc.page_count = static_cast<int>(frames.size());
  std::vector<int> pages;
  for (size_t i = 0; i < frames.size(); ++i) pages.push_back(static_cast<int>(i) + 1);
  if (!ocr_pages(frames, pages, ocr, &doc)) return doc;
  if (doc.blocks.empty()) {
    // A photo or a logo: not a document, like any other file without text.
    doc.fail = FailReason::kSkipped;
    doc.fail_detail = std::string(format_name(format)) + " image without text (OCR found none)";
  }
  return doc;
}

}  // namespace trove::ingest
