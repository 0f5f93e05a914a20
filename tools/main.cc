// einvoice: the tax officers' command line. All logic is in tools/cli/ (RunCli); this only
// wires the real streams and the gRPC client.
#include <iostream>
#include <string>
#include <vector>

#include "tools/cli/dispatch.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(true);
  const std::vector<std::string> args(argv + 1, argv + argc);
  const einvoice::cli::CliEnvironment env{std::cout, std::cerr,
                                          einvoice::cli::DefaultClientFactory()};
  const int code = einvoice::cli::RunCli(args, env);
  std::cout.flush();
  return code;
}
