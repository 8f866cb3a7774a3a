// tests/serve/mcp_protocol_test.cc — JSON-RPC and MCP handling (serve/mcp.h) on a
// library that does not exist yet: the server answers every message, never dies.
#include <gtest/gtest.h>

#include "../cli/run_process.h"
#include "serve/mcp.h"

namespace trove::serve {
namespace {

class Mcp : public ::testing::Test {
 protected:
  Mcp() : svc_(paths(), {}), mcp_(svc_) {}
  index::LibraryPaths paths() {
    auto p = index::resolve_library_paths(dir_.path() + "/home");
    return *p;
  }
  json call(const std::string& text) {
    auto r = mcp_.handle_text(text, {});
    return r ? *r : json(nullptr);
  }
  trove::testing::TempDir dir_;
  Service svc_;
  McpServer mcp_;
};

TEST_F(Mcp, NegotiatesTheProtocolVersion) {
  json r = call(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
  EXPECT_EQ(r["result"]["protocolVersion"], "2025-03-26");
  EXPECT_EQ(r["result"]["serverInfo"]["name"], "trove");
  EXPECT_TRUE(r["result"]["capabilities"].contains("tools"));
  json newer = call(R"({"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2999-01-01"}})");
  EXPECT_EQ(newer["result"]["protocolVersion"], mcp_protocol_versions().front());
}

TEST_F(Mcp, JsonRpcErrors) {
  EXPECT_EQ(call("{not json")["error"]["code"], -32700);
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":3,"method":"nope"})")["error"]["code"], -32601);
  EXPECT_EQ(call(R"({"id":4,"method":"ping"})")["error"]["code"], -32600);
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"rm"}})")["error"]["code"], -32602);
  EXPECT_TRUE(call(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").is_null());
  json ping = call(R"({"jsonrpc":"2.0","id":"x","method":"ping"})");
  EXPECT_EQ(ping["id"], "x");
  EXPECT_TRUE(ping["result"].is_object());
}

TEST_F(Mcp, BatchesGetOneReplyPerRequest) {
  json r = call(R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"},{"jsonrpc":"2.0","id":2,"method":"ping"}])");
  ASSERT_TRUE(r.is_array());
  EXPECT_EQ(r.size(), 2u);
}

TEST_F(Mcp, ToolsHaveSchemasAndAskOnlyWithAModel) {
  json r = call(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  std::vector<std::string> names;
  for (const auto& t : r["result"]["tools"]) {
    names.push_back(t["name"]);
    EXPECT_EQ(t["inputSchema"]["type"], "object") << t["name"];
    EXPECT_GT(t["description"].get<std::string>().size(), 20u);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"search", "get", "status"}));  // no model here
}

TEST_F(Mcp, FailingToolsAreToolErrors) {
  json r = call(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{}}})");
  EXPECT_EQ(r["result"]["isError"], true);
  EXPECT_NE(r["result"]["content"][0]["text"].get<std::string>().find("query"), std::string::npos);
  json g = call(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get","arguments":{"chunk_id":7}}})");
  EXPECT_EQ(g["result"]["isError"], true);
  EXPECT_NE(g["result"]["content"][0]["text"].get<std::string>().find("empty"), std::string::npos);
  json ask = call(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"ask","arguments":{"question":"x"}}})");
  EXPECT_EQ(ask["result"]["isError"], true);
  json read = call(R"({"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"trove://doc/../../etc/passwd"}})");
  EXPECT_EQ(read["error"]["code"], -32002);
  // Still answering.
  EXPECT_TRUE(call(R"({"jsonrpc":"2.0","id":5,"method":"ping"})").contains("result"));
}

}  // namespace
}  // namespace trove::serve
