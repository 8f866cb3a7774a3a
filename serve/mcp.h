// serve/mcp.h — the Model Context Protocol server, transport-agnostic.
//
//   serve::McpServer mcp(service);
//   std::optional<json> reply = mcp.handle(message, notify);  // nullopt for notifications
//
// JSON-RPC 2.0: requests get a result or an error; notifications get nothing; a batch
// (array) gets an array. The protocol version is negotiated in `initialize`: a version
// we speak is echoed, anything else is answered with the newest we speak, and the
// client decides. Tools: search, get, status, and ask when an answer model is
// configured (it sends notifications/progress through `notify` when the request
// carries _meta.progressToken). Resources: every indexed document as trove://doc/ID.
// A failing tool is a result with isError and a clear text, never a dead server; an
// unknown method or tool is a JSON-RPC error.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "serve/json_schema.h"
#include "serve/service.h"

namespace trove::serve {

// Newest first.
const std::vector<std::string>& mcp_protocol_versions();

class McpServer {
 public:
  explicit McpServer(Service& service) : service_(service) {}

  using Notify = std::function<void(const json& notification)>;
  std::optional<json> handle(const json& message, const Notify& notify);
  // Parses a line/body first; a parse error gets the JSON-RPC parse error reply.
  std::optional<json> handle_text(const std::string& text, const Notify& notify);

 private:
  std::optional<json> handle_one(const json& msg, const Notify& notify);
  json dispatch(const std::string& method, const json& params, const Notify& notify);
  json initialize(const json& params);
  json tools_list();
  json tools_call(const json& params, const Notify& notify);
  json resources_list(const json& params);
  json resources_read(const json& params);

  json tool_search(const json& args);
  json tool_get(const json& args);
  json tool_status();
  json tool_ask(const json& args, const json& progress_token, const Notify& notify);

  Service& service_;
};

// A JSON-RPC error, thrown inside dispatch and turned into the error reply.
struct RpcError {
  int code;
  std::string message;
};

}  // namespace trove::serve
