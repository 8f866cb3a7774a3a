// bench/verify/verify_bench.cc — the claim verifier on a labelled set
// (../shared/eval/verify-dev.jsonl by default): sentence accuracy, accuracy per
// expected verdict, recall per unsupported kind, unsupported passed as supported,
// and throughput in sentences per second (median of --runs passes over the set).
//
//   build/bench/verify/verify_bench [FILE.jsonl] [--runs N] [--show]
//       [--min-coverage X] [--min-new-coverage X] [--unrelated-below X]  (VerifyOptions)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "answer/verifier.h"
#include "bench/bench_args.h"

namespace {

struct Case {
  std::string id, question, answer;
  std::vector<trove::answer::SourcePassage> sources;
  std::vector<std::string> expect, why;
};

std::vector<Case> load(const std::string& path) {
  std::vector<Case> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    Case c;
    c.id = j.value("id", "");
    c.question = j.value("question", "");
    c.answer = j.value("answer", "");
    for (const auto& s : j["sources"]) c.sources.push_back({s["n"].get<int64_t>(), s.value("label", ""), s["text"].get<std::string>()});
    for (const auto& e : j["expect"]) c.expect.push_back(e.get<std::string>());
    for (const auto& w : j["why"]) c.why.push_back(w.get<std::string>());
    out.push_back(std::move(c));
  }
  return out;
}

std::string kind_of(const std::string& why) { return why.substr(0, why.find(':')); }

}  // namespace

int main(int argc, char** argv) {
  std::string path = "../shared/eval/verify-dev.jsonl";
  int runs = 21;
  bool show = false;
  trove::answer::VerifyOptions opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, trove::bench::int_arg(argv[++i], "--runs"));
    } else if (a == "--min-coverage" && i + 1 < argc) {
      opt.min_coverage = trove::bench::double_arg(argv[++i], "--min-coverage");
    } else if (a == "--min-new-coverage" && i + 1 < argc) {
      opt.min_new_coverage = trove::bench::double_arg(argv[++i], "--min-new-coverage");
    } else if (a == "--unrelated-below" && i + 1 < argc) {
      opt.unrelated_below = trove::bench::double_arg(argv[++i], "--unrelated-below");
    } else if (a == "--show") {
      show = true;
    } else {
      path = a;
    }
  }
  std::vector<Case> cases;
  try {
    cases = load(path);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "verify_bench: %s: %s\n", path.c_str(), e.what());
    return 2;
  }
  if (cases.empty()) {
    std::fprintf(stderr, "verify_bench: %s: no cases\n", path.c_str());
    return 2;
  }
  int total = 0, correct = 0, unsupported_total = 0, unsupported_passed = 0;
  std::map<std::string, std::pair<int, int>> per_verdict, per_kind, kind_named;
  for (const Case& c : cases) {
    auto r = trove::answer::verify_answer(c.question, c.answer, c.sources, opt);
    if (r.sentences.size() != c.expect.size()) {
      std::printf("%s: %zu sentences, expected %zu\n", c.id.c_str(), r.sentences.size(), c.expect.size());
    }
    for (size_t i = 0; i < c.expect.size(); ++i) {
      std::string got = i < r.sentences.size() ? std::string(trove::answer::verdict_name(r.sentences[i].verdict)) : "missing";
      std::string got_kind = i < r.sentences.size() ? std::string(trove::answer::kind_name(r.sentences[i].kind)) : "";
      bool ok = got == c.expect[i];
      ++total;
      correct += ok;
      auto& pv = per_verdict[c.expect[i]];
      ++pv.first;
      pv.second += ok;
      if (c.expect[i] == "unsupported") {
        ++unsupported_total;
        unsupported_passed += got == "supported";
        std::string k = kind_of(c.why[i]);
        auto& pk = per_kind[k];
        ++pk.first;
        pk.second += ok;
        auto& kn = kind_named[k];
        ++kn.first;
        kn.second += got_kind == k;
      }
      if (show || !ok) {
        std::printf("%s %s s%zu expect %s (%s) got %s %s cov=%.2f%s%s\n", ok ? "  " : "XX", c.id.c_str(), i + 1,
                    c.expect[i].c_str(), kind_of(c.why[i]).c_str(), got.c_str(), got_kind.c_str(),
                    i < r.sentences.size() ? r.sentences[i].coverage : 0.0,
                    i < r.sentences.size() && !r.sentences[i].reason.empty() ? " — " : "",
                    i < r.sentences.size() ? r.sentences[i].reason.c_str() : "");
      }
    }
  }
  std::printf("\nsentence accuracy: %d/%d = %.3f\n", correct, total, static_cast<double>(correct) / total);
  for (const auto& [v, p] : per_verdict) {
    std::printf("  %-12s %d/%d = %.3f\n", v.c_str(), p.second, p.first, static_cast<double>(p.second) / p.first);
  }
  std::printf("unsupported passed as supported: %d/%d = %.3f\n", unsupported_passed, unsupported_total,
              unsupported_total ? static_cast<double>(unsupported_passed) / unsupported_total : 0.0);
  std::printf("recall per kind (verdict unsupported / kind also named right):\n");
  for (const auto& [k, p] : per_kind) {
    std::printf("  %-13s %d/%d  kind %d/%d\n", k.c_str(), p.second, p.first, kind_named[k].second, kind_named[k].first);
  }
  // Throughput: the whole set, `runs` times; median pass.
  std::vector<double> secs;
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    size_t n = 0;
    for (const Case& c : cases) n += trove::answer::verify_answer(c.question, c.answer, c.sources, opt).sentences.size();
    auto t1 = std::chrono::steady_clock::now();
    secs.push_back(std::chrono::duration<double>(t1 - t0).count());
    if (n == 0) return 2;
  }
  std::sort(secs.begin(), secs.end());
  double med = secs[secs.size() / 2];
  std::printf("throughput: %d sentences in %.2f ms (median of %d passes) = %.0f sentences/s, %.3f ms/sentence\n",
              total, med * 1e3, runs, total / med, med * 1e3 / total);
  return 0;
}
