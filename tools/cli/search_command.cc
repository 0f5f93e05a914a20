// `einvoice search --seller MST | --buyer MST | --warning RULE [--from D] [--to D]
// [--page-size N]`.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "tools/cli/command.h"
#include "tools/cli/csv_views.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/invoice_view.h"
#include "tools/cli/proto_io.h"

namespace einvoice::cli {
namespace {

int RunSearch(CommandContext& ctx, const ParsedArgs& args) {
  const int selectors = args.Has("seller") + args.Has("buyer") + args.Has("warning");
  if (selectors != 1) {
    return ctx.UsageError("give exactly one of --seller MST, --buyer MST and --warning RULE");
  }
  v1::SearchInvoicesRequest request;
  if (args.Has("seller")) {
    request.set_seller_tax_code(*args.Get("seller"));
  } else if (args.Has("buyer")) {
    request.set_buyer_tax_code(*args.Get("buyer"));
  } else {
    request.set_warning_rule(*args.Get("warning"));
  }
  if (std::optional<std::string> bad = BadDayOption(args, {"from", "to"})) {
    return ctx.UsageError(*bad);
  }
  request.set_issued_from(args.GetOr("from", ""));
  request.set_issued_to(args.GetOr("to", ""));
  if (std::optional<std::string> size = args.Get("page-size")) {
    uint32_t page_size = 0;
    if (!absl::SimpleAtoi(*size, &page_size) || page_size == 0 || page_size > 1000) {
      return ctx.UsageError(
          absl::StrCat("--page-size: expected 1..1000, got \"", *size, "\""));
    }
    request.set_page_size(page_size);
  }
  absl::StatusOr<std::vector<v1::AuthenticatedInvoice>> invoices =
      ctx.client().SearchAllInvoices(request);
  if (!invoices.ok()) return ctx.Fail(invoices.status(), "search");
  if (ctx.json()) {
    std::vector<std::string> documents;
    documents.reserve(invoices->size());
    for (const v1::AuthenticatedInvoice& invoice : *invoices) documents.push_back(ToJson(invoice));
    ctx.out() << JsonArray(documents);
    return kExitOk;
  }
  if (ctx.csv()) {
    CsvTable csv = InvoiceCsvTable();
    for (const v1::AuthenticatedInvoice& invoice : *invoices) csv.AddRow(InvoiceCsvRow(invoice));
    ctx.out() << csv.Render();
    return kExitOk;
  }
  Table table = InvoiceSummaryTable();
  for (const v1::AuthenticatedInvoice& invoice : *invoices) {
    table.AddRow(InvoiceSummaryRow(invoice));
  }
  ctx.out() << table.Render() << invoices->size()
            << (invoices->size() == 1 ? " invoice\n" : " invoices\n");
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> SearchCommands() {
  CommandSpec search;
  search.path = {"search"};
  search.synopsis =
      "--seller MST | --buyer MST | --warning RULE [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
      "[--page-size N]";
  search.summary =
      "List a seller's or a buyer's invoices, or those coded with a warning, by issue date.";
  search.details =
      "Follows the server's pages to the end. Prints a table (code, issue date, seller, buyer,\n"
      "symbol/number, total payable); with --output json one JSON array of\n"
      "AuthenticatedInvoice; with --output csv one row per invoice with the parties' names,\n"
      "currency, exact totals and warning rules (columns in docs/cli.md).";
  search.options = {
      {"seller", "MST", "invoices this seller issued"},
      {"buyer", "MST", "invoices issued to this buyer"},
      {"warning", "RULE",
       "invoices coded with a warning of this rule, e.g. totals.total_payable_mismatch "
       "(officers)"},
      {"from", "YYYY-MM-DD", "first issue date, inclusive"},
      {"to", "YYYY-MM-DD", "last issue date, inclusive"},
      {"page-size", "N", "invoices per server page, 1..1000 (default: the server's, 100)"},
  };
  search.csv = true;
  search.run = RunSearch;
  return {search};
}

}  // namespace einvoice::cli
