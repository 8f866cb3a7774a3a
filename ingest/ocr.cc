// ingest/ocr.cc — Tesseract behind RAII, pages on threads (see ocr.h).
#include "ingest/ocr.h"

#include <leptonica/allheaders.h>
#include <omp.h>
#include <tesseract/baseapi.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

#include "core/str_cat.h"
#include "ingest/parse_budget.h"
#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

// Tesseract's own diagnostics ("Estimating resolution as 301") would land on the
// user's terminal; library code never prints.
constexpr const char* kQuiet = "/dev/null";

struct TessDeleter {
  void operator()(tesseract::TessBaseAPI* api) const {
    api->End();
    delete api;  // NOLINT(cppcoreguidelines-owning-memory): the Engine owns it; no GSL here
  }
};
using Engine = std::unique_ptr<tesseract::TessBaseAPI, TessDeleter>;

Engine start_engine(const std::string& languages) {
  Engine api(new tesseract::TessBaseAPI());
  api->SetVariable("debug_file", kQuiet);
  if (api->Init(nullptr, languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0) return nullptr;
  api->SetPageSegMode(tesseract::PSM_AUTO);
  return api;
}

OcrPage recognise(tesseract::TessBaseAPI& api, const GreyImage& img, int page) {
  auto t0 = std::chrono::steady_clock::now();
  api.SetImage(img.pixels.data(), img.width, img.height, 1, img.stride);
  if (img.dpi > 0) api.SetSourceResolution(img.dpi);
  // GetUTF8Text's buffer is the caller's, made with new[].
  const std::unique_ptr<char[]> text(api.GetUTF8Text());
  OcrPage out;
  out.page = page;
  out.text = text ? std::string(text.get()) : std::string();
  out.confidence = api.MeanTextConf();
  api.Clear();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

const OcrPage* known_page(const OcrOptions& o, int page) {
  for (const OcrPage& k : o.known)
    if (k.page == page) return &k;
  return nullptr;
}

}  // namespace

std::string ocr_language_problem(const std::string& languages) {
  if (languages.empty()) return "no OCR language given (e.g. --ocr-lang eng)";
  size_t start = 0;
  while (start <= languages.size()) {
    size_t plus = languages.find('+', start);
    std::string one = languages.substr(start, plus == std::string::npos ? plus : plus - start);
    if (one.empty()) return "bad OCR language list '" + languages + "' (e.g. eng+deu)";
    for (char c : one) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
        return "bad OCR language '" + one + "' (Tesseract names: eng, deu, chi_sim, …)";
    }
    if (!start_engine(one)) {
      std::string pkg = "tesseract-ocr-" + one;  // Debian's name: chi_sim → chi-sim
      for (char& c : pkg) c = c == '_' ? '-' : static_cast<char>(std::tolower(c & 0xff));
      return str_cat({"OCR language '", one, "' is not installed (apt install ", pkg, ")"});
    }
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  return {};
}

bool has_ink(const GreyImage& img) {
  // Sampled: every 4th pixel of every 4th row; a page with a few hundred dark pixels
  // in that sample (a line of text) counts.
  // Small images (a 50-dpi preview) are read whole, big ones sampled.
  const int step = static_cast<int64_t>(img.width) * img.height > 4'000'000 ? 4 : 1;
  const size_t need = step == 1 ? 40 : 200;
  size_t dark = 0;
  for (int y = 0; y < img.height; y += step) {
    const uint8_t* row = img.pixels.data() + static_cast<size_t>(y) * img.stride;
    for (int x = 0; x < img.width; x += step) dark += row[x] < 128;
    if (dark >= need) return true;
  }
  return false;
}

void add_ocr_blocks(const OcrPage& page, int low_confidence, ParsedDocument* doc) {
  // The heading path says where the words came from, so results show it: OCR text
  // can be wrong, and very wrong when the confidence is low.
  std::string mark = page.confidence < low_confidence
                         ? "OCR text, low confidence (" + std::to_string(page.confidence) + "%)"
                         : "OCR text";
  std::vector<std::string_view> lines = split_lines(page.text);
  size_t i = 0;
  while (i < lines.size()) {
    if (is_blank(lines[i])) {
      ++i;
      continue;
    }
    std::string para;
    for (; i < lines.size() && !is_blank(lines[i]); ++i) {
      std::string_view line = trim(lines[i]);
      if (!para.empty() && para.back() == '-' && !line.empty() && std::islower(line[0] & 0xff)) {
        para.pop_back();  // "exam-" + "ple"
        para.append(normalize_whitespace(line));
      } else {
        append_normalized(&para, line);
      }
    }
    if (para.empty()) continue;
    Block b;
    b.text = std::move(para);
    b.page = page.page;
    b.heading_path = {mark};
    doc->blocks.push_back(std::move(b));
  }
}

bool ocr_pages(std::vector<GreyImage>& images, const std::vector<int>& pages,
               const OcrOptions& options, ParsedDocument* doc) {
  std::vector<OcrPage> results(images.size());
  std::vector<size_t> todo;
  for (size_t i = 0; i < images.size(); ++i) {
    if (const OcrPage* k = known_page(options, pages[i])) {
      results[i] = *k;
      results[i].from_cache = true;
    } else {
      todo.push_back(i);
    }
  }
  // Tesseract parallelises inside a page with OpenMP; with our own page threads on top
  // that oversubscribes the cores (measured: 14 scanned pages took 77 s instead of
  // 17 s on 2 cores, most of it spinning in the kernel). Pages are the parallelism
  // here, so OpenMP regions run single-threaded — only in the parse child, which
  // exits after this file, so the indexer's own OpenMP use (FAISS) is untouched. The
  // setting is per thread (libgomp keeps it in the calling thread's ICVs), hence in
  // every page thread.
  const bool single_omp = in_parse_child();
  std::atomic<size_t> next{0};
  std::atomic<bool> no_engine{false};
  auto work = [&] {
    if (single_omp) omp_set_max_active_levels(0);
    Engine api = start_engine(options.languages);
    if (!api) {
      no_engine = true;
      return;
    }
    for (size_t t; (t = next.fetch_add(1)) < todo.size();) {
      size_t i = todo[t];
      results[i] = recognise(*api, images[i], pages[i]);
      images[i].pixels = {};  // free as we go: a long scan is many megabytes a page
      parse_budget_heartbeat();
    }
  };
  int n = std::max(1, std::min<int>(options.threads, static_cast<int>(todo.size())));
  std::vector<std::thread> threads;
  for (int t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (no_engine && next.load() < todo.size()) {
    doc->fail = FailReason::kParseError;
    doc->fail_detail = "OCR could not start Tesseract for '" + options.languages + "'";
    return false;
  }
  for (const OcrPage& r : results) {
    add_ocr_blocks(r, options.low_confidence, doc);
    doc->ocr_pages.push_back(r);
  }
  return true;
}

}  // namespace trove::ingest
