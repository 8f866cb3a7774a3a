// tests/serve/http_test.cc — `trove serve` end to end over HTTP on samples/: the API
// finds the fixture document with the CLI's JSON schema, concurrent searches, the
// Host/Origin/token checks, limits, no path traversal, the exit-2 refusal, and a
// server that keeps answering (and a library that stays intact) through 1,000 rapid
// requests, clients that leave mid-stream and a kill -9 mid-request — including mid
// POST /api/index, after which the next `trove index` completes the library.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "../cli/run_process.h"
#include "index/sqlite.h"

namespace trove::testing {
namespace {

using nlohmann::json;
const std::string kSamples = std::string(TROVE_SOURCE_DIR) + "/samples";
const std::string kExpect = "home-network/wireguard-vpn.md";

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool integrity_ok(const std::string& db_path) {
  auto db = index::Db::open(db_path, index::OpenMode::kReadOnly);
  if (!db.ok()) return false;
  auto check = db->prepare("PRAGMA integrity_check");
  return check.ok() && check->step().ok() && check->column_text(0) == "ok";
}

// A running `trove serve --port 0`; stopped (SIGTERM) when destroyed.
class Server {
 public:
  Server(const std::string& home, const std::string& scratch, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--home", home, "serve", "--port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    out_ = scratch + "/serve.out";
    err_ = scratch + "/serve.err";
    pid_ = spawn_trove(args, out_, err_);
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::string o = slurp(out_);
      size_t at = o.find("http://127.0.0.1:");
      if (at != std::string::npos) std::from_chars(o.data() + at + 17, o.data() + o.size(), port_);
    }
  }
  ~Server() { stop(SIGTERM); }
  int stop(int sig) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, sig);
    int rc = wait_exit(pid_);
    pid_ = -1;
    return rc;
  }
  int port() const { return port_; }
  std::string err() const { return slurp(err_); }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string out_, err_;
};

class Http : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    home_ = dir_->path() + "/home";
    auto r = run_trove({"--home", home_, "-q", "index", kSamples}, dir_->path());
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  static void TearDownTestSuite() { dir_.reset(); }
  void SetUp() override {
    server_ = std::make_unique<Server>(home_, dir_->path());
    ASSERT_GT(server_->port(), 0) << server_->err();
  }
  static json get_json(httplib::Client& c, const std::string& path, int* status) {
    auto r = c.Get(path.c_str());
    *status = r ? r->status : -1;
    return r ? json::parse(r->body, nullptr, false) : json();
  }

  static std::unique_ptr<TempDir> dir_;
  static std::string home_;
  std::unique_ptr<Server> server_;
};
std::unique_ptr<TempDir> Http::dir_;
std::string Http::home_;

TEST_F(Http, SearchFindsTheDocumentInTheCliSchema) {
  auto c = server_->client();
  int st = 0;
  json body = get_json(c, "/api/search?q=wireguard%20tunnel&k=5", &st);
  ASSERT_EQ(st, 200) << body.dump();
  ASSERT_FALSE(body["results"].empty());
  EXPECT_TRUE(ends_with(body["results"][0]["path"], kExpect)) << body["results"][0]["path"];

  // Same fields, same values as `trove search --json` for the same query.
  auto cli = run_trove({"--home", home_, "search", "wireguard", "tunnel", "-k", "5", "--json"},
                       dir_->path());
  ASSERT_EQ(cli.rc, 0) << cli.err;
  json first = json::parse(lines_of(cli.out)[0]);
  for (const auto& [key, value] : first.items()) {
    if (key == "mode" || key == "json_version") {  // the reply's, not each hit's
      EXPECT_EQ(body[key], value) << key;
      continue;
    }
    ASSERT_TRUE(body["results"][0].contains(key)) << key;
    if (key == "score") {  // the CLI prints 6 significant digits
      EXPECT_NEAR(body["results"][0][key].get<double>(), value.get<double>(),
                  1e-5 * std::abs(value.get<double>()));
    } else {
      EXPECT_EQ(body["results"][0][key], value) << key;
    }
  }
}

TEST_F(Http, StatusIsTheCliObjectPlusWhatOnlyTheServerKnows) {
  auto cli = run_trove({"--home", home_, "status", "--json"}, dir_->path());
  ASSERT_EQ(cli.rc, 0) << cli.err;
  const json want = json::parse(cli.out);
  auto c = server_->client();
  int st = 0;
  const json got = get_json(c, "/api/status", &st);
  ASSERT_EQ(st, 200);
  for (const auto& [key, value] : want.items()) EXPECT_TRUE(got.contains(key)) << key;
  for (const char* key : {"home", "documents", "chunks", "failed", "sources", "types", "runs"})
    EXPECT_EQ(got[key], want[key]) << key;
  EXPECT_FALSE(got["indexing"].get<bool>());
  EXPECT_TRUE(got["models"].contains("answer"));
  EXPECT_TRUE(got["models"].contains("embed"));
}

TEST_F(Http, PassageWithNeighboursAndDocument) {
  auto c = server_->client();
  int st = 0;
  json s = get_json(c, "/api/search?q=wireguard", &st);
  ASSERT_EQ(st, 200);
  const int64_t id = s["results"][0]["chunk_id"];
  json p = get_json(c, "/api/passage/" + std::to_string(id) + "?neighbours=2", &st);
  ASSERT_EQ(st, 200) << p.dump();
  EXPECT_EQ(p["passage"]["chunk_id"], id);
  EXPECT_FALSE(p["passage"]["text"].get<std::string>().empty());
  for (const auto& n : p["before"]) EXPECT_EQ(n["path"], p["passage"]["path"]);
  for (const auto& n : p["after"]) EXPECT_EQ(n["path"], p["passage"]["path"]);
  json d = get_json(c, "/api/document?path=" + httplib::detail::encode_query_param(p["passage"]["path"]), &st);
  ASSERT_EQ(st, 200) << d.dump();
  bool has = false;
  for (const auto& h : d["passages"]) has = has || h["chunk_id"] == id;
  EXPECT_TRUE(has);
  EXPECT_EQ(get_json(c, "/api/passage/999999999", &st).contains("error"), true);
  EXPECT_EQ(st, 404);
}

TEST_F(Http, SixteenConcurrentSearchesAllAnswer) {
  std::atomic<int> ok{0}, found{0};
  std::vector<std::thread> ts;
  const char* queries[] = {"wireguard", "sourdough starter", "deposit landlord", "bike puncture"};
  ts.reserve(16);
  for (int i = 0; i < 16; ++i) {
    ts.emplace_back([&, i] {
      auto c = server_->client();
      auto r = c.Get(("/api/search?q=" + httplib::detail::encode_query_param(queries[i % 4])).c_str());
      if (r && r->status == 200) {
        ++ok;
        json b = json::parse(r->body, nullptr, false);
        if (b.is_object() && !b["results"].empty()) ++found;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 16);
  EXPECT_EQ(found.load(), 16);
}

TEST_F(Http, ForeignHostAndOriginAreRefused) {
  auto c = server_->client();
  auto r = c.Get("/api/status", {{"Host", "evil.example:" + std::to_string(server_->port())}});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->status == 421 || r->status == 403) << r->status;
  auto o = c.Post("/api/ask", {{"Origin", "http://evil.example"}}, R"({"question":"x"})",
                  "application/json");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->status, 403);
  auto mine = c.Get("/api/status", {{"Origin", "http://127.0.0.1:" + std::to_string(server_->port())}});
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->status, 200);
  EXPECT_FALSE(mine->has_header("Access-Control-Allow-Origin"));  // CORS stays off
}

TEST_F(Http, TraversalAndUnknownPathsAre404) {
  auto c = server_->client();
  const std::string doc = kSamples + "/garden-log.md";
  for (const std::string& p :
       {std::string("/api/document?path=../../../../etc/passwd"), std::string("/api/document?path=/etc/passwd"),
        "/api/document?path=" + httplib::detail::encode_query_param(kSamples + "/../samples/garden-log.md"),
        "/api/document?path=" + httplib::detail::encode_query_param(home_ + "/trove.db"),
        std::string("/../../etc/passwd"), std::string("/%2e%2e/%2e%2e/etc/passwd"),
        std::string("/trove.db"), std::string("/api/"), std::string("/samples/")}) {
    auto r = c.Get(p.c_str());
    ASSERT_TRUE(r) << p;
    EXPECT_EQ(r->status, 404) << p << " " << r->body;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << p;
  }
  auto ok = c.Get(("/api/document?path=" + httplib::detail::encode_query_param(doc)).c_str());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(Http, LimitsGiveClear4xx) {
  auto c = server_->client();
  int st = 0;
  json big_k = get_json(c, "/api/search?q=x&k=100000", &st);
  EXPECT_EQ(st, 400);
  EXPECT_NE(big_k["error"].get<std::string>().find("k must be"), std::string::npos);
  get_json(c, "/api/search?q=" + std::string(5000, 'a'), &st);
  EXPECT_EQ(st, 400);
  get_json(c, "/api/search?q=", &st);
  EXPECT_EQ(st, 400);
  auto huge = c.Post("/api/ask", std::string(1 << 20, ' '), "application/json");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  auto bad = c.Post("/api/ask", "{nope", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto index_path = c.Post("/api/index", R"({"paths":["/etc"]})", "application/json");
  ASSERT_TRUE(index_path);
  EXPECT_EQ(index_path->status, 400);
}

TEST_F(Http, PageIsServedWithCspAndMcpGetIs405) {
  auto c = server_->client();
  auto r = c.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_NE(r->body.find("id=\"q\""), std::string::npos);
  auto m = c.Get("/mcp");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 405);
}

// The API's documents are versioned; MCP's JSON-RPC messages are not ours to
// extend: the MCP SDK client rejects a reply with any key JSON-RPC lacks.
TEST_F(Http, McpRepliesCarryOnlyJsonRpcKeys) {
  auto c = server_->client();
  for (const char* body : {R"({"jsonrpc":"2.0","id":1,"method":"ping"})",
                           R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", "not json"}) {
    auto r = c.Post("/mcp", body, "application/json");
    ASSERT_TRUE(r);
    const json reply = json::parse(r->body, nullptr, false);
    ASSERT_TRUE(reply.is_object()) << r->body;
    for (const auto& item : reply.items()) {
      const std::string& key = item.key();
      EXPECT_TRUE(key == "jsonrpc" || key == "id" || key == "result" || key == "error")
          << key << " in " << r->body;
    }
  }
}

TEST_F(Http, AskStreamsSourcesThenDoneWithoutAModel) {
  auto c = server_->client();
  std::string stream;
  auto r = c.Post("/api/ask", {{"Accept", "text/event-stream"}},
                  R"({"question":"how is the wireguard tunnel set up?"})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const size_t sources = r->body.find("event: sources");
  const size_t done = r->body.find("event: done");
  ASSERT_NE(sources, std::string::npos) << r->body;
  ASSERT_NE(done, std::string::npos) << r->body;
  EXPECT_LT(sources, done);
  EXPECT_NE(r->body.find(kExpect), std::string::npos);
  EXPECT_NE(r->body.find("\"extractive\":true"), std::string::npos);
}

TEST_F(Http, IndexRunStreamsProgressAndDone) {
  auto c = server_->client();
  auto r = c.Post("/api/index", "{}", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("event: done"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("\"unchanged\":14"), std::string::npos) << r->body;
}

TEST_F(Http, ThousandRapidRequestsAndClientsLeavingMidStream) {
  // Clients that send an ask and hang up before reading the stream.
  for (int i = 0; i < 20; ++i) {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(0, 1000);  // 1 ms: gives up at once
    c.Post("/api/ask", {{"Accept", "text/event-stream"}}, R"({"question":"wireguard router"})",
           "application/json");
  }
  std::atomic<int> ok{0};
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&, t] {
      auto c = server_->client();
      for (int i = 0; i < 250; ++i) {
        const char* p = (i + t) % 3 == 0 ? "/api/status" : (i % 2 ? "/api/search?q=wireguard" : "/api/search?q=sourdough");
        auto r = c.Get(p);
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 1000);
  EXPECT_TRUE(integrity_ok(home_ + "/trove.db"));
  auto c = server_->client();
  int st = 0;
  json s = get_json(c, "/api/search?q=wireguard", &st);
  EXPECT_EQ(st, 200);
  EXPECT_FALSE(s["results"].empty());
}

TEST_F(Http, KillMidRequestLeavesTheLibraryIntact) {
  std::thread load([port = server_->port()] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(2, 0);
    for (int i = 0; i < 200; ++i)
      if (!c.Get("/api/search?q=wireguard%20tunnel%20router")) break;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  server_->stop(SIGKILL);
  load.join();
  auto db = index::Db::open(home_ + "/trove.db", index::OpenMode::kReadOnly);
  ASSERT_TRUE(db.ok());
  auto check = db->prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  ASSERT_TRUE(*check->step());
  EXPECT_EQ(check->column_text(0), "ok");
  auto cli = run_trove({"--home", home_, "search", "wireguard", "--json"}, dir_->path());
  EXPECT_EQ(cli.rc, 0) << cli.err;
  server_ = std::make_unique<Server>(home_, dir_->path());  // and it starts again
  auto c = server_->client();
  int st = 0;
  get_json(c, "/api/status", &st);
  EXPECT_EQ(st, 200);
}

// The one request that writes: kill -9 the server while POST /api/index is indexing,
// and the library is still sound, and the next `trove index` completes it.
TEST(HttpIndexKill, KillDuringAnIndexRunLeavesALibraryTheNextRunCompletes) {
  TempDir d;
  const std::string home = d.path() + "/home", notes = d.path() + "/notes";
  std::filesystem::create_directories(notes);
  std::ofstream(notes + "/first.md") << "# First\n\nThe first note.\n";
  ASSERT_EQ(run_trove({"--home", home, "-q", "index", notes}, d.path()).rc, 0);
  constexpr int kFiles = 1500;
  for (int i = 0; i < kFiles; ++i) {
    std::ofstream(notes + "/n" + std::to_string(i) + ".md")
        << "# Note " << i << "\n\nMarker word zq" << i << "x about topic " << i % 17 << ".\n";
  }
  Server s(home, d.path());
  ASSERT_GT(s.port(), 0) << s.err();
  std::atomic<bool> progressed{false};
  std::thread run([&] {
    httplib::Client c("127.0.0.1", s.port());
    c.set_read_timeout(30, 0);
    httplib::Request req;
    req.method = "POST";
    req.path = "/api/index";
    req.headers = {{"Content-Type", "application/json"}};
    req.body = "{}";
    std::string got;
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      got.append(data, n);
      // Past a third of the files, so some batches are committed and some are not.
      const size_t at = got.rfind("\"files_done\":");
      int done = 0;  // stays 0 while the number has not arrived yet
      if (at != std::string::npos) {
        std::from_chars(got.data() + at + 13, got.data() + got.size(), done);
      }
      if (done >= kFiles / 3) progressed = true;
      return true;
    };
    c.send(req);  // ends when the server dies
  });
  for (int i = 0; i < 6000 && !progressed; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  s.stop(SIGKILL);
  run.join();
  EXPECT_TRUE(progressed.load()) << "the run ended before it could be killed";
  EXPECT_TRUE(integrity_ok(home + "/trove.db"));
  {
    // Killed mid-run: not every note is in yet (else this test proves nothing).
    auto db = index::Db::open(home + "/trove.db", index::OpenMode::kReadOnly);
    ASSERT_TRUE(db.ok());
    auto n = index::query_int(*db, "SELECT count(*) FROM documents");
    ASSERT_TRUE(n.ok());
    EXPECT_LT(*n, kFiles + 1) << "the run finished before the kill";
    std::printf("killed with %lld of %d documents in\n", static_cast<long long>(*n), kFiles + 1);
  }
  auto again = run_trove({"--home", home, "index", "--json"}, d.path());
  ASSERT_EQ(again.rc, 0) << again.err << again.out;
  auto st = run_trove({"--home", home, "status", "--json"}, d.path());
  ASSERT_EQ(st.rc, 0) << st.err;
  EXPECT_EQ(json::parse(st.out)["documents"], kFiles + 1) << st.out;
  auto hit = run_trove({"--home", home, "search", "zq" + std::to_string(kFiles - 1) + "x", "--json"},
                       d.path());
  EXPECT_EQ(hit.rc, 0) << hit.err;
  EXPECT_NE(hit.out.find("n" + std::to_string(kFiles - 1) + ".md"), std::string::npos) << hit.out;
}

// With an answer model (the tiny fixture model: real vocabulary, nonsense text).
TEST(HttpAnswerModel, AskStreamsTokensAndSurvivesClientsThatLeave) {
  const std::string qwen =
      std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/models/qwen2-bpe-q4_k_m.gguf";
  TempDir d;
  const std::string home = d.path() + "/home";
  ASSERT_EQ(run_trove({"--home", home, "-q", "index", kSamples}, d.path()).rc, 0);
  Server s(home, d.path(), {"--model", qwen});
  ASSERT_GT(s.port(), 0) << s.err();
  const std::string q = R"({"question":"how is the wireguard tunnel set up?","max_tokens":24})";

  // A client that hangs up after the first token: generation stops, the model's turn
  // is released, and the next question is answered.
  for (int i = 0; i < 3; ++i) {
    auto c = s.client();
    std::string got;
    httplib::Request req;
    req.method = "POST";
    req.path = "/api/ask";
    req.headers = {{"Accept", "text/event-stream"}, {"Content-Type", "application/json"}};
    req.body = q;
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      got.append(data, n);
      return got.find("event: token") == std::string::npos;  // leave at the first token
    };
    auto res = c.send(req);
    EXPECT_NE(got.find("event: sources"), std::string::npos) << got;
  }
  auto c = s.client();
  auto r = c.Post("/api/ask", {{"Accept", "text/event-stream"}}, q, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const size_t token = r->body.find("event: token");
  const size_t done = r->body.find("event: done");
  ASSERT_NE(token, std::string::npos) << r->body;
  ASSERT_NE(done, std::string::npos) << r->body;
  EXPECT_LT(token, done);
  EXPECT_NE(r->body.find("\"model\":\"qwen2-bpe-q4_k_m.gguf\""), std::string::npos);

  // MCP lists ask now that a model is configured.
  auto tools = c.Post("/mcp", R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})", "application/json");
  ASSERT_TRUE(tools);
  EXPECT_NE(tools->body.find("\"name\":\"ask\""), std::string::npos) << tools->body;
}

TEST(HttpRefusal, NonLoopbackWithoutTokenExits2) {
  TempDir d;
  for (std::vector<std::string> args :
       {std::vector<std::string>{"serve", "--host", "0.0.0.0"},
        std::vector<std::string>{"mcp", "--http", "--host", "0.0.0.0"}}) {
    args.insert(args.begin(), {"--home", d.path() + "/home"});
    auto r = run_trove(args, d.path());
    EXPECT_EQ(r.rc, 2) << r.err;
    EXPECT_NE(r.err.find("--token"), std::string::npos) << r.err;
  }
}

TEST(HttpToken, EveryApiRequestNeedsTheBearerToken) {
  TempDir d;
  auto idx = run_trove({"--home", d.path() + "/home", "-q", "index", kSamples}, d.path());
  ASSERT_EQ(idx.rc, 0) << idx.err;
  Server s(d.path() + "/home", d.path(), {"--token", "t0ps3cret"});
  ASSERT_GT(s.port(), 0) << s.err();
  auto c = s.client();
  for (const char* p : {"/api/status", "/api/search?q=wireguard", "/api/passage/1"}) {
    auto none = c.Get(p);
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 401) << p;
    auto wrong = c.Get(p, {{"Authorization", "Bearer nope"}});
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 401) << p;
  }
  auto mcp = c.Post("/mcp", R"({"jsonrpc":"2.0","id":1,"method":"ping"})", "application/json");
  ASSERT_TRUE(mcp);
  EXPECT_EQ(mcp->status, 401);
  auto ok = c.Get("/api/search?q=wireguard", {{"Authorization", "Bearer t0ps3cret"}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

}  // namespace
}  // namespace trove::testing
