// cli/cmd_serve.cc — `trove serve`: the local HTTP API and web page (serve/http_server.h).
// Prints the URL on stdout once listening; runs until Ctrl-C / SIGTERM.
// Exit: 0 stopped, 2 refused (non-loopback address without a token) or cannot listen.
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/server_flags.h"
#include "index/library.h"
#include "serve/http_server.h"
#include "serve/mcp.h"
#include "serve/service.h"

namespace trove::cli {
namespace {

int run_serve(const ServerFlags& f, const GlobalOptions& g) {
  serve::HttpOptions http;
  if (std::string why = resolve_server_flags(f, http); !why.empty()) {
    std::fprintf(stderr, "trove: %s\n", why.c_str());
    return 2;
  }
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) {
    std::fprintf(stderr, "trove: %s\n", paths.error().message.c_str());
    return 2;
  }
  serve::ServiceOptions so;
  so.mode = f.mode;
  so.answer_model = f.model;
  so.threads = f.threads;
  serve::Service service(*paths, so);
  serve::McpServer mcp(service);
  http.on_listening = [&](const std::string& url) {
    std::printf("trove serve: listening on %s (library %s)\n", url.c_str(), paths->home.c_str());
    std::fflush(stdout);
  };
  return serve::run_http_server(service, mcp, http);
}

RunFn setup_serve(CLI::App& app, const GlobalOptions& global) {
  auto f = std::make_shared<ServerFlags>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve the HTTP API and a search page on this machine (http://127.0.0.1:8765/)");
  add_server_flags(cmd, *f, 8765);
  return [f, &global] { return run_serve(*f, global); };
}

TROVE_REGISTER_COMMAND("serve", 60, setup_serve);

}  // namespace
}  // namespace trove::cli
