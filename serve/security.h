// serve/security.h — who may talk to trove serve / trove mcp --http.
//
// - Binding: loopback (127.0.0.0/8, ::1, localhost) by default; any other address needs
//   a token (the command exits 2 otherwise, before binding anything).
// - Token: with one, every API request carries `Authorization: Bearer TOKEN`
//   (compared in constant time); a token file must not be readable by group or others.
// - Host: the Host header must name the bound address or localhost with the bound
//   port (DNS rebinding: a page on evil.example resolved to 127.0.0.1 still sends
//   Host: evil.example). When bound to a wildcard address (0.0.0.0, ::), the token is
//   the defence and any Host is accepted, plus names given with --allow-host.
// - Origin: when present (browsers send it on cross-site requests), it must be the
//   server's own origin; CORS is never granted.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace trove::serve {

bool is_loopback_host(const std::string& host);
bool is_wildcard_host(const std::string& host);

struct AccessPolicy {
  std::string bound_host;  // as given to --host
  int port = 0;            // the port actually bound
  std::string token;       // "" = none
  std::vector<std::string> extra_hosts;  // --allow-host names
};

// `host_header` as sent ("127.0.0.1:8765", "localhost:8765", "[::1]:8765").
bool host_allowed(const AccessPolicy& p, const std::string& host_header);
// An empty origin (non-browser client) is allowed; "null" and foreign origins are not.
bool origin_allowed(const AccessPolicy& p, const std::string& origin);
// True when no token is set, or the header is exactly "Bearer TOKEN".
bool bearer_ok(const AccessPolicy& p, const std::string& authorization);

// Reads a token file: refused when group or others may read it, or when it is empty.
Result<std::string> read_token_file(const std::string& path);

}  // namespace trove::serve
