// ingest/pdf_parser.cc — PDF text via poppler-cpp, one page at a time.
//
// Layout mode: non_raw_non_physical_layout, poppler's reading order (what `pdftotext`
// prints by default): columns come out one after the other, unlike physical_layout,
// which interleaves the lines of side-by-side columns, and raw_order, which follows the
// content stream and breaks on many TeX documents.
// Bounds: at most ParseOptions::max_pdf_pages pages are extracted (a warning says how
// many were left out) — a page cap rather than a time limit keeps results
// deterministic. Owner-password PDFs (restrictions only) open without a password, as in
// every viewer, and are indexed; user-password PDFs fail with kEncrypted.
// poppler's own error messages are silenced (library code never prints).
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <memory>
#include <mutex>
#include <utility>

#include "ingest/ocr.h"
#include "ingest/parsers.h"
#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

void silence_poppler_once() {
  static std::once_flag once;
  std::call_once(
      once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::string to_utf8(const poppler::ustring& u) {
  if (u.empty()) return {};
  poppler::byte_array b = u.to_utf8();
  return std::string(b.begin(), b.end());
}

bool is_lower_start(std::string_view s) {
  return !s.empty() && std::islower(static_cast<unsigned char>(s[0]));
}

// Joins the lines of one paragraph; "exam-" + "ple" → "example" when dehyphenating
// (only a lower-case letter before the hyphen and a lower-case letter after it, so
// "well-" + "Known" and "X-" + "Windows" keep their hyphen).
std::string join_lines(const std::vector<std::string_view>& lines, size_t b, size_t e,
                       bool dehyphenate) {
  std::string out;
  for (size_t k = b; k < e; ++k) {
    std::string_view line = trim(lines[k]);
    if (line.empty()) continue;
    if (dehyphenate && out.size() >= 2 && out.back() == '-' &&
        std::islower(static_cast<unsigned char>(out[out.size() - 2])) && is_lower_start(line)) {
      out.pop_back();
      out.append(normalize_whitespace(line));
      continue;
    }
    append_normalized(&out, line);
  }
  return out;
}

// Splits one page's text into paragraph blocks on blank lines.
void page_blocks(std::string text, int page, bool dehyphenate, ParsedDocument* doc,
                 std::string* first_line) {
  clean_controls(&text);  // form feeds and stray controls
  std::vector<std::string_view> lines = split_lines(text);
  for (size_t k = 0; k < lines.size() && first_line->empty(); ++k)
    *first_line = normalize_whitespace(lines[k]);
  size_t i = 0;
  while (i < lines.size()) {
    if (is_blank(lines[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < lines.size() && !is_blank(lines[end])) ++end;
    std::string para = join_lines(lines, i, end, dehyphenate);
    if (!para.empty()) {
      Block b;
      b.text = std::move(para);
      b.page = page;
      doc->blocks.push_back(std::move(b));
    }
    i = end;
  }
}

size_t visible_chars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += !std::isspace(static_cast<unsigned char>(c));
  return n;
}

GreyImage render_grey(poppler::page& page, int dpi) {
  poppler::page_renderer r;
  r.set_render_hint(poppler::page_renderer::antialiasing, true);
  r.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  r.set_image_format(poppler::image::format_gray8);
  poppler::image img = r.render_page(&page, dpi, dpi);
  GreyImage g;
  if (!img.is_valid()) return g;
  g.width = img.width();
  g.height = img.height();
  g.stride = img.bytes_per_row();
  g.dpi = dpi;
  const char* data = img.const_data();
  g.pixels.assign(data, data + static_cast<size_t>(g.stride) * static_cast<size_t>(g.height));
  return g;
}

constexpr int kPreviewDpi = 50;

// "An image on the page": ink outside the boxes of its text layer. A page holding only
// "page 7" has ink, but all of it is text trove already has; a scan with a stamped
// page number has ink everywhere else.
bool has_ink_besides_text(poppler::page& page, GreyImage& preview) {
  const double scale = kPreviewDpi / 72.0;
  for (const poppler::text_box& t : page.text_list()) {
    poppler::rectf r = t.bbox();
    int x0 = std::max(0, static_cast<int>(r.left() * scale) - 1);
    int y0 = std::max(0, static_cast<int>(r.top() * scale) - 1);
    int x1 = std::min(preview.width, static_cast<int>(r.right() * scale) + 2);
    int y1 = std::min(preview.height, static_cast<int>(r.bottom() * scale) + 2);
    for (int y = y0; y < y1; ++y) {
      std::fill_n(preview.pixels.data() + static_cast<size_t>(y) * preview.stride + x0,
                  std::max(0, x1 - x0), uint8_t{255});
    }
  }
  return has_ink(preview);
}

// A document whose candidate pages are blank this many times in a row has no scans
// past them worth rendering (20,000 empty pages must not cost 20,000 renders).
constexpr int kMaxBlankRun = 64;

bool known_ocr_page(const OcrOptions& o, int page) {
  for (const OcrPage& k : o.known)
    if (k.page == page) return true;
  return false;
}

// Pages without a usable text layer, rendered and recognised a few at a time so a
// long scan never holds more than a handful of page bitmaps. False: OCR could not start.
bool ocr_scanned_pages(poppler::document& pdf, const std::vector<int>& candidates,
                       const OcrOptions& ocr, ParsedDocument* doc, std::vector<int>* blank) {
  const size_t batch = static_cast<size_t>(std::max(1, ocr.threads)) * 2;
  int blank_run = 0;  // candidate pages without ink, one after the other
  for (size_t at = 0; at < candidates.size() && blank_run < kMaxBlankRun; at += batch) {
    std::vector<GreyImage> images;
    std::vector<int> pages;
    for (size_t k = at; k < std::min(candidates.size(), at + batch); ++k) {
      int p = candidates[k];
      std::unique_ptr<poppler::page> page(pdf.create_page(p - 1));
      // Ink is looked for in a small preview first: a blank page costs a 50-dpi render,
      // not a 300-dpi one, and a page known to the cache is not rendered at full size.
      GreyImage preview = page ? render_grey(*page, kPreviewDpi) : GreyImage{};
      if (preview.width == 0 || !has_ink_besides_text(*page, preview)) {
        blank->push_back(p);
        ++blank_run;
        continue;
      }
      blank_run = 0;
      // (A page the cache holds is not rendered again: its preview stands in.)
      GreyImage g = known_ocr_page(ocr, p) ? std::move(preview) : render_grey(*page, ocr.dpi);
      images.push_back(std::move(g));
      pages.push_back(p);
    }
    if (!images.empty() && !ocr_pages(images, pages, ocr, doc)) return false;
  }
  return true;
}

}  // namespace

ParsedDocument parse_pdf(std::string_view bytes, const ParseOptions& options) {
  silence_poppler_once();
  ParsedDocument doc;
  doc.type = DocType::kPdf;
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    doc.fail = FailReason::kTooLarge;
    doc.fail_detail = "PDF larger than 2 GiB";
    return doc;
  }
  // poppler keeps pointing into `bytes` (load_from_raw_data does not copy), which the
  // caller keeps alive for the whole call.
  std::unique_ptr<poppler::document> pdf(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!pdf) {
    doc.fail = FailReason::kParseError;
    doc.fail_detail = "poppler could not open the PDF (damaged or not a PDF)";
    return doc;
  }
  if (pdf->is_locked()) {
    doc.fail = FailReason::kEncrypted;
    doc.fail_detail = "password-protected PDF (needs a user password to open)";
    return doc;
  }
  if (pdf->is_encrypted()) {
    doc.warnings.push_back("encrypted with an owner password only (restrictions); text extracted");
  }
  doc.title = normalize_whitespace(to_utf8(pdf->get_title()));
  const int pages = pdf->pages();
  doc.page_count = pages;
  const int limit = std::min(pages, std::max(0, options.max_pdf_pages));
  if (limit < pages) {
    doc.warnings.push_back("only the first " + std::to_string(limit) + " of " +
                           std::to_string(pages) + " pages were indexed (page cap)");
  }
  int unreadable_pages = 0;
  std::string first_line;
  std::vector<int> scanned;  // 1-based pages whose text layer is (almost) empty
  const OcrOptions& ocr = options.ocr;
  for (int p = 0; p < limit; ++p) {
    std::unique_ptr<poppler::page> page(pdf->create_page(p));
    if (!page) {
      ++unreadable_pages;
      continue;
    }
    std::string text =
        to_utf8(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout));
    if (ocr.enabled && visible_chars(text) < static_cast<size_t>(ocr.min_text_chars) &&
        static_cast<int>(scanned.size()) < ocr.max_pages) {
      scanned.push_back(p + 1);
      continue;  // its few characters (a page number) give way to the OCR text
    }
    page_blocks(std::move(text), p + 1, options.dehyphenate, &doc, &first_line);
  }
  if (unreadable_pages > 0) {
    doc.warnings.push_back(std::to_string(unreadable_pages) + " pages could not be read");
  }
  if (!scanned.empty()) {
    std::vector<int> blank;
    if (!ocr_scanned_pages(*pdf, scanned, ocr, &doc, &blank)) return doc;
    // Mixed documents keep their page order: text-layer pages and OCR'd pages interleave.
    std::stable_sort(doc.blocks.begin(), doc.blocks.end(),
                     [](const Block& a, const Block& b) { return a.page < b.page; });
    for (const Block& b : doc.blocks) {
      if (!first_line.empty()) break;
      first_line = b.text.substr(0, utf8_floor(b.text, 200));
    }
  }
  if (pages == 0) {
    doc.fail = FailReason::kNoText;
    doc.fail_detail = "PDF has no pages";
  } else if (doc.blocks.empty()) {
    // With OCR off a scan is left for a later run, as a page image is: skipped, not failed.
    doc.fail = ocr.enabled ? FailReason::kNoText : FailReason::kSkipped;
    doc.fail_detail = ocr.enabled ? "no text layer (image-only?), and OCR found none"
                                  : "no text layer (image-only?; OCR is off)";
  } else if (doc.title.empty()) {
    doc.title = first_line.substr(0, utf8_floor(first_line, 200));
  }
  return doc;
}

}  // namespace trove::ingest
