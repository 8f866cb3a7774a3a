// tests/support/process.h — running the trove binary (or a shell command) from
// tests: capture stdout, stderr and the exit code, or spawn it to kill it later; a
// temp folder. Part of the tests' support library (tests/support/); include it as
// "tests/support/process.h".
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace trove::testing {

class TempDir {
 public:
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "trove-cli-XXXXXX").string();
    if (::mkdtemp(t.data()) != nullptr) path_ = t;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct ProcResult {
  int rc = -1;  // exit code; 128 + signal when killed
  std::string out, err;
  double seconds = 0;
};

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// How to start a child beyond its arguments.
struct SpawnOptions {
  std::string stdin_path = "/dev/null";
  std::string stdout_path = "/dev/null";  // "/dev/full" tests write errors
  std::string stderr_path = "/dev/null";
  int umask = -1;  // -1: inherit
};

// Starts TROVE_BIN with `args`, stdout/stderr to the given files (or /dev/null).
inline pid_t spawn_trove(const std::vector<std::string>& args, const SpawnOptions& o) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (o.umask >= 0) ::umask(static_cast<mode_t>(o.umask));
    int out = ::open(o.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(o.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open(o.stdin_path.c_str(), O_RDONLY);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> argv;
    std::string bin = TROVE_BIN;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

inline pid_t spawn_trove(const std::vector<std::string>& args, const std::string& out_path,
                         const std::string& err_path) {
  SpawnOptions o;
  o.stdout_path = out_path;
  o.stderr_path = err_path;
  return spawn_trove(args, o);
}

inline int wait_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Runs trove to completion. `scratch` is a folder for the captured output; `o` may
// name stdin, a umask, or a stdout path other than the capture file.
inline ProcResult run_trove(const std::vector<std::string>& args, const std::string& scratch,
                            SpawnOptions o = {}) {
  auto t0 = std::chrono::steady_clock::now();
  const bool capture_out = o.stdout_path == "/dev/null";
  if (capture_out) o.stdout_path = scratch + "/stdout";
  o.stderr_path = scratch + "/stderr";
  pid_t pid = spawn_trove(args, o);
  ProcResult r;
  r.rc = wait_exit(pid);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (capture_out) r.out = slurp(o.stdout_path);
  r.err = slurp(o.stderr_path);
  return r;
}

inline std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string line;
  while (std::getline(ss, line))
    if (!line.empty()) out.push_back(line);
  return out;
}

// Validates JSON with Python's parser when python3 is there (Debian always has it on
// build machines); returns true when valid or when python3 is missing.
inline bool json_lines_valid(const std::string& text, const std::string& scratch) {
  std::string file = scratch + "/json-check";
  std::ofstream(file) << text;
  std::string cmd =
      "command -v python3 >/dev/null 2>&1 || exit 0; python3 -c "
      "'import json,sys\nfor l in open(sys.argv[1]):\n  l.strip() and json.loads(l)' " +
      file;
  return std::system(cmd.c_str()) == 0;
}

}  // namespace trove::testing
