#include "benchmarks/process_util.h"

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace einvoice::bench {

CpuSample ProcessCpu(int pid) {
  CpuSample sample;
  if (pid <= 0) return sample;
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(stat, line)) return sample;
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return sample;
  std::vector<std::string> fields = absl::StrSplit(line.substr(close + 2), ' ');
  // utime and stime are fields 14 and 15 overall, i.e. 11 and 12 after the state (field 3).
  if (fields.size() < 13) return sample;
  double utime = 0, stime = 0;
  if (!absl::SimpleAtod(fields[11], &utime) || !absl::SimpleAtod(fields[12], &stime)) {
    return sample;
  }
  sample.seconds = (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  sample.valid = true;
  return sample;
}

namespace {

// Inode of the socket listening on `port` (IPv4 or IPv6), or "".
std::string ListeningInode(int port) {
  for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (f.size() < 10 || f[3] != "0A") continue;  // 0A = LISTEN
      const size_t colon = f[1].rfind(':');
      unsigned int p = 0;
      if (colon == std::string::npos || !absl::SimpleHexAtoi(f[1].substr(colon + 1), &p)) continue;
      if (static_cast<int>(p) == port) return f[9];
    }
  }
  return "";
}

}  // namespace

int FindListeningPid(const std::string& target) {
  const size_t colon = target.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(target.substr(colon + 1), &port)) return 0;
  const std::string inode = ListeningInode(port);
  if (inode.empty()) return 0;
  const std::string wanted = absl::StrCat("socket:[", inode, "]");
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  int found = 0;
  while (dirent* entry = readdir(proc)) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry->d_name, &pid)) continue;
    const std::string fd_dir = absl::StrCat("/proc/", pid, "/fd");
    DIR* fds = opendir(fd_dir.c_str());
    if (fds == nullptr) continue;
    while (dirent* fd = readdir(fds)) {
      char buffer[128];
      const std::string link = absl::StrCat(fd_dir, "/", fd->d_name);
      const ssize_t n = readlink(link.c_str(), buffer, sizeof buffer - 1);
      if (n > 0 && std::string(buffer, static_cast<size_t>(n)) == wanted) {
        found = pid;
        break;
      }
    }
    closedir(fds);
    if (found != 0) break;
  }
  closedir(proc);
  return found;
}

MachineInfo DescribeMachine() {
  MachineInfo info;
  info.nproc = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (absl::StartsWith(line, "model name")) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        info.cpu_model = std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
      }
      break;
    }
  }
  utsname u;
  if (uname(&u) == 0) info.kernel = absl::StrCat(u.sysname, " ", u.release);
  return info;
}

absl::StatusOr<ChildServer> StartChildServer(const std::vector<std::string>& argv) {
  int out[2], in[2];
  if (pipe(out) != 0 || pipe(in) != 0) return absl::UnavailableError("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) return absl::UnavailableError("fork failed");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::fprintf(stderr, "cannot run %s\n", args[0]);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  ChildServer child;
  child.pid = pid;
  child.stdin_fd = in[1];
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char chunk[256];
    const ssize_t n = read(out[0], chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    const size_t at = buffer.find("listening on ");
    if (at != std::string::npos) {
      const size_t end = buffer.find('\n', at);
      if (end == std::string::npos) continue;
      child.address = buffer.substr(at + 13, end - at - 13);
      close(out[0]);  // the child writes nothing else to stdout we need
      return child;
    }
  }
  close(out[0]);
  StopChildServer(child);
  return absl::UnavailableError(absl::StrCat(argv[0], " did not report a listening address"));
}

void StopChildServer(ChildServer& child) {
  if (child.pid <= 0) return;
  kill(child.pid, SIGTERM);
  if (child.stdin_fd >= 0) close(child.stdin_fd);
  child.stdin_fd = -1;
  for (int i = 0; i < 100; ++i) {
    int status = 0;
    if (waitpid(child.pid, &status, WNOHANG) == child.pid) {
      child.pid = 0;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(child.pid, SIGKILL);
  waitpid(child.pid, nullptr, 0);
  child.pid = 0;
}

}  // namespace einvoice::bench
