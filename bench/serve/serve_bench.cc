// bench/serve/serve_bench.cc — latency of GET /api/search through `trove serve`.
//
// Starts `trove serve --port 0` on the library, then for each query (the questions of
// ../shared/eval/questions-dev.tsv and bench/search/word_queries.txt) takes turns: one
// in-process answer::Searcher::search() (the reference: same library, same mode, no
// HTTP) and one HTTP request on a kept-alive connection, so both see the same machine
// load. Then 16 clients at once, each running the query list. Prints p50/p95 of each
// and the median per-query ratio HTTP / in-process.
//
// Usage: serve_bench --home LIBRARY [-k 10] [--rounds 3] [--clients 16]
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "answer/search.h"
#include "bench/bench_args.h"
#include "index/library.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1,
                    static_cast<size_t>(std::lround(p * static_cast<double>(v.size() - 1))))];
}

std::vector<std::string> read_queries(const std::string& path, bool first_field) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (first_field) line = line.substr(0, line.find('\t'));
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

pid_t start_server(const std::string& home, const std::string& out, int* port) {
  pid_t pid = ::fork();
  if (pid == 0) {
    // NOLINTNEXTLINE(cppcoreguidelines-owning-memory): the child's stdout, owned by no one
    FILE* f = std::freopen(out.c_str(), "w", stdout);
    (void)f;
    ::execl(TROVE_BIN, TROVE_BIN, "--home", home.c_str(), "-q", "serve", "--port", "0",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 600 && *port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(out);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t at = s.find("http://127.0.0.1:");
    if (at != std::string::npos) std::from_chars(s.data() + at + 17, s.data() + s.size(), *port);
  }
  return pid;
}

}  // namespace

int main(int argc, char** argv) {
  std::string home;
  int k = 10, rounds = 3, clients = 16;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--home") {
      home = next();
    } else if (a == "-k") {
      k = trove::bench::int_arg(next(), "-k");
    } else if (a == "--rounds") {
      rounds = trove::bench::int_arg(next(), "--rounds");
    } else if (a == "--clients") {
      clients = trove::bench::int_arg(next(), "--clients");
    } else {
      std::fprintf(stderr, "usage: serve_bench --home LIBRARY [-k 10] [--rounds 3] [--clients 16]\n");
      return 2;
    }
  }
  auto paths = trove::index::resolve_library_paths(home);
  if (!paths.ok() || !trove::index::library_exists(*paths)) {
    std::fprintf(stderr, "serve_bench: no library at --home %s\n", home.c_str());
    return 2;
  }
  std::vector<std::string> queries =
      read_queries(TROVE_SOURCE_DIR "/../shared/eval/questions-dev.tsv", true);
  for (auto& w : read_queries(TROVE_SOURCE_DIR "/bench/search/word_queries.txt", false))
    queries.push_back(w);
  if (queries.size() > 100) queries.resize(100);

  auto searcher = trove::answer::open_search(*paths, {});
  if (!searcher.ok()) {
    std::fprintf(stderr, "serve_bench: %s\n", searcher.error().message.c_str());
    return 2;
  }
  int port = 0;
  const std::string out = "/tmp/serve_bench." + std::to_string(::getpid());
  pid_t server = start_server(home, out, &port);
  if (port == 0) {
    std::fprintf(stderr, "serve_bench: trove serve did not start\n");
    ::kill(server, SIGTERM);
    return 2;
  }
  httplib::Client c("127.0.0.1", port);
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);
  auto url = [&](const std::string& q) {
    return "/api/search?k=" + std::to_string(k) + "&q=" + httplib::detail::encode_query_param(q);
  };
  // Warm-up: loads the embedding model in both processes.
  for (const auto& q : queries) {
    (void)(*searcher)->search(q, k, {});
    c.Get(url(q).c_str());
  }
  std::vector<double> local, http, ratio;
  std::atomic<int> failures{0};
  for (int r = 0; r < rounds; ++r) {
    for (const auto& q : queries) {
      auto t0 = Clock::now();
      (void)(*searcher)->search(q, k, {});
      auto t1 = Clock::now();
      auto res = c.Get(url(q).c_str());
      auto t2 = Clock::now();
      if (!res || res->status != 200) ++failures;
      local.push_back(ms(t0, t1));
      http.push_back(ms(t1, t2));
      ratio.push_back(ms(t1, t2) / std::max(1e-3, ms(t0, t1)));
    }
  }
  std::vector<std::vector<double>> per(clients);
  std::vector<std::thread> ts;
  auto c0 = Clock::now();
  ts.reserve(clients);
  for (int t = 0; t < clients; ++t) {
    ts.emplace_back([&, t] {
      httplib::Client cc("127.0.0.1", port);
      cc.set_keep_alive(true);
      cc.set_tcp_nodelay(true);
      for (size_t i = 0; i < queries.size(); ++i) {
        const auto& q = queries[(i + static_cast<size_t>(t) * 7) % queries.size()];
        auto a = Clock::now();
        auto res = cc.Get(url(q).c_str());
        per[t].push_back(ms(a, Clock::now()));
        if (!res || res->status != 200) ++failures;
      }
    });
  }
  for (auto& t : ts) t.join();
  const double wall = ms(c0, Clock::now());
  std::vector<double> conc;
  for (auto& v : per) conc.insert(conc.end(), v.begin(), v.end());
  ::kill(server, SIGTERM);
  ::waitpid(server, nullptr, 0);
  std::remove(out.c_str());

  std::printf("mode %s, k %d, %zu queries x %d rounds (turns alternate in-process / HTTP)\n",
              trove::index::search_mode_name((*searcher)->mode()), k, queries.size(), rounds);
  std::printf("in-process search     p50 %7.2f ms  p95 %7.2f ms\n", pct(local, 0.5), pct(local, 0.95));
  std::printf("GET /api/search       p50 %7.2f ms  p95 %7.2f ms  (median ratio %.2fx)\n",
              pct(http, 0.5), pct(http, 0.95), pct(ratio, 0.5));
  std::printf("%d clients at once    p50 %7.2f ms  p95 %7.2f ms  (%zu requests in %.0f ms, %.0f/s)\n",
              clients, pct(conc, 0.5), pct(conc, 0.95), conc.size(), wall,
              conc.size() * 1000.0 / wall);
  std::printf("failed requests: %d\n", failures.load());
  return failures.load() == 0 ? 0 : 1;
}
