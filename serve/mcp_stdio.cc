// serve/mcp_stdio.cc — see mcp_stdio.h.
#include "serve/mcp_stdio.h"

#include <mutex>
#include <string>

namespace trove::serve {
namespace {

constexpr size_t kMaxLine = 8u << 20;  // a message larger than this is refused, not read

// Reads one line; false at end of input. A line over kMaxLine is skipped to its end
// and reported as too long (`*too_long`).
bool read_line(std::FILE* in, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  int c;
  bool any = false;
  while ((c = std::fgetc(in)) != EOF) {
    any = true;
    if (c == '\n') return true;
    if (line->size() < kMaxLine) {
      line->push_back(static_cast<char>(c));
    } else {
      *too_long = true;
    }
  }
  return any;
}

}  // namespace

int run_mcp_stdio(McpServer& server, std::FILE* in, std::FILE* out) {
  std::mutex out_mu;
  auto write = [&](const json& msg) {
    std::lock_guard<std::mutex> lock(out_mu);
    const std::string s = dump(msg);
    std::fwrite(s.data(), 1, s.size(), out);
    std::fputc('\n', out);
    std::fflush(out);
  };
  std::string line;
  bool too_long = false;
  while (read_line(in, &line, &too_long)) {
    if (too_long) {
      write({{"jsonrpc", "2.0"},
             {"id", nullptr},
             {"error", {{"code", -32600}, {"message", "message too large"}}}});
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (auto reply = server.handle_text(line, write)) write(*reply);
  }
  return 0;
}

}  // namespace trove::serve
