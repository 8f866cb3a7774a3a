// tests/models/test_server.h — runs tests/models/range_server.py on 127.0.0.1 for the
// life of the object (never the internet), and kills exactly that child on exit.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include "core/c_file.h"

namespace trove::test {

class RangeServer {
 public:
  explicit RangeServer(const std::string& root, std::vector<std::string> flags = {}) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      const std::string script = std::string(TROVE_SOURCE_DIR) + "/tests/models/range_server.py";
      std::vector<char*> argv = {const_cast<char*>("python3"), const_cast<char*>(script.c_str()),
                                 const_cast<char*>(root.c_str())};
      for (std::string& f : flags) argv.push_back(f.data());
      argv.push_back(nullptr);
      ::execvp("python3", argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    // The first line is the port; read as text and parsed with from_chars (fscanf
    // cannot say whether the number overflowed).
    UniqueFile in(::fdopen(fds[0], "r"));
    char line[32] = {};
    if (in == nullptr || std::fgets(line, sizeof line, in.get()) == nullptr) return;
    const char* end = line + std::strlen(line);
    if (std::from_chars(line, end, port_).ec != std::errc()) port_ = 0;
  }
  ~RangeServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  RangeServer(const RangeServer&) = delete;
  RangeServer& operator=(const RangeServer&) = delete;

  int port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace trove::test
