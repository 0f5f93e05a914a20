#include "tests/e2e/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

extern char** environ;

namespace einvoice::testing {
namespace {

std::vector<char*> Argv(const std::string& binary, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// Reads everything until EOF on each fd (both drained with poll so neither pipe fills).
void DrainBoth(int out_fd, int err_fd, std::string* out, std::string* err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_count = 2;
  char buffer[4096];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof(buffer));
      if (n <= 0) {
        fds[i].fd = -1;
        --open_count;
      } else {
        (i == 0 ? out : err)->append(buffer, static_cast<size_t>(n));
      }
    }
  }
}

}  // namespace

ServerProcess::ServerProcess(const std::string& binary, const std::vector<std::string>& args) {
  int out_pipe[2];
  if (::pipe(out_pipe) != 0) return;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  std::vector<char*> argv = Argv(binary, args);
  if (posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  // Read stdout line by line until the server says where it listens (or closes stdout).
  FILE* out = ::fdopen(out_pipe[0], "r");
  char line[512];
  while (out != nullptr && std::fgets(line, sizeof(line), out) != nullptr) {
    output_ += line;
    const char* marker = std::strstr(line, "einvoiced listening on ");
    if (marker != nullptr) {
      const char* colon = std::strrchr(line, ':');
      if (colon != nullptr) port_ = std::atoi(colon + 1);
      break;
    }
  }
  // Keep our end open until the server is gone, so a later write cannot SIGPIPE it.
  stdout_ = out;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    KillAndWait(SIGKILL);
  } else if (stdout_ != nullptr) {
    std::fclose(stdout_);
  }
}

int ServerProcess::KillAndWait(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (stdout_ != nullptr) std::fclose(stdout_);
  stdout_ = nullptr;
  return status;
}

void ServerProcess::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

bool ServerProcess::WaitForOutput(const std::string& marker) {
  char line[512];
  while (stdout_ != nullptr && std::fgets(line, sizeof(line), stdout_) != nullptr) {
    output_ += line;
    if (std::strstr(line, marker.c_str()) != nullptr) return true;
  }
  return false;
}

CliResult RunProcess(const std::string& binary, const std::vector<std::string>& args) {
  CliResult result;
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) return result;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  std::vector<char*> argv = Argv(binary, args);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  DrainBoth(out_pipe[0], err_pipe[0], &result.out, &result.err);
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  if (spawned != 0) return result;
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace einvoice::testing
