// serve/mcp_stdio.h — MCP over stdio: one JSON-RPC message per line on stdin, replies
// and notifications one per line on stdout (nothing else is ever written there; logs
// go to stderr). Returns when stdin closes.
#pragma once

#include <cstdio>

#include "serve/mcp.h"

namespace trove::serve {

int run_mcp_stdio(McpServer& server, std::FILE* in, std::FILE* out);

}  // namespace trove::serve
