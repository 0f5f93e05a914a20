#include "tools/cli/dispatch.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/match.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/table.h"

namespace einvoice::cli {
namespace {

constexpr absl::string_view kExitCodeHelp =
    "Exit codes:\n"
    "  0  success (verify: the invoice is genuine)\n"
    "  1  usage error\n"
    "  2  not found\n"
    "  3  rejected or invalid input (server refused the invoice/request, unreadable file)\n"
    "  4  verification failed (the invoice, audit chain or store checked is not sound)\n"
    "  5  server unavailable, overloaded or deadline exceeded (safe to retry)\n"
    "  6  other error\n"
    "  7  permission denied: your certificate does not allow this (or none was given)\n";

bool IsPrefix(const std::vector<std::string>& prefix, const std::vector<std::string>& path) {
  return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

const CommandSpec* FindCommand(const std::vector<std::string>& path) {
  for (const CommandSpec& command : AllCommands()) {
    if (command.path == path) return &command;
  }
  return nullptr;
}

bool IsCommandPrefix(const std::vector<std::string>& prefix) {
  for (const CommandSpec& command : AllCommands()) {
    if (IsPrefix(prefix, command.path)) return true;
  }
  return false;
}

bool HasLongerCommand(const std::vector<std::string>& prefix) {
  for (const CommandSpec& command : AllCommands()) {
    if (command.path.size() > prefix.size() && IsPrefix(prefix, command.path)) return true;
  }
  return false;
}

std::string OptionsTable(const std::vector<OptionSpec>& options) {
  Table table({});
  for (const OptionSpec& option : options) {
    std::string name = absl::StrCat("  --", option.name);
    if (option.takes_value()) absl::StrAppend(&name, " ", option.value_name);
    table.AddRow({name, absl::StrCat(option.help, option.repeated ? " (repeatable)" : "")});
  }
  return table.Render();
}

// Commands whose path starts with `prefix`: the synopsis, then the summary indented below.
std::string CommandList(const std::vector<std::string>& prefix) {
  std::string out;
  for (const CommandSpec& command : AllCommands()) {
    if (!IsPrefix(prefix, command.path)) continue;
    absl::StrAppend(&out, "  ", absl::StrJoin(command.path, " "),
                    command.synopsis.empty() ? "" : " ", command.synopsis, "\n      ",
                    command.summary, "\n");
  }
  return out;
}

std::string GeneralHelp() {
  return absl::StrCat(
      "einvoice: the tax officers' command line for the e-invoice authentication service.\n\n"
      "Usage: einvoice [global options] COMMAND [arguments] [options]\n\n"
      "Commands:\n",
      CommandList({}), "\nGlobal options (accepted before or after the command):\n",
      OptionsTable(GlobalOptionSpecs()),
      "\nRun 'einvoice COMMAND --help' for a command's options.\n\n", kExitCodeHelp);
}

std::string GroupHelp(const std::vector<std::string>& prefix) {
  return absl::StrCat("Usage: einvoice ", absl::StrJoin(prefix, " "),
                      " SUBCOMMAND [arguments] [options]\n\nSubcommands:\n", CommandList(prefix),
                      "\nRun 'einvoice ", absl::StrJoin(prefix, " "),
                      " SUBCOMMAND --help' for details.\n");
}

// "search, get, stats, seller list": the commands that print CSV, in help order.
std::string CsvCommandNames() {
  std::vector<std::string> names;
  for (const CommandSpec& command : AllCommands()) {
    if (command.csv) names.push_back(absl::StrJoin(command.path, " "));
  }
  return absl::StrJoin(names, ", ");
}

}  // namespace

const std::vector<OptionSpec>& GlobalOptionSpecs() {
  static const auto* const kSpecs = new std::vector<OptionSpec>{
      {"server", "ADDR", absl::StrCat("einvoiced address host:port (default ", kDefaultServer, ")")},
      {"output", "FORMAT",
       absl::StrCat("table (default), json (protobuf JSON mapping) or csv (RFC 4180; ",
                    CsvCommandNames(), ")")},
      {"json", "", "the same as --output json"},
      {"timeout", "SECONDS", "deadline of each call to the server (default 10)"},
      {"ca_file", "PEM", "CA certificates the server's must chain to (or $EINVOICE_CA_FILE)"},
      {"cert_file", "PEM", "your client certificate, for mutual TLS (or $EINVOICE_CERT_FILE)"},
      {"key_file", "PEM", "the private key of --cert_file (or $EINVOICE_KEY_FILE)"},
      {"help", "", "show help (also -h)"},
  };
  return *kSpecs;
}

absl::StatusOr<GlobalOptions> ReadGlobalOptions(const ParsedArgs& args) {
  GlobalOptions options;
  if (std::optional<std::string> server = args.Get("server")) {
    if (server->empty()) return absl::InvalidArgumentError("--server: empty address");
    options.server = *server;
  }
  if (std::optional<std::string> output = args.Get("output")) {
    if (*output == "table") {
      options.output = OutputFormat::kTable;
    } else if (*output == "json") {
      options.output = OutputFormat::kJson;
    } else if (*output == "csv") {
      options.output = OutputFormat::kCsv;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("--output: expected table, json or csv, got \"", *output, "\""));
    }
  }
  if (args.Has("json")) {
    if (args.Has("output") && options.output != OutputFormat::kJson) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--json is --output json; it contradicts --output ", OutputFormatName(options.output)));
    }
    options.output = OutputFormat::kJson;
  }
  if (std::optional<std::string> timeout = args.Get("timeout")) {
    double seconds = 0;
    if (!absl::SimpleAtod(*timeout, &seconds) || !(seconds > 0) || seconds > 86400) {
      return absl::InvalidArgumentError(
          absl::StrCat("--timeout: expected a number of seconds > 0, got \"", *timeout, "\""));
    }
    options.timeout = absl::Seconds(seconds);
  }
  auto file = [&](absl::string_view flag, const char* variable) {
    if (std::optional<std::string> value = args.Get(flag)) return *value;
    const char* from_env = std::getenv(variable);
    return std::string(from_env == nullptr ? "" : from_env);
  };
  const std::string ca = file("ca_file", "EINVOICE_CA_FILE");
  const std::string cert = file("cert_file", "EINVOICE_CERT_FILE");
  const std::string key = file("key_file", "EINVOICE_KEY_FILE");
  if (!ca.empty() || !cert.empty() || !key.empty()) {
    absl::StatusOr<ClientTls> tls = LoadClientTls(ca, cert, key);
    if (!tls.ok()) return absl::InvalidArgumentError(tls.status().message());
    options.tls = *std::move(tls);
  }
  return options;
}

const std::vector<CommandSpec>& AllCommands() {
  static const auto* const kCommands = [] {
    auto* all = new std::vector<CommandSpec>;
    for (auto group : {GetCommands, SearchCommands, VerifyCommands, KeysCommands, SellerCommands,
                       SubmitCommands, StatsCommands, AuditCommands, AdminCommands,
                       HealthCommands}) {
      for (CommandSpec& command : group()) all->push_back(std::move(command));
    }
    return all;
  }();
  return *kCommands;
}

std::string CommandHelp(const CommandSpec& command) {
  std::string help = absl::StrCat("Usage: einvoice ", absl::StrJoin(command.path, " "), " ",
                                  command.synopsis, "\n\n", command.summary, "\n");
  if (!command.details.empty()) absl::StrAppend(&help, "\n", command.details, "\n");
  if (!command.options.empty()) {
    absl::StrAppend(&help, "\nOptions:\n", OptionsTable(command.options));
  }
  absl::StrAppend(&help, "\nGlobal options:\n", OptionsTable(GlobalOptionSpecs()), "\n",
                  kExitCodeHelp);
  return help;
}

int RunCli(const std::vector<std::string>& args, const CliEnvironment& env) {
  // 1. The command words: leading non-option tokens that name a command (global options and
  //    their values may come before and between them).
  std::vector<std::string> path;
  std::vector<std::string> rest;
  std::vector<std::string> tokens = args;
  for (std::string& token : tokens) {
    if (token == "--") break;
    if (token == "-h") token = "--help";
  }
  bool help_word = false;
  bool words_done = false;
  std::string unknown_word;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (words_done) {
      rest.push_back(token);
      continue;
    }
    if (absl::StartsWith(token, "--") && token != "--") {
      const std::string name = token.substr(2, token.find('=') - 2);
      const OptionSpec* global = FindOption(GlobalOptionSpecs(), name);
      if (global == nullptr) {
        words_done = true;
        rest.push_back(token);
        continue;
      }
      rest.push_back(token);
      if (global->takes_value() && token.find('=') == std::string::npos && i + 1 < tokens.size()) {
        rest.push_back(tokens[++i]);
      }
      continue;
    }
    if (path.empty() && !help_word && token == "help") {
      help_word = true;
      continue;
    }
    std::vector<std::string> longer = path;
    longer.push_back(token);
    if (!absl::StartsWith(token, "-") && IsCommandPrefix(longer)) {
      path = std::move(longer);
      // A command may also be the start of longer ones (`audit`, `audit verify`): keep reading
      // words while one could follow.
      if (FindCommand(path) != nullptr && !HasLongerCommand(path)) words_done = true;
      continue;
    }
    if (!absl::StartsWith(token, "-") && unknown_word.empty() && FindCommand(path) == nullptr) {
      unknown_word = token;
    }
    words_done = true;
    rest.push_back(token);
  }

  const CommandSpec* command = FindCommand(path);
  const std::string name = path.empty() ? "" : absl::StrJoin(path, " ");
  const std::string shown = name.empty() ? "" : absl::StrCat(" ", name);

  // 2. Help, unknown and incomplete commands.
  if (command == nullptr) {
    const absl::StatusOr<ParsedArgs> globals = ParseArgs(rest, GlobalOptionSpecs());
    const bool want_help = help_word || (globals.ok() && globals->Has("help"));
    if (!unknown_word.empty()) {
      env.err << "einvoice" << shown << ": unknown command '" << unknown_word << "'\n"
              << "Run 'einvoice" << shown << " --help' for the list of commands.\n";
      return kExitUsage;
    }
    if (want_help) {
      env.out << (path.empty() ? GeneralHelp() : GroupHelp(path));
      return kExitOk;
    }
    if (!globals.ok()) {
      env.err << "einvoice" << shown << ": " << globals.status().message() << "\n";
      return kExitUsage;
    }
    if (path.empty()) {
      env.err << "einvoice: missing command\n\n" << GeneralHelp();
    } else {
      env.err << "einvoice " << name << ": missing subcommand\n\n" << GroupHelp(path);
    }
    return kExitUsage;
  }
  if (help_word) {
    env.out << CommandHelp(*command);
    return kExitOk;
  }

  // 3. The command's arguments.
  std::vector<OptionSpec> specs = GlobalOptionSpecs();
  specs.insert(specs.end(), command->options.begin(), command->options.end());
  CommandContext context(name, GlobalOptions(), env.out, env.err, env.client_factory);
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(rest, specs);
  if (!parsed.ok()) return context.UsageError(parsed.status().message());
  if (parsed->Has("help")) {
    env.out << CommandHelp(*command);
    return kExitOk;
  }
  const size_t count = parsed->positionals().size();
  if (count < command->min_positionals) {
    return context.UsageError(absl::StrCat("missing argument (usage: einvoice ", name, " ",
                                           command->synopsis, ")"));
  }
  if (count > command->max_positionals) {
    return context.UsageError(
        absl::StrCat("unexpected argument '", parsed->positionals()[command->max_positionals],
                     "'"));
  }
  absl::StatusOr<GlobalOptions> globals = ReadGlobalOptions(*parsed);
  if (!globals.ok()) return context.UsageError(globals.status().message());
  if (globals->output == OutputFormat::kCsv && !command->csv) {
    return context.UsageError(absl::StrCat(
        "--output csv: this command prints a table or JSON only (CSV: ", CsvCommandNames(), ")"));
  }
  CommandContext run_context(name, *std::move(globals), env.out, env.err, env.client_factory);
  return command->run(run_context, *parsed);
}

}  // namespace einvoice::cli
