// The CLI's entry point minus main(): finds the command named by the leading words, parses the
// global and the command's options, prints help, and runs the command. main() only wires
// std::cout, std::cerr and the real client factory. Thread-compatible.
#ifndef EINVOICE_TOOLS_CLI_DISPATCH_H_
#define EINVOICE_TOOLS_CLI_DISPATCH_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/cli/args.h"
#include "tools/cli/command.h"

namespace einvoice::cli {

struct CliEnvironment {
  std::ostream& out;
  std::ostream& err;
  ClientFactory client_factory;
};

// Runs `einvoice <args...>` (args exclude the program name) and returns the exit code.
//   einvoice [global options] COMMAND [SUBCOMMAND] [arguments and options]
// Global options may also follow the command. `einvoice --help`, `einvoice help [COMMAND]`,
// and `einvoice COMMAND --help` print help on `out` and return 0.
int RunCli(const std::vector<std::string>& args, const CliEnvironment& env);

// --server, --output, --json, --timeout, --ca_file, --cert_file, --key_file, --help.
const std::vector<OptionSpec>& GlobalOptionSpecs();

// Reads the global options out of parsed arguments (the TLS files also from $EINVOICE_CA_FILE,
// $EINVOICE_CERT_FILE, $EINVOICE_KEY_FILE when the flags are absent, and read at once).
// InvalidArgument for a bad --timeout (must be a positive number of seconds), an empty
// --server, an --output other than table, json or csv, --json with another --output,
// --cert_file without --key_file (or the reverse) or a TLS file that cannot be read.
absl::StatusOr<GlobalOptions> ReadGlobalOptions(const ParsedArgs& args);

// Every command, in the order help lists them.
const std::vector<CommandSpec>& AllCommands();

// Help for one command: usage line, description, its options, the global options.
std::string CommandHelp(const CommandSpec& command);

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_DISPATCH_H_
