// Process helpers for einvoice-bench (Linux /proc): CPU time of a process, the process that
// listens on a local TCP port, the machine description, and a child server started on port 0
// whose "listening on HOST:PORT" line is read from its stdout.
//
// Thread-safety: all functions may be called from any thread.
#ifndef EINVOICE_BENCHMARKS_PROCESS_UTIL_H_
#define EINVOICE_BENCHMARKS_PROCESS_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace einvoice::bench {

struct CpuSample {
  bool valid = false;
  double seconds = 0;  // user + system CPU time so far
};
// CPU time used by process `pid` so far (all threads); invalid if pid <= 0 or unreadable.
CpuSample ProcessCpu(int pid);

// The pid of the local process listening on the port of `target` ("host:port"), or 0.
int FindListeningPid(const std::string& target);

// "2 x AMD EPYC ..." style facts: nproc, CPU model, kernel.
struct MachineInfo {
  int nproc = 0;
  std::string cpu_model;
  std::string kernel;
};
MachineInfo DescribeMachine();

struct ChildServer {
  int pid = 0;
  int stdin_fd = -1;  // closing it tells einvoice-null-server to exit
  std::string address;  // "127.0.0.1:PORT"
};
// Starts argv[0] with argv, waits (up to 60 s) for a line ending in "listening on ADDR" on
// its stdout. UNAVAILABLE if it exits or never says so.
absl::StatusOr<ChildServer> StartChildServer(const std::vector<std::string>& argv);
// SIGTERM, then waits for it (SIGKILL after 10 s).
void StopChildServer(ChildServer& child);

}  // namespace einvoice::bench

#endif  // EINVOICE_BENCHMARKS_PROCESS_UTIL_H_
