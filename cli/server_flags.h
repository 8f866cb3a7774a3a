// cli/server_flags.h — the flags `trove serve` and `trove mcp --http` share: where to
// listen and the token, checked before anything is opened.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "serve/http_server.h"

namespace trove::cli {

struct ServerFlags {
  std::string host = "127.0.0.1";
  int port = 8765;
  std::string token, token_file;
  std::vector<std::string> allow_hosts;
  std::string mode, model;
  int threads = 0;
};

void add_server_flags(CLI::App* cmd, ServerFlags& f, int default_port);

// Fills `out` from the flags. Returns "" or the reason to refuse (exit 2): a
// non-loopback address without a token, an unreadable or too-open token file.
std::string resolve_server_flags(const ServerFlags& f, serve::HttpOptions& out);

}  // namespace trove::cli
