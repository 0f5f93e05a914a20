// `einvoice seller register|show|suspend|activate|stop MST`, `seller list`,
// `seller cert add|revoke`, `seller tvan`.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/cli/command.h"
#include "tools/cli/csv_views.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/invoice_view.h"
#include "tools/cli/pem.h"
#include "tools/cli/proto_io.h"

namespace einvoice::cli {
namespace {

int PrintSeller(CommandContext& ctx, const v1::Seller& seller) {
  ctx.out() << (ctx.json() ? ToJson(seller) : SellerDetails(seller));
  return kExitOk;
}

// Every certificate in a PEM or DER file.
absl::StatusOr<std::vector<std::string>> ReadCertificates(CommandContext& ctx,
                                                          const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFileContents(path);
  if (!contents.ok()) return contents.status();
  return CertificatesFromFileContents(*contents);
}

int RunCertAdd(CommandContext& ctx, const ParsedArgs& args) {
  const std::string& tax_code = args.positionals()[0];
  absl::StatusOr<std::vector<std::string>> certificates =
      ReadCertificates(ctx, args.positionals()[1]);
  if (!certificates.ok()) return ctx.Fail(certificates.status(), "seller cert add");
  // One per call, so a failure never leaves half a file added.
  if (certificates->size() != 1) {
    return ctx.UsageError("the file must hold exactly one certificate");
  }
  absl::StatusOr<v1::Seller> seller =
      ctx.client().AddSellerCertificate(tax_code, certificates->front());
  if (!seller.ok()) return ctx.Fail(seller.status(), "seller cert add");
  return PrintSeller(ctx, *seller);
}

int RunCertRevoke(CommandContext& ctx, const ParsedArgs& args) {
  if (!args.Has("reason") || args.Get("reason")->empty()) {
    return ctx.UsageError("missing --reason TEXT");
  }
  absl::StatusOr<v1::Seller> seller = ctx.client().RevokeSellerCertificate(
      args.positionals()[0], args.positionals()[1], *args.Get("reason"));
  if (!seller.ok()) return ctx.Fail(seller.status(), "seller cert revoke");
  return PrintSeller(ctx, *seller);
}

int RunTvan(CommandContext& ctx, const ParsedArgs& args) {
  const bool none = args.Has("none");
  if (none == (args.positionals().size() == 2)) {
    return ctx.UsageError("give either the T-VAN's tax code or --none");
  }
  absl::StatusOr<v1::Seller> seller = ctx.client().SetSellerTvan(
      args.positionals()[0], none ? "" : args.positionals()[1]);
  if (!seller.ok()) return ctx.Fail(seller.status(), "seller tvan");
  return PrintSeller(ctx, *seller);
}

int RunRegister(CommandContext& ctx, const ParsedArgs& args) {
  if (!args.Has("name") || args.Get("name")->empty()) return ctx.UsageError("missing --name NAME");
  v1::RegisterSellerRequest request;
  request.set_tax_code(args.positionals()[0]);
  request.set_name(*args.Get("name"));
  request.set_tvan_tax_code(args.GetOr("tvan", ""));
  for (const std::string& path : args.GetAll("cert")) {
    absl::StatusOr<std::vector<std::string>> certificates = ReadCertificates(ctx, path);
    if (!certificates.ok()) return ctx.Fail(certificates.status(), absl::StrCat("--cert ", path));
    for (std::string& der : *certificates) request.add_certificates_der(std::move(der));
  }
  absl::StatusOr<v1::Seller> seller = ctx.client().RegisterSeller(request);
  if (!seller.ok()) return ctx.Fail(seller.status(), "seller register");
  return PrintSeller(ctx, *seller);
}

int RunShow(CommandContext& ctx, const ParsedArgs& args) {
  absl::StatusOr<v1::Seller> seller = ctx.client().GetSeller(args.positionals()[0]);
  if (!seller.ok()) return ctx.Fail(seller.status(), "seller show");
  return PrintSeller(ctx, *seller);
}

// "active" -> SELLER_STATUS_ACTIVE, ...; nullopt for anything else.
std::optional<v1::SellerStatus> ParseSellerStatus(absl::string_view name) {
  for (v1::SellerStatus status :
       {v1::SELLER_STATUS_ACTIVE, v1::SELLER_STATUS_SUSPENDED, v1::SELLER_STATUS_STOPPED}) {
    if (name == SellerStatusName(status)) return status;
  }
  return std::nullopt;
}

int RunList(CommandContext& ctx, const ParsedArgs& args) {
  v1::ListSellersRequest request;
  if (std::optional<std::string> name = args.Get("status")) {
    std::optional<v1::SellerStatus> status = ParseSellerStatus(*name);
    if (!status.has_value()) {
      return ctx.UsageError(
          absl::StrCat("--status: expected active, suspended or stopped, got \"", *name, "\""));
    }
    request.set_status(*status);
  }
  if (std::optional<std::string> size = args.Get("page-size")) {
    uint32_t page_size = 0;
    if (!absl::SimpleAtoi(*size, &page_size) || page_size == 0 || page_size > 1000) {
      return ctx.UsageError(absl::StrCat("--page-size: expected 1..1000, got \"", *size, "\""));
    }
    request.set_page_size(page_size);
  }
  // Rows are made page by page (a seller's certificates are not kept) and printed only once
  // the listing is complete, so a failure never leaves half a list on stdout.
  std::vector<std::string> documents;
  CsvTable csv = SellerCsvTable();
  Table table = SellerSummaryTable();
  size_t count = 0;
  const absl::Status listed =
      ctx.client().ListAllSellers(request, [&](v1::ListSellersResponse& page) {
        for (const v1::Seller& seller : page.sellers()) {
          ++count;
          switch (ctx.output()) {
            case OutputFormat::kJson:
              documents.push_back(ToJson(seller));
              break;
            case OutputFormat::kCsv:
              csv.AddRow(SellerCsvRow(seller));
              break;
            case OutputFormat::kTable:
              table.AddRow(SellerSummaryRow(seller));
              break;
          }
        }
      });
  if (!listed.ok()) return ctx.Fail(listed, "seller list");
  switch (ctx.output()) {
    case OutputFormat::kJson:
      ctx.out() << JsonArray(documents);
      break;
    case OutputFormat::kCsv:
      ctx.out() << csv.Render();
      break;
    case OutputFormat::kTable:
      ctx.out() << table.Render() << count << (count == 1 ? " seller\n" : " sellers\n");
      break;
  }
  return kExitOk;
}

CommandSpec StatusCommand(const char* word, v1::SellerStatus status, const char* summary) {
  CommandSpec command;
  command.path = {"seller", word};
  command.synopsis = "MST";
  command.summary = summary;
  command.min_positionals = 1;
  command.max_positionals = 1;
  const std::string name = absl::StrCat("seller ", word);
  command.run = [status, name](CommandContext& ctx, const ParsedArgs& args) {
    absl::StatusOr<v1::Seller> seller = ctx.client().SetSellerStatus(args.positionals()[0], status);
    if (!seller.ok()) return ctx.Fail(seller.status(), name);
    return PrintSeller(ctx, *seller);
  };
  return command;
}

}  // namespace

std::vector<CommandSpec> SellerCommands() {
  CommandSpec reg;
  reg.path = {"seller", "register"};
  reg.synopsis = "MST --name NAME [--cert FILE ...] [--tvan MST]";
  reg.summary = "Register a new seller for coded invoices, or rename a registered one.";
  reg.details =
      "Certificates are X.509, PEM (one or more blocks per file) or DER; each must be valid\n"
      "now and name the seller (UID=MST:<tax code>). They and --tvan are taken for a new\n"
      "seller only: a registered seller's certificates change with 'seller cert add|revoke'\n"
      "and its T-VAN with 'seller tvan' (a request that would change them is refused).";
  reg.options = {
      {"name", "NAME", "registered name (required)"},
      {"cert", "FILE", "signing certificate, PEM or DER", /*repeated=*/true},
      {"tvan", "MST", "tax code of the T-VAN provider acting for the seller"},
  };
  reg.min_positionals = 1;
  reg.max_positionals = 1;
  reg.run = RunRegister;

  CommandSpec show;
  show.path = {"seller", "show"};
  show.synopsis = "MST";
  show.summary = "Show a registered seller.";
  show.min_positionals = 1;
  show.max_positionals = 1;
  show.run = RunShow;

  CommandSpec list;
  list.path = {"seller", "list"};
  list.synopsis = "[--status active|suspended|stopped] [--page-size N]";
  list.summary = "List the registered sellers, in tax code order (officers).";
  list.details =
      "Follows the server's pages to the end. Prints a table (tax code, name, status, T-VAN,\n"
      "certificates in force, registered at); with --output json one JSON array of Seller (as\n"
      "'seller show --json' prints each); with --output csv one row per seller (columns in\n"
      "docs/cli.md). Every page is in the audit trail.";
  list.options = {
      {"status", "STATUS", "only sellers in this status: active, suspended or stopped"},
      {"page-size", "N", "sellers per server page, 1..1000 (default: the server's, 100)"},
  };
  list.csv = true;
  list.run = RunList;

  CommandSpec cert_add;
  cert_add.path = {"seller", "cert", "add"};
  cert_add.synopsis = "MST CERT_FILE";
  cert_add.summary = "Add the signing certificate in CERT_FILE (one, PEM or DER) to a seller.";
  cert_add.details =
      "Each must be valid now and name the seller (UID=MST:<tax code>); a certificate revoked\n"
      "for the seller cannot come back. Recorded in the audit trail.";
  cert_add.min_positionals = 2;
  cert_add.max_positionals = 2;
  cert_add.run = RunCertAdd;

  CommandSpec cert_revoke;
  cert_revoke.path = {"seller", "cert", "revoke"};
  cert_revoke.synopsis = "MST FINGERPRINT --reason TEXT";
  cert_revoke.summary = "Revoke a seller's certificate (named by the SHA-256 fingerprint 'seller show' prints).";
  cert_revoke.details =
      "XML signed with it is refused from then on; invoices coded earlier keep verifying.";
  cert_revoke.options = {{"reason", "TEXT", "why (required; kept with the seller and audited)"}};
  cert_revoke.min_positionals = 2;
  cert_revoke.max_positionals = 2;
  cert_revoke.run = RunCertRevoke;

  CommandSpec tvan;
  tvan.path = {"seller", "tvan"};
  tvan.synopsis = "MST (TVAN_MST | --none)";
  tvan.summary = "Name the T-VAN provider that may submit and read invoices for the seller.";
  tvan.options = {{"none", "", "remove the seller's T-VAN"}};
  tvan.min_positionals = 1;
  tvan.max_positionals = 2;
  tvan.run = RunTvan;

  return {reg, show, list, cert_add, cert_revoke, tvan,
          StatusCommand("suspend", v1::SELLER_STATUS_SUSPENDED,
                        "Suspend a seller: no codes until re-activated."),
          StatusCommand("activate", v1::SELLER_STATUS_ACTIVE, "Re-activate a seller."),
          StatusCommand("stop", v1::SELLER_STATUS_STOPPED,
                        "Mark a seller as stopped (closed or registration withdrawn).")};
}

}  // namespace einvoice::cli
