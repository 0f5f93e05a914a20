// The CLI's command framework: what a command declares (CommandSpec) and what it gets to run
// (CommandContext: global options, output streams, a lazily created client, and helpers that
// report failures and return the exit code). Each command group lives in its own
// *_command.cc and contributes its specs through one of the functions at the bottom.
//
// Thread-compatible: one CommandContext per CLI invocation.
#ifndef EINVOICE_TOOLS_CLI_COMMAND_H_
#define EINVOICE_TOOLS_CLI_COMMAND_H_

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tools/cli/args.h"
#include "tools/client/einvoice_client.h"

namespace einvoice::cli {

// How a command prints its results.
enum class OutputFormat {
  kTable,  // aligned text tables for people (the default)
  kJson,   // the protobuf JSON mapping, for scripts
  kCsv,    // RFC 4180 CSV for spreadsheets (tools/cli/csv.h); only commands whose
           // CommandSpec::csv is set
};

// "table", "json", "csv".
absl::string_view OutputFormatName(OutputFormat format);

// Options every command accepts (anywhere on the command line).
struct GlobalOptions {
  // --server ADDR: host:port of einvoiced.
  std::string server = "127.0.0.1:50051";
  // --output table|json|csv; --json is --output json.
  OutputFormat output = OutputFormat::kTable;
  // --timeout SECONDS: deadline of each rpc.
  absl::Duration timeout = absl::Seconds(10);
  // --ca_file, --cert_file, --key_file (or $EINVOICE_CA_FILE, $EINVOICE_CERT_FILE,
  // $EINVOICE_KEY_FILE): mutual TLS with this identity; nullopt = plaintext.
  std::optional<ClientTls> tls;
};

inline constexpr absl::string_view kDefaultServer = "127.0.0.1:50051";

// Makes the client for `server`; tests substitute one that needs no network or fails.
using ClientFactory = std::function<std::unique_ptr<EinvoiceClient>(const std::string& server,
                                                                    const ClientOptions& options)>;

// The production factory: EinvoiceClient::Create().
ClientFactory DefaultClientFactory();

class CommandContext {
 public:
  CommandContext(std::string command_name, GlobalOptions options, std::ostream& out,
                 std::ostream& err, ClientFactory client_factory);

  const GlobalOptions& options() const { return options_; }
  OutputFormat output() const { return options_.output; }
  bool json() const { return options_.output == OutputFormat::kJson; }
  bool csv() const { return options_.output == OutputFormat::kCsv; }
  // "seller register", for messages.
  const std::string& command_name() const { return command_name_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // The client for --server with --timeout, created on first use (commands that work offline
  // never create one).
  EinvoiceClient& client();

  // Reports `status` on stderr as "einvoice: <context>: <message>" (plus a hint for an
  // unreachable server or a deadline) and returns ExitCodeFor(status.code()).
  // REQUIRES: !status.ok().
  int Fail(const absl::Status& status, absl::string_view context = {});
  // Reports a usage error and points at `einvoice <command> --help`; returns kExitUsage.
  int UsageError(absl::string_view message);

 private:
  std::string command_name_;
  GlobalOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  ClientFactory client_factory_;
  std::unique_ptr<EinvoiceClient> client_;
};

// The usage error for the first of the options `names` (without "--") given a value that is not
// a date YYYY-MM-DD; nullopt when each is absent or a date.
std::optional<std::string> BadDayOption(const ParsedArgs& args,
                                        std::initializer_list<absl::string_view> names);

struct CommandSpec {
  // The words that name the command: {"get"}, {"seller", "register"}.
  std::vector<std::string> path;
  // Positional arguments and options for the synopsis: "MST --name NAME [--cert FILE ...]".
  std::string synopsis;
  // One line for the command list.
  std::string summary;
  // Longer help (may be several lines); optional.
  std::string details;
  // The command's own options (the global ones are added by the dispatcher).
  std::vector<OptionSpec> options;
  // Prints CSV with --output csv; without it, --output csv is a usage error for the command.
  bool csv = false;
  // Number of positional arguments accepted.
  size_t min_positionals = 0;
  size_t max_positionals = 0;
  // Runs the command; returns the exit code. Positionals and options are already checked
  // against the counts and specs above.
  std::function<int(CommandContext&, const ParsedArgs&)> run;
};

// The command groups, one per *_command.cc.
std::vector<CommandSpec> GetCommands();     // get
std::vector<CommandSpec> SearchCommands();  // search
std::vector<CommandSpec> VerifyCommands();  // verify
std::vector<CommandSpec> KeysCommands();    // keys list|generate|activate|retire|export
std::vector<CommandSpec> HealthCommands();  // health
std::vector<CommandSpec> SellerCommands();  // seller register|show|list|suspend|activate|
                                            //   stop|cert add|cert revoke|tvan
std::vector<CommandSpec> SubmitCommands();  // submit
std::vector<CommandSpec> StatsCommands();   // stats
std::vector<CommandSpec> AuditCommands();   // audit, audit verify
std::vector<CommandSpec> AdminCommands();   // admin backup, admin check

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_COMMAND_H_
