// cli/server_flags.cc — see server_flags.h.
#include "cli/server_flags.h"

#include "serve/security.h"

namespace trove::cli {

void add_server_flags(CLI::App* cmd, ServerFlags& f, int default_port) {
  f.port = default_port;
  cmd->add_option("--host", f.host, "Address to listen on (default 127.0.0.1; others need --token)");
  cmd->add_option("--port", f.port, "Port (0: any free port; the URL is printed)")
      ->default_val(default_port)
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--token", f.token,
                  "Require Authorization: Bearer TOKEN on every request (or $TROVE_TOKEN)")
      ->envname("TROVE_TOKEN");
  cmd->add_option("--token-file", f.token_file, "Read the token from FILE (mode 0600)");
  cmd->add_option("--allow-host", f.allow_hosts,
                  "Also accept this name in the Host header (e.g. a reverse proxy's)");
  cmd->add_option("--mode", f.mode, "Default search mode: lexical, semantic or hybrid")
      ->check(CLI::IsMember({"lexical", "semantic", "hybrid"}));
  cmd->add_option("-m,--model", f.model, "Answer model: a registered name or a .gguf file");
  cmd->add_option("-t,--threads", f.threads, "Generation threads (default: physical cores)")
      ->check(CLI::NonNegativeNumber);
}

std::string resolve_server_flags(const ServerFlags& f, serve::HttpOptions& out) {
  out.host = f.host;
  out.port = f.port;
  out.allow_hosts = f.allow_hosts;
  out.token = f.token;
  if (!f.token_file.empty()) {
    auto t = serve::read_token_file(f.token_file);
    if (!t.ok()) return t.error().message;
    out.token = *t;
  }
  if (!serve::is_loopback_host(f.host) && out.token.empty()) {
    return "--host " + f.host +
           " is not a loopback address: anyone who can reach it could read your documents. "
           "Give --token TOKEN (or --token-file FILE, mode 0600, or $TROVE_TOKEN) so every "
           "request must carry it";
  }
  return "";
}

}  // namespace trove::cli
