// `einvoice get CODE` and `einvoice get --seller MST [--template T] --symbol S --number N`.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/cli/command.h"
#include "tools/cli/csv_views.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/invoice_view.h"
#include "tools/cli/proto_io.h"

namespace einvoice::cli {
namespace {

int RunGet(CommandContext& ctx, const ParsedArgs& args) {
  const bool by_code = !args.positionals().empty();
  const bool by_key = args.Has("seller") || args.Has("symbol") || args.Has("number") ||
                      args.Has("template");
  v1::GetInvoiceRequest request;
  if (by_code == by_key) {
    return ctx.UsageError(by_code ? "give either CODE or --seller/--symbol/--number, not both"
                                  : "give CODE, or --seller MST --symbol SYMBOL --number N");
  }
  if (by_code) {
    request.set_authority_code(args.positionals()[0]);
  } else {
    v1::InvoiceKey* key = request.mutable_key();
    for (const char* required : {"seller", "symbol", "number"}) {
      if (!args.Has(required)) return ctx.UsageError(absl::StrCat("missing --", required));
    }
    key->set_seller_tax_code(*args.Get("seller"));
    key->set_template_code(args.GetOr("template", "1"));
    key->set_symbol(*args.Get("symbol"));
    uint32_t number = 0;
    if (!absl::SimpleAtoi(*args.Get("number"), &number) || number == 0) {
      return ctx.UsageError(
          absl::StrCat("--number: expected a positive integer, got \"", *args.Get("number"), "\""));
    }
    key->set_number(number);
  }
  absl::StatusOr<v1::AuthenticatedInvoice> invoice = ctx.client().GetInvoice(request);
  if (!invoice.ok()) return ctx.Fail(invoice.status(), "get");
  if (ctx.csv()) {
    absl::StatusOr<std::string> lines = InvoiceLinesCsv(*invoice);
    if (!lines.ok()) return ctx.Fail(lines.status(), "get");
    ctx.out() << *lines;
    return kExitOk;
  }
  ctx.out() << (ctx.json() ? ToJson(*invoice) : InvoiceDetails(*invoice));
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> GetCommands() {
  CommandSpec get;
  get.path = {"get"};
  get.synopsis = "CODE | --seller MST [--template T] --symbol SYMBOL --number N";
  get.summary = "Show one authenticated invoice, by authority code or by seller-side key.";
  get.details =
      "With --output json (or --json) prints the AuthenticatedInvoice (protobuf JSON mapping);\n"
      "save it to a file and check it offline with 'einvoice verify FILE'. With --output csv\n"
      "prints the invoice's lines, one row each, with exact quantities, prices and amounts\n"
      "(columns in docs/cli.md).";
  get.options = {
      {"seller", "MST", "seller's tax code"},
      {"template", "T", "template code (KHMSHDon), default 1"},
      {"symbol", "SYMBOL", "invoice symbol (KHHDon), e.g. C26TAA"},
      {"number", "N", "invoice number (SHDon)"},
  };
  get.min_positionals = 0;
  get.max_positionals = 1;
  get.csv = true;
  get.run = RunGet;
  return {get};
}

}  // namespace einvoice::cli
