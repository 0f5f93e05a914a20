// The CLI's front door: command lookup, help, usage errors, global options and exit codes,
// driven through RunCli() with captured streams. No server: commands that would call one get a
// client whose target cannot exist (exit 5), and offline paths get a factory that fails the
// test if it is ever used.
#include "tools/cli/dispatch.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tools/cli/exit_codes.h"

namespace einvoice::cli {
namespace {

using ::einvoice::testing::StatusIs;
using ::einvoice::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

class DispatchTest : public ::testing::Test {
 protected:
  // Runs the CLI; every client it makes points at a Unix socket that does not exist.
  CliRun Cli(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    CliEnvironment env{out, err, [this](const std::string& server, const ClientOptions& options) {
                         servers_.push_back(server);
                         timeouts_.push_back(options.timeout);
                         return EinvoiceClient::Create("unix:" + dir_.Sub("nothing.sock"),
                                                       options);
                       }};
    const int code = RunCli(args, env);
    return {code, out.str(), err.str()};
  }

  TempDir dir_;
  std::vector<std::string> servers_;
  std::vector<absl::Duration> timeouts_;
};

TEST_F(DispatchTest, GeneralHelpListsCommandsAndExitCodes) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--help"}, {"-h"}, {"help"}}) {
    const CliRun run = Cli(args);
    EXPECT_EQ(run.code, kExitOk);
    EXPECT_THAT(run.out, HasSubstr("seller register MST --name NAME"));
    EXPECT_THAT(run.out, HasSubstr("search --seller MST | --buyer MST"));
    EXPECT_THAT(run.out, HasSubstr("4  verification failed"));
    EXPECT_THAT(run.err, IsEmpty());
  }
  EXPECT_THAT(servers_, IsEmpty());
}

TEST_F(DispatchTest, CommandHelpInEveryForm) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"verify", "--help"}, {"help", "verify"}, {"--json", "verify", "-h"}}) {
    const CliRun run = Cli(args);
    EXPECT_EQ(run.code, kExitOk);
    EXPECT_THAT(run.out, HasSubstr("Usage: einvoice verify FILE [--keys KEYS_FILE]"));
    EXPECT_THAT(run.out, HasSubstr("--keys KEYS_FILE"));
  }
  const CliRun group = Cli({"seller", "--help"});
  EXPECT_EQ(group.code, kExitOk);
  EXPECT_THAT(group.out, HasSubstr("seller suspend MST"));
  EXPECT_THAT(group.out, Not(HasSubstr("verify")));
  const CliRun sub = Cli({"seller", "register", "--help"});
  EXPECT_THAT(sub.out, HasSubstr("--cert FILE"));
  EXPECT_THAT(sub.out, HasSubstr("(repeatable)"));
  EXPECT_THAT(servers_, IsEmpty());
}

TEST_F(DispatchTest, EveryCommandHasHelp) {
  for (const CommandSpec& command : AllCommands()) {
    std::vector<std::string> args = command.path;
    args.push_back("--help");
    const CliRun run = Cli(args);
    EXPECT_EQ(run.code, kExitOk) << args[0];
    EXPECT_THAT(run.out, HasSubstr(command.summary));
  }
}

TEST_F(DispatchTest, UsageErrorsExitOne) {
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{}, "missing command"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"seller"}, "missing subcommand"},
      {{"seller", "fire", "0100047516"}, "unknown command 'fire'"},
      {{"get"}, "give CODE"},
      {{"get", "CODE", "--seller", "0100047516"}, "not both"},
      {{"get", "--seller", "0100047516", "--symbol", "C26TAA"}, "missing --number"},
      {{"get", "--seller", "0100047516", "--symbol", "C26TAA", "--number", "x"}, "--number"},
      {{"get", "A", "B"}, "unexpected argument 'B'"},
      {{"get", "A", "--bogus"}, "unknown option --bogus"},
      {{"search"}, "exactly one of --seller"},
      {{"search", "--seller", "1", "--buyer", "2"}, "exactly one of --seller"},
      {{"search", "--buyer", "2", "--warning", "line.amount_mismatch"}, "--warning RULE"},
      {{"search", "--seller", "1", "--from", "2026-13-01"}, "--from: expected a date"},
      {{"search", "--seller", "1", "--page-size", "0"}, "--page-size"},
      {{"stats", "--to", "yesterday"}, "--to: expected a date"},
      {{"verify"}, "missing argument"},
      {{"keys", "export"}, "missing argument"},
      {{"seller", "register", "0100047516"}, "missing --name"},
      {{"submit", "a.json", "--idempotency-key"}, "needs a value"},
      {{"get", "A", "--timeout", "0"}, "--timeout"},
      {{"get", "A", "--timeout=-3"}, "--timeout"},
      {{"get", "A", "--server="}, "--server: empty"},
      {{"get", "A", "--output", "xml"}, "--output: expected table, json or csv"},
      {{"get", "A", "--json", "--output", "csv"}, "contradicts --output csv"},
      {{"keys", "list", "--output", "csv"},
       "--output csv: this command prints a table or JSON only (CSV: get, search, seller list, "
       "stats)"},
      {{"--output=csv", "audit"}, "--output csv: this command"},
      {{"seller", "show", "0100047516", "--output", "csv"}, "--output csv: this command"},
      {{"stats", "--by", "week"}, "--by: expected day or rule"},
      {{"stats", "--by", "rule", "--json"}, "--by selects a table"},
      {{"seller", "list", "--status", "closed"}, "--status: expected active, suspended or stopped"},
      {{"seller", "list", "--page-size", "1001"}, "--page-size"},
      {{"seller", "list", "extra"}, "unexpected argument 'extra'"},
  };
  for (const auto& c : cases) {
    const CliRun run = Cli(c.args);
    EXPECT_EQ(run.code, kExitUsage) << c.message;
    EXPECT_THAT(run.err, HasSubstr(c.message));
    EXPECT_THAT(run.out, IsEmpty()) << c.message;
  }
  EXPECT_THAT(servers_, IsEmpty()) << "usage errors never reach the server";
}

TEST_F(DispatchTest, GlobalOptionsAnywhere) {
  const CliRun before = Cli({"--server", "10.1.2.3:7000", "--timeout", "2.5", "keys", "list"});
  const CliRun after = Cli({"keys", "list", "--server=10.1.2.3:7001", "--timeout=3"});
  const CliRun between = Cli({"keys", "--server", "10.1.2.3:7002", "list"});
  ASSERT_EQ(servers_.size(), 3u);
  EXPECT_EQ(servers_[0], "10.1.2.3:7000");
  EXPECT_EQ(servers_[1], "10.1.2.3:7001");
  EXPECT_EQ(servers_[2], "10.1.2.3:7002");
  EXPECT_EQ(timeouts_[0], absl::Milliseconds(2500));
  EXPECT_EQ(timeouts_[1], absl::Seconds(3));
  EXPECT_EQ(timeouts_[2], absl::Seconds(10));  // the default
}

TEST_F(DispatchTest, DefaultServer) {
  Cli({"stats"});
  ASSERT_EQ(servers_.size(), 1u);
  EXPECT_EQ(servers_[0], "127.0.0.1:50051");
}

TEST_F(DispatchTest, UnreachableServerExitsFiveWithAHint) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"get", "00AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
           {"search", "--seller", "0100047516"},
           {"keys", "list"},
           {"seller", "show", "0100047516"},
           {"seller", "list", "--status", "suspended"},
           {"search", "--seller", "0100047516", "--output", "csv"},
           {"stats", "--from", "2026-11-01"}}) {
    const CliRun run = Cli(args);
    EXPECT_EQ(run.code, kExitUnavailable) << args[0];
    EXPECT_THAT(run.err, HasSubstr("is einvoiced running there?"));
    EXPECT_THAT(run.out, IsEmpty());
  }
}

TEST_F(DispatchTest, UnreadableInputFilesExitThreeWithoutNetwork) {
  const CliRun verify = Cli({"verify", dir_.Sub("missing.json"), "--keys", dir_.Sub("k.json")});
  EXPECT_EQ(verify.code, kExitRejected);
  EXPECT_THAT(verify.err, HasSubstr("cannot read"));
  const CliRun submit = Cli({"submit", dir_.Sub("missing.json")});
  EXPECT_EQ(submit.code, kExitRejected);
  const CliRun cert = Cli({"seller", "register", "0100047516", "--name", "X", "--cert",
                        dir_.Sub("missing.pem")});
  EXPECT_EQ(cert.code, kExitRejected);
  EXPECT_THAT(servers_, IsEmpty());
}

TEST(ReadGlobalOptionsTest, Defaults) {
  ASSERT_OK_AND_ASSIGN(ParsedArgs args, ParseArgs({}, GlobalOptionSpecs()));
  ASSERT_OK_AND_ASSIGN(GlobalOptions options, ReadGlobalOptions(args));
  EXPECT_EQ(options.server, "127.0.0.1:50051");
  EXPECT_EQ(options.output, OutputFormat::kTable);
  EXPECT_EQ(options.timeout, absl::Seconds(10));
}

TEST(ReadGlobalOptionsTest, OutputFormatsAndJsonAsAnAlias) {
  const struct {
    std::vector<std::string> tokens;
    OutputFormat expected;
  } cases[] = {
      {{"--output", "table"}, OutputFormat::kTable},
      {{"--output=json"}, OutputFormat::kJson},
      {{"--output", "csv"}, OutputFormat::kCsv},
      {{"--json"}, OutputFormat::kJson},
      {{"--json", "--output", "json"}, OutputFormat::kJson},  // saying it twice is fine
  };
  for (const auto& c : cases) {
    ASSERT_OK_AND_ASSIGN(ParsedArgs args, ParseArgs(c.tokens, GlobalOptionSpecs()));
    ASSERT_OK_AND_ASSIGN(GlobalOptions options, ReadGlobalOptions(args));
    EXPECT_EQ(options.output, c.expected) << c.tokens[0];
  }
  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {"--output", "xml"}, {"--output", "CSV"}, {"--output="}, {"--json", "--output", "csv"},
           {"--output", "table", "--json"}}) {
    ASSERT_OK_AND_ASSIGN(ParsedArgs args, ParseArgs(bad, GlobalOptionSpecs()));
    EXPECT_THAT(ReadGlobalOptions(args), StatusIs(absl::StatusCode::kInvalidArgument))
        << bad.back();
  }
}

TEST(ReadGlobalOptionsTest, RejectsBadTimeouts) {
  for (const char* bad : {"abc", "0", "-1", "nan", "1e9"}) {
    ASSERT_OK_AND_ASSIGN(ParsedArgs args, ParseArgs({"--timeout", bad}, GlobalOptionSpecs()));
    EXPECT_THAT(ReadGlobalOptions(args), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

// The TLS files come from the flags, else from $EINVOICE_CA_FILE, $EINVOICE_CERT_FILE and
// $EINVOICE_KEY_FILE; they are read at once.
class TlsGlobalOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"ca", "cert", "key", "other-ca"}) {
      std::ofstream(dir_.Sub(std::string(name) + ".pem")) << name << " contents";
    }
  }
  void TearDown() override {
    for (const char* variable : {"EINVOICE_CA_FILE", "EINVOICE_CERT_FILE", "EINVOICE_KEY_FILE"}) {
      unsetenv(variable);
    }
  }
  absl::StatusOr<GlobalOptions> Read(const std::vector<std::string>& tokens) {
    absl::StatusOr<ParsedArgs> args = ParseArgs(tokens, GlobalOptionSpecs());
    if (!args.ok()) return args.status();
    return ReadGlobalOptions(*args);
  }
  TempDir dir_;
};

TEST_F(TlsGlobalOptionsTest, NoneGivenIsPlaintext) {
  ASSERT_OK_AND_ASSIGN(GlobalOptions options, Read({}));
  EXPECT_FALSE(options.tls.has_value());
}

TEST_F(TlsGlobalOptionsTest, FlagsAreReadIntoTheClientsTlsMaterial) {
  ASSERT_OK_AND_ASSIGN(GlobalOptions options,
                       Read({"--ca_file", dir_.Sub("ca.pem"), "--cert_file", dir_.Sub("cert.pem"),
                             "--key_file", dir_.Sub("key.pem")}));
  ASSERT_TRUE(options.tls.has_value());
  EXPECT_EQ(options.tls->ca_certificates, "ca contents");
  EXPECT_EQ(options.tls->certificate_chain, "cert contents");
  EXPECT_EQ(options.tls->private_key, "key contents");
}

TEST_F(TlsGlobalOptionsTest, EnvironmentVariablesAreUsedAndFlagsOverrideThem) {
  setenv("EINVOICE_CA_FILE", dir_.Sub("ca.pem").c_str(), 1);
  setenv("EINVOICE_CERT_FILE", dir_.Sub("cert.pem").c_str(), 1);
  setenv("EINVOICE_KEY_FILE", dir_.Sub("key.pem").c_str(), 1);
  ASSERT_OK_AND_ASSIGN(GlobalOptions from_env, Read({}));
  ASSERT_TRUE(from_env.tls.has_value());
  EXPECT_EQ(from_env.tls->certificate_chain, "cert contents");
  ASSERT_OK_AND_ASSIGN(GlobalOptions overridden, Read({"--ca_file", dir_.Sub("other-ca.pem")}));
  EXPECT_EQ(overridden.tls->ca_certificates, "other-ca contents");
  EXPECT_EQ(overridden.tls->private_key, "key contents");
}

TEST_F(TlsGlobalOptionsTest, ACertificateWithoutItsKeyOrAnUnreadableFileIsAUsageError) {
  EXPECT_THAT(Read({"--ca_file", dir_.Sub("ca.pem"), "--cert_file", dir_.Sub("cert.pem")}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--key_file")));
  EXPECT_THAT(Read({"--ca_file", dir_.Sub("missing.pem")}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("missing.pem")));
}

}  // namespace
}  // namespace einvoice::cli
