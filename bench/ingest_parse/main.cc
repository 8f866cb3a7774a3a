// bench/ingest_parse — parses every file under a folder and prints throughput per type
// (files/s, MB/s, and PDF pages/s), plus failures by reason; with --pdftotext it times
// `pdftotext` on the same PDFs for comparison; with --chunk it also runs the chunker.
//
//   bench_ingest_parse [--pdftotext] [--chunk] [--list] [folder]   (default ../shared/corpus/dev)
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/discover.h"
#include "ingest/parse.h"

using namespace trove::ingest;
using Clock = std::chrono::steady_clock;

namespace {

struct Totals {
  int files = 0;
  uint64_t bytes = 0;
  int64_t pages = 0;
  double seconds = 0;
  double cpu = 0;
};

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU seconds: the build machine is shared, so wall time says little about our code.
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double children_cpu() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  auto sec = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
  };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

const char* kind_name(BlockKind k) {
  switch (k) {
    case BlockKind::kHeading:
      return "H";
    case BlockKind::kParagraph:
      return "P";
    case BlockKind::kListItem:
      return "LI";
    case BlockKind::kCode:
      return "CODE";
    case BlockKind::kTable:
      return "TABLE";
    case BlockKind::kPage:
      return "PAGE";
  }
  return "?";
}

// --dump FILE: prints the parsed blocks, for eyeballing a parser on a real file.
int dump(const char* path) {
  ParsedDocument d = parse_file(path);
  std::printf("type=%s title=[%s] pages=%d fail=%s %s\n", doc_type_name(d.type), d.title.c_str(),
              d.page_count, fail_reason_name(d.fail), d.fail_detail.c_str());
  for (const auto& [k, v] : d.metadata) std::printf("meta %s=[%s]\n", k.c_str(), v.c_str());
  for (const std::string& w : d.warnings) std::printf("warning: %s\n", w.c_str());
  for (const Block& b : d.blocks) {
    std::string path_s;
    for (const std::string& h : b.heading_path) path_s += h + " > ";
    std::printf("[%s%s p%d L%d-%d] {%s} %s\n", kind_name(b.kind),
                b.heading_level ? std::to_string(b.heading_level).c_str() : "", b.page,
                b.line_start, b.line_end, path_s.c_str(), b.text.substr(0, 300).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool pdftotext = false, chunk = false, list = false;
  std::string root = "../shared/corpus/dev";
  if (argc == 3 && std::string(argv[1]) == "--dump") return dump(argv[2]);
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--pdftotext") {
      pdftotext = true;
    } else if (a == "--chunk") {
      chunk = true;
    } else if (a == "--list") {
      list = true;
    } else {
      root = a;
    }
  }
  std::vector<DiscoveredFile> files;
  auto st = discover(
      root, {}, [&](DiscoveredFile f) { files.push_back(std::move(f)); },
      [&](const SkippedFile& s) {
        if (list) {
          std::printf("skip %s: %s (%s)\n", s.path.c_str(), fail_reason_name(s.reason),
                      s.detail.c_str());
        }
      });
  if (!st) {
    std::fprintf(stderr, "bench_ingest_parse: %s\n", st.error().message.c_str());
    return 2;
  }
  std::map<std::string, Totals> by_type;
  std::map<std::string, int> failures;
  std::vector<std::string> pdfs;
  Totals all;
  int64_t chunks = 0;
  double chunk_seconds = 0;
  WordTokenCounter counter;
  for (const DiscoveredFile& f : files) {
    auto t0 = Clock::now();
    double c0 = cpu_now();
    ParsedDocument d = parse_file(f.path);
    double s = since(t0), cpu = cpu_now() - c0;
    Totals& t = by_type[doc_type_name(d.type)];
    t.files++, t.bytes += f.size, t.seconds += s, t.pages += d.page_count, t.cpu += cpu;
    all.files++, all.bytes += f.size, all.seconds += s, all.cpu += cpu;
    if (d.type == DocType::kPdf) pdfs.push_back(f.path);
    if (d.fail != FailReason::kNone) {
      failures[fail_reason_name(d.fail)]++;
      if (list) {
        std::printf("fail %s: %s (%s)\n", f.rel_path.c_str(), fail_reason_name(d.fail),
                    d.fail_detail.c_str());
      }
    } else if (chunk) {
      auto ch0 = Clock::now();
      chunks += static_cast<int64_t>(chunk_document(d, counter).size());
      chunk_seconds += since(ch0);
    }
    if (list && cpu > 1.0)
      std::printf("slow %s: %.2f s CPU, %d pages\n", f.rel_path.c_str(), cpu, d.page_count);
  }
  std::printf("rates per CPU second (wall seconds shown for reference)\n");
  std::printf("%-9s %6s %9s %8s %8s %9s %8s %9s\n", "type", "files", "MB", "wall s", "CPU s",
              "files/s", "MB/s", "pages/s");
  auto row = [](const std::string& name, const Totals& t) {
    double mb = static_cast<double>(t.bytes) / 1e6;
    std::printf("%-9s %6d %9.2f %8.2f %8.2f %9.1f %8.2f %9s\n", name.c_str(), t.files, mb,
                t.seconds, t.cpu, t.files / t.cpu, mb / t.cpu,
                t.pages ? std::to_string(static_cast<int64_t>(t.pages / t.cpu)).c_str() : "-");
  };
  for (const auto& [name, t] : by_type) row(name, t);
  row("all", all);
  for (const auto& [reason, n] : failures) std::printf("failed: %s %d\n", reason.c_str(), n);
  if (chunk) std::printf("chunks: %lld in %.2f s\n", static_cast<long long>(chunks), chunk_seconds);
  if (pdftotext && !pdfs.empty()) {
    auto t0 = Clock::now();
    double k0 = children_cpu();
    for (const std::string& p : pdfs) {
      std::string cmd = "pdftotext -q " + shell_quote(p) + " - > /dev/null 2>&1";
      if (std::system(cmd.c_str()) == -1) return 2;
    }
    double s = since(t0), k = children_cpu() - k0;
    const Totals& t = by_type["pdf"];
    std::printf("pdftotext: %zu PDFs, wall %.2f s, CPU %.2f s (%.0f pages per CPU s)\n",
                pdfs.size(), s, k, t.pages / k);
    std::printf("trove/pdftotext speed ratio: CPU %.2f, wall %.2f\n", k / t.cpu, s / t.seconds);
  }
  return 0;
}
