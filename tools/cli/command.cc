#include "tools/cli/command.h"

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "tools/cli/exit_codes.h"

namespace einvoice::cli {

std::optional<std::string> BadDayOption(const ParsedArgs& args,
                                        std::initializer_list<absl::string_view> names) {
  for (absl::string_view name : names) {
    std::optional<std::string> value = args.Get(name);
    absl::CivilDay day;
    if (value.has_value() && !ParseDay(*value, &day)) {
      return absl::StrCat("--", name, ": expected a date YYYY-MM-DD, got \"", *value, "\"");
    }
  }
  return std::nullopt;
}

absl::string_view OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kTable:
      return "table";
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kCsv:
      return "csv";
  }
  return "table";
}

ClientFactory DefaultClientFactory() {
  return [](const std::string& server, const ClientOptions& options) {
    return EinvoiceClient::Create(server, options);
  };
}

CommandContext::CommandContext(std::string command_name, GlobalOptions options, std::ostream& out,
                               std::ostream& err, ClientFactory client_factory)
    : command_name_(std::move(command_name)),
      options_(std::move(options)),
      out_(out),
      err_(err),
      client_factory_(std::move(client_factory)) {}

EinvoiceClient& CommandContext::client() {
  if (client_ == nullptr) {
    ClientOptions client_options;
    client_options.timeout = options_.timeout;
    client_options.tls = options_.tls;
    client_ = client_factory_(options_.server, client_options);
  }
  return *client_;
}

int CommandContext::Fail(const absl::Status& status, absl::string_view context) {
  err_ << "einvoice: ";
  if (!context.empty()) err_ << context << ": ";
  err_ << (status.message().empty() ? absl::StatusCodeToString(status.code())
                                    : std::string(status.message()));
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
      err_ << "\n  (server " << options_.server
           << " unavailable: is einvoiced running there? set it with --server ADDR"
           << (options_.tls.has_value()
                   ? "; does it trust your certificate, and --ca_file the server's?)"
                   : "; a TLS server needs --ca_file, --cert_file and --key_file)");
      break;
    case absl::StatusCode::kPermissionDenied:
      err_ << "\n  (your certificate does not give the right to do this; the refusal is in "
              "the audit trail)";
      break;
    case absl::StatusCode::kUnauthenticated:
      err_ << "\n  (the server wants a client certificate: --cert_file and --key_file)";
      break;
    case absl::StatusCode::kDeadlineExceeded:
      err_ << "\n  (no answer from " << options_.server << " within "
           << absl::FormatDuration(options_.timeout) << "; raise it with --timeout SECONDS)";
      break;
    case absl::StatusCode::kResourceExhausted:
      err_ << "\n  (server overloaded: retry later)";
      break;
    default:
      break;
  }
  err_ << "\n";
  return ExitCodeFor(status.code());
}

int CommandContext::UsageError(absl::string_view message) {
  err_ << "einvoice " << command_name_ << ": " << message << "\n"
       << "Run 'einvoice " << command_name_ << " --help' for usage.\n";
  return kExitUsage;
}

}  // namespace einvoice::cli
