// serve/security.cc — see security.h.
#include "serve/security.h"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace trove::serve {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// "[::1]:8765" → ("::1", 8765); "localhost" → ("localhost", -1). Returns false when
// the port is not a number.
bool split_host_port(const std::string& in, std::string* host, int* port) {
  *port = -1;
  std::string h = in, p;
  if (!h.empty() && h[0] == '[') {
    size_t close = h.find(']');
    if (close == std::string::npos) return false;
    if (close + 1 < h.size()) {
      if (h[close + 1] != ':') return false;
      p = h.substr(close + 2);
    }
    h = h.substr(1, close - 1);
  } else if (std::count(h.begin(), h.end(), ':') == 1) {
    size_t colon = h.find(':');
    p = h.substr(colon + 1);
    h = h.substr(0, colon);
  }
  if (!p.empty()) {
    if (p.size() > 5 || !std::all_of(p.begin(), p.end(), ::isdigit)) return false;
    *port = std::stoi(p);
  }
  *host = lower(h);
  return true;
}

bool same_name(const AccessPolicy& pol, const std::string& host) {
  if (host == "localhost" || host == "127.0.0.1" || host == "::1") return true;
  if (host == lower(pol.bound_host)) return true;
  for (const auto& e : pol.extra_hosts)
    if (host == lower(e)) return true;
  return false;
}

}  // namespace

bool is_loopback_host(const std::string& host_in) {
  const std::string host = lower(host_in);
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  in_addr a4{};
  if (::inet_pton(AF_INET, host.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  return false;
}

bool is_wildcard_host(const std::string& host) {
  return host == "0.0.0.0" || host == "::" || host == "[::]" || host.empty();
}

bool host_allowed(const AccessPolicy& p, const std::string& header) {
  std::string host;
  int port = -1;
  if (header.empty() || !split_host_port(header, &host, &port)) return false;
  if (is_wildcard_host(p.bound_host) && !p.token.empty()) return true;
  const int effective = port < 0 ? 80 : port;
  return effective == p.port && same_name(p, host);
}

bool origin_allowed(const AccessPolicy& p, const std::string& origin) {
  if (origin.empty()) return true;
  const std::string o = lower(origin);
  const std::string scheme = "http://";
  if (o.compare(0, scheme.size(), scheme) != 0) return false;
  return host_allowed(p, o.substr(scheme.size()));
}

bool bearer_ok(const AccessPolicy& p, const std::string& authorization) {
  if (p.token.empty()) return true;
  const std::string prefix = "Bearer ";
  if (authorization.size() != prefix.size() + p.token.size()) return false;
  if (authorization.compare(0, prefix.size(), prefix) != 0) return false;
  // Constant time in the token's length: no early exit on the first wrong byte.
  unsigned diff = 0;
  for (size_t i = 0; i < p.token.size(); ++i) {
    diff |= static_cast<unsigned char>(authorization[prefix.size() + i]) ^
            static_cast<unsigned char>(p.token[i]);
  }
  return diff == 0;
}

Result<std::string> read_token_file(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return make_error(path + ": cannot read the token file");
  if ((st.st_mode & 077) != 0) {
    return make_error(path + ": the token file may be read by others (mode " +
                      [&] {
                        char buf[8];
                        std::snprintf(buf, sizeof buf, "%04o", st.st_mode & 07777);
                        return std::string(buf);
                      }() +
                      "); chmod 600 it");
  }
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string t = ss.str();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.erase(t.begin());
  if (t.empty()) return make_error(path + ": the token file is empty");
  return t;
}

}  // namespace trove::serve
