// cli/cmd_mcp.cc — `trove mcp`: the MCP server for assistants (serve/mcp.h), over stdio
// by default or, with --http, the streamable HTTP transport at http://HOST:PORT/mcp.
// stdout carries only protocol messages; diagnostics go to stderr.
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/server_flags.h"
#include "index/library.h"
#include "serve/http_server.h"
#include "serve/mcp.h"
#include "serve/mcp_stdio.h"
#include "serve/service.h"

namespace trove::cli {
namespace {

struct McpArgs {
  ServerFlags server;
  bool http = false;
};

int run_mcp(const McpArgs& a, const GlobalOptions& g) {
  serve::HttpOptions http;
  if (a.http) {
    if (std::string why = resolve_server_flags(a.server, http); !why.empty()) {
      std::fprintf(stderr, "trove: %s\n", why.c_str());
      return 2;
    }
  }
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) {
    std::fprintf(stderr, "trove: %s\n", paths.error().message.c_str());
    return 2;
  }
  serve::ServiceOptions so;
  so.mode = a.server.mode;
  so.answer_model = a.server.model;
  so.threads = a.server.threads;
  serve::Service service(*paths, so);
  serve::McpServer mcp(service);
  if (!a.http) return serve::run_mcp_stdio(mcp, stdin, stdout);
  http.web = false;
  http.on_listening = [&](const std::string& url) {
    std::printf("trove mcp: listening on %smcp (library %s)\n", url.c_str(), paths->home.c_str());
    std::fflush(stdout);
  };
  return serve::run_http_server(service, mcp, http);
}

RunFn setup_mcp(CLI::App& app, const GlobalOptions& global) {
  auto a = std::make_shared<McpArgs>();
  CLI::App* cmd = app.add_subcommand(
      "mcp", "Model Context Protocol server for assistants (stdio; --http for HTTP)");
  cmd->add_flag("--http", a->http, "Serve MCP over streamable HTTP at /mcp instead of stdio");
  add_server_flags(cmd, a->server, 8766);
  return [a, &global] { return run_mcp(*a, global); };
}

TROVE_REGISTER_COMMAND("mcp", 61, setup_mcp);

}  // namespace
}  // namespace trove::cli
