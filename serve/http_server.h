// serve/http_server.h — `trove serve` and `trove mcp --http`: one cpp-httplib server.
//
// Routes (enabled by HttpOptions):
//   web:  GET / (the page), /app.js, /app.css; GET /api/search?q&k&mode&path&type&source;
//         GET /api/passage/ID?neighbours=N; GET /api/document?path|id&page;
//         GET /api/status; POST /api/ask (SSE: sources, token…, a sentence event with
//         its verdict after each sentence, done | error);
//         POST /api/index (SSE: progress…, done | error; one run at a time)
//   mcp:  POST /mcp (MCP streamable HTTP: JSON reply, or SSE when ask streams
//         progress); GET/DELETE /mcp → 405 (no server-initiated stream, no sessions)
// Every request passes the checks in serve/security.h first (Host, Origin, Bearer),
// then the limits: body size (413), in-flight requests (503), query length and k
// (400). Anything else is 404 — there is no file serving and no directory listing.
// The JSON bodies use the CLI's --json schema (serve/json_schema.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "serve/mcp.h"
#include "serve/service.h"

namespace trove::serve {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8765;  // 0: any free port (printed when listening)
  std::string token;
  std::vector<std::string> allow_hosts;
  bool web = true;  // the API and the page
  bool mcp = true;  // POST /mcp
  int threads = 32;
  int max_in_flight = 64;
  size_t max_body_bytes = size_t{64} * 1024;
  // Called once the socket is bound, with the URL (e.g. to print it).
  std::function<void(const std::string& url)> on_listening;
};

// Serves until SIGINT or SIGTERM. Returns the process exit code (2 when the address
// cannot be bound).
int run_http_server(Service& service, McpServer& mcp, const HttpOptions& options);

// The embedded page (serve/web_page.cc).
const std::string& web_page_html();
const std::string& web_page_js();
const std::string& web_page_css();

}  // namespace trove::serve
