// Child processes for the end-to-end test: the real einvoiced (started, read until it says
// where it listens, killed) and the real CLI (run to completion, output captured).
#ifndef EINVOICE_TESTS_E2E_PROCESS_H_
#define EINVOICE_TESTS_E2E_PROCESS_H_

#include <sys/types.h>

#include <cstdio>
#include <string>
#include <vector>

namespace einvoice::testing {

// A running einvoiced.
class ServerProcess {
 public:
  // Starts `binary args...` and blocks until it prints "einvoiced listening on HOST:PORT"
  // (or exits, in which case port() is 0 and output() says why).
  ServerProcess(const std::string& binary, const std::vector<std::string>& args);
  ~ServerProcess();  // SIGKILLs the process if still running

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& output() const { return output_; }
  // Sends `signal` and waits; returns the exit status as from waitpid().
  int KillAndWait(int signal);
  // Sends `signal` without waiting.
  void Signal(int signal);
  // Reads the server's stdout until a line contains `marker` (true) or it closes (false).
  bool WaitForOutput(const std::string& marker);

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string output_;
  FILE* stdout_ = nullptr;
};

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `binary args...` to completion.
CliResult RunProcess(const std::string& binary, const std::vector<std::string>& args);

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_E2E_PROCESS_H_
