// `einvoice seller register|show|suspend|activate|stop MST`.
#include "absl/strings/str_cat.h"
#include "tools/cli/command.h"
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

int RunRegister(CommandContext& ctx, const ParsedArgs& args) {
  if (!args.Has("name") || args.Get("name")->empty()) return ctx.UsageError("missing --name NAME");
  v1::RegisterSellerRequest request;
  request.set_tax_code(args.positionals()[0]);
  request.set_name(*args.Get("name"));
  for (const std::string& path : args.GetAll("cert")) {
    absl::StatusOr<std::string> contents = ReadFileContents(path);
    if (!contents.ok()) return ctx.Fail(contents.status(), "seller register");
    absl::StatusOr<std::vector<std::string>> certificates = CertificatesFromFileContents(*contents);
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
  reg.synopsis = "MST --name NAME [--cert FILE ...]";
  reg.summary = "Register a seller for coded invoices, or update its name and certificates.";
  reg.details =
      "Certificates are X.509, PEM (one or more blocks per file) or DER. The registered set is\n"
      "replaced by the certificates given (none given: the seller has none).";
  reg.options = {
      {"name", "NAME", "registered name (required)"},
      {"cert", "FILE", "signing certificate, PEM or DER", /*repeated=*/true},
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

  return {reg, show,
          StatusCommand("suspend", v1::SELLER_STATUS_SUSPENDED,
                        "Suspend a seller: no codes until re-activated."),
          StatusCommand("activate", v1::SELLER_STATUS_ACTIVE, "Re-activate a seller."),
          StatusCommand("stop", v1::SELLER_STATUS_STOPPED,
                        "Mark a seller as stopped (closed or registration withdrawn).")};
}

}  // namespace einvoice::cli
