// tests/ask/serve_ask_test.cc — `ask` over the servers carries the verifier's verdict
// on every sentence: MCP over stdio (a progress notification per checked sentence,
// then the tool result with the verdicts in structuredContent and the unsupported
// sentences named in its text) and POST /api/ask (a `sentence` event per checked
// sentence, then `done` with the `trove ask --json` object), and MCP over streamable
// HTTP (the same notifications as SSE before the result). Generation is scripted
// (trove_scripted, see tests/ask/scripted_generator.cc); retrieval, the fixture
// model's tokenizer and chat template, the citation filter and the verifier are real.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/fixtures.h"
#include "tests/support/process.h"

namespace fs = std::filesystem;
using nlohmann::json;
using trove::testing::TempDir;

namespace {

const std::string kPassage = "Snapshots are kept for 30 days and then pruned by the nightly job.";
const std::string kScript =
    "Snapshots are kept for 30 days [1]. They are kept for 90 days [1]. I like backups.";
const std::string kQuestion = "how long are snapshots kept";

class ServeAskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() + "/home";
    const std::string docs = dir_.path() + "/notes";
    fs::create_directories(docs);
    std::ofstream(docs + "/backup.md") << "# Backups\n\n" << kPassage << "\n";
    std::ofstream(docs + "/vpn.md") << "# VPN\n\nThe WireGuard tunnel listens on port 51820.\n";
    std::ofstream(dir_.path() + "/script", std::ios::binary) << kScript;
    const int rc = trove::testing::wait_exit(spawn({"index", docs, "--quiet"}, "/dev/null"));
    ASSERT_EQ(rc, 0) << trove::testing::slurp(err_path());
  }

  std::string err_path() const { return dir_.path() + "/err"; }

  // trove_scripted with generation scripted by kScript; stdin from `in`, stdout to out.
  pid_t spawn(const std::vector<std::string>& args, const std::string& in) {
    const std::string script = dir_.path() + "/script", out = dir_.path() + "/out";
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setenv("TROVE_TEST_SCRIPT", script.c_str(), 1);
      std::vector<std::string> all = {TROVE_SCRIPTED_BIN, "--home", home_};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      argv.reserve(all.size());
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      // NOLINTBEGIN(cppcoreguidelines-owning-memory): the child's standard streams, owned by no one
      if (!std::freopen(in.c_str(), "r", stdin) || !std::freopen(out.c_str(), "w", stdout) ||
          !std::freopen(err_path().c_str(), "w", stderr))
        ::_exit(126);
      // NOLINTEND(cppcoreguidelines-owning-memory)
      ::execv(TROVE_SCRIPTED_BIN, argv.data());
      ::_exit(127);
    }
    return pid;
  }

  std::string out() const { return trove::testing::slurp(dir_.path() + "/out"); }

  TempDir dir_;
  std::string home_;
  std::string model_ = trove::testing::fixture_model("qwen2-bpe-q4_k_m.gguf");
};

// The verdicts the verifier gives kScript against kPassage (as `trove ask --json`
// reports them in tests/ask/ask_verify_test.cc).
void expect_verdicts(const json& d) {
  ASSERT_TRUE(d.contains("sentences")) << d.dump();
  const json& s = d["sentences"];
  ASSERT_EQ(s.size(), 3u) << d.dump();
  EXPECT_EQ(s[0]["verdict"], "supported");
  EXPECT_EQ(s[0]["citations"], json::array({1}));
  ASSERT_FALSE(s[0]["evidence"].empty());
  EXPECT_NE(kPassage.find(s[0]["evidence"][0]["quote"].get<std::string>()), std::string::npos);
  EXPECT_EQ(s[1]["verdict"], "unsupported");
  EXPECT_EQ(s[1]["kind"], "wrong-number");
  EXPECT_EQ(s[2]["verdict"], "uncited");
  EXPECT_EQ(d["supported"], 1);
  EXPECT_EQ(d["total"], 3);
  EXPECT_EQ(d["answer"], d["generated"]);
  ASSERT_EQ(d["sources"].size(), 1u);
  EXPECT_EQ(d["sources"][0]["text"], kPassage);
}

TEST_F(ServeAskTest, McpStdioAskCarriesVerdictsPerSentence) {
  const std::string in = dir_.path() + "/in";
  json call = {{"jsonrpc", "2.0"},
               {"id", 2},
               {"method", "tools/call"},
               {"params",
                {{"name", "ask"},
                 {"arguments", {{"question", kQuestion}}},
                 {"_meta", {{"progressToken", "t1"}}}}}};
  std::ofstream(in) << R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"
                    << "\n"
                    << R"({"jsonrpc":"2.0","method":"notifications/initialized"})" << "\n"
                    << call.dump() << "\n";
  const int rc = trove::testing::wait_exit(spawn({"mcp", "--model", model_}, in));
  ASSERT_EQ(rc, 0) << trove::testing::slurp(err_path());
  std::vector<json> progress;
  json result;
  for (const auto& line : trove::testing::lines_of(out())) {
    json m = json::parse(line);
    if (m.value("method", "") == "notifications/progress") progress.push_back(m["params"]);
    if (m.contains("id") && m["id"] == 2) result = m["result"];
  }
  ASSERT_FALSE(result.is_null()) << out();
  EXPECT_FALSE(result["isError"].get<bool>()) << result.dump();
  expect_verdicts(result["structuredContent"]);
  // The text an assistant reads says what is not supported, and why.
  const std::string text = result["content"][0]["text"];
  EXPECT_NE(text.find("1 of 3 sentences supported"), std::string::npos) << text;
  EXPECT_NE(text.find("unsupported (wrong-number)"), std::string::npos) << text;
  EXPECT_NE(text.find("They are kept for 90 days [1]."), std::string::npos) << text;
  EXPECT_NE(text.find("uncited: I like backups."), std::string::npos) << text;
  // Progress: retrieval, then each sentence as checked, the unsupported ones marked.
  ASSERT_EQ(progress.size(), 4u) << out();
  EXPECT_EQ(progress[1]["message"], "Snapshots are kept for 30 days [1].");
  EXPECT_NE(progress[2]["message"].get<std::string>().find("[unsupported: wrong-number"),
            std::string::npos);
  EXPECT_EQ(progress[3]["message"], "I like backups. [uncited]");
  for (const auto& p : progress) EXPECT_EQ(p["progressToken"], "t1");
}

// Server-sent events: "event: NAME\ndata: JSON\n\n".
std::vector<std::pair<std::string, json>> sse_events(const std::string& body) {
  std::vector<std::pair<std::string, json>> events;
  size_t at = 0;
  while ((at = body.find("event: ", at)) != std::string::npos) {
    const size_t nl = body.find('\n', at);
    const size_t data = body.find("data: ", nl);
    const size_t end = body.find("\n\n", data);
    if (nl == std::string::npos || data == std::string::npos || end == std::string::npos) break;
    events.emplace_back(body.substr(at + 7, nl - at - 7), json::parse(body.substr(data + 6, end - data - 6)));
    at = end;
  }
  return events;
}

// The port a server just started by spawn() prints on stdout; 0 if it does not.
int wait_for_port(const std::function<std::string()>& out) {
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string o = out();
    const size_t at = o.find("http://127.0.0.1:");
    if (at != std::string::npos) {
      int port = 0;
      std::from_chars(o.data() + at + 17, o.data() + o.size(), port);
      return port;
    }
  }
  return 0;
}

TEST_F(ServeAskTest, HttpAskStreamsASentenceEventPerVerdictThenDone) {
  pid_t pid = spawn({"serve", "--port", "0", "--model", model_}, "/dev/null");
  const int port = wait_for_port([this] { return out(); });
  ASSERT_GT(port, 0) << trove::testing::slurp(err_path());
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(60, 0);
  const std::string q = json{{"question", kQuestion}}.dump();
  auto r = c.Post("/api/ask", {{"Accept", "text/event-stream"}}, q, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto events = sse_events(r->body);
  std::vector<json> sentences;
  json done;
  for (const auto& [name, data] : events) {
    if (name == "sentence") sentences.push_back(data);
    if (name == "done") done = data;
  }
  ASSERT_EQ(sentences.size(), 3u) << r->body;
  EXPECT_EQ(sentences[0]["verdict"], "supported");
  EXPECT_EQ(sentences[1]["verdict"], "unsupported");
  EXPECT_EQ(sentences[1]["kind"], "wrong-number");
  EXPECT_FALSE(sentences[1]["reason"].get<std::string>().empty());
  EXPECT_EQ(sentences[2]["verdict"], "uncited");
  for (const auto& s : sentences) EXPECT_TRUE(s["shown"].get<bool>());
  ASSERT_FALSE(done.is_null()) << r->body;
  expect_verdicts(done);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().first, "sources");
  EXPECT_EQ(events.back().first, "done");

  // strict: the unsupported sentences are streamed as not shown and left out.
  auto s = c.Post("/api/ask", {{"Accept", "text/event-stream"}},
                  json{{"question", kQuestion}, {"strict", true}}.dump(), "application/json");
  ASSERT_TRUE(s);
  json strict_done;
  int hidden = 0;
  for (const auto& [name, data] : sse_events(s->body)) {
    if (name == "sentence" && !data["shown"].get<bool>()) ++hidden;
    if (name == "done") strict_done = data;
  }
  EXPECT_EQ(hidden, 2) << s->body;
  EXPECT_EQ(strict_done["answer"], "Snapshots are kept for 30 days [1].");

  // And the same object as JSON when the client asks for JSON.
  auto j = c.Post("/api/ask", {{"Accept", "application/json"}}, q, "application/json");
  ASSERT_TRUE(j);
  ASSERT_EQ(j->status, 200);
  expect_verdicts(json::parse(j->body));
  ::kill(pid, SIGTERM);
  EXPECT_EQ(trove::testing::wait_exit(pid), 0);
}

// MCP's streamable HTTP transport: ask answers as SSE, progress notifications (one
// per checked sentence) before the result, which carries the verdicts.
TEST_F(ServeAskTest, McpHttpAskStreamsProgressThenVerdicts) {
  pid_t pid = spawn({"mcp", "--http", "--port", "0", "--model", model_}, "/dev/null");
  const int port = wait_for_port([this] { return out(); });
  ASSERT_GT(port, 0) << trove::testing::slurp(err_path());
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(60, 0);
  json call = {{"jsonrpc", "2.0"},
               {"id", 5},
               {"method", "tools/call"},
               {"params",
                {{"name", "ask"},
                 {"arguments", {{"question", kQuestion}, {"strict", true}}},
                 {"_meta", {{"progressToken", 9}}}}}};
  auto r = c.Post("/mcp", {{"Accept", "application/json, text/event-stream"}}, call.dump(),
                  "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  std::vector<json> progress;
  json result;
  for (const auto& [name, m] : sse_events(r->body)) {
    EXPECT_EQ(name, "message");
    if (m.value("method", "") == "notifications/progress") {
      EXPECT_TRUE(result.is_null()) << "a notification after the result";
      progress.push_back(m["params"]);
    }
    if (m.contains("id") && m["id"] == 5) result = m["result"];
  }
  ASSERT_FALSE(result.is_null()) << r->body;
  // strict: only the supported sentence is streamed and kept; all three are judged.
  ASSERT_EQ(progress.size(), 2u) << r->body;
  EXPECT_EQ(progress[1]["message"], "Snapshots are kept for 30 days [1].");
  const json& d = result["structuredContent"];
  EXPECT_EQ(d["answer"], "Snapshots are kept for 30 days [1].");
  ASSERT_EQ(d["sentences"].size(), 3u);
  EXPECT_EQ(d["sentences"][1]["kind"], "wrong-number");
  EXPECT_FALSE(d["sentences"][1]["shown"].get<bool>());
  EXPECT_NE(result["content"][0]["text"].get<std::string>().find("left out"), std::string::npos);
  ::kill(pid, SIGTERM);
  EXPECT_EQ(trove::testing::wait_exit(pid), 0);
}

}  // namespace
