// `einvoice submit FILE [--idempotency-key K]` (operators and testing).
#include "absl/strings/str_cat.h"
#include "tools/cli/command.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/proto_io.h"
#include "tools/cli/submit_view.h"

namespace einvoice::cli {
namespace {

int RunSubmit(CommandContext& ctx, const ParsedArgs& args) {
  const std::string& path = args.positionals()[0];
  v1::SubmitInvoiceRequest request;
  if (LooksLikeXmlFile(path)) {  // a seller-signed HDon, sent as is
    absl::StatusOr<std::string> xml = ReadFileContents(path);
    if (!xml.ok()) return ctx.Fail(xml.status(), "submit");
    request.set_invoice_xml(*std::move(xml));
  } else {
    absl::StatusOr<v1::Invoice> invoice = ReadInvoiceJson(path);
    if (!invoice.ok()) return ctx.Fail(invoice.status(), "submit");
    *request.mutable_invoice() = *std::move(invoice);
  }
  request.set_idempotency_key(args.GetOr("idempotency-key", ""));

  absl::StatusOr<v1::SubmitInvoiceResponse> response = ctx.client().SubmitInvoice(request);
  if (response.ok()) {
    ctx.out() << (ctx.json() ? ToJson(*response) : AcceptedText(*response));
    return kExitOk;
  }
  std::optional<v1::Rejection> rejection = ExtractRejection(response.status());
  if (!rejection.has_value()) return ctx.Fail(response.status(), "submit");
  if (ctx.json()) {
    v1::SubmitInvoiceResponse rejected;
    *rejected.mutable_rejected() = *rejection;
    ctx.out() << ToJson(rejected);
  } else {
    ctx.out() << RejectionText(*rejection);
  }
  ctx.err() << "einvoice: submit: rejected: " << rejection->message() << "\n";
  return ExitCodeFor(response.status().code());
}

}  // namespace

std::vector<CommandSpec> SubmitCommands() {
  CommandSpec submit;
  submit.path = {"submit"};
  submit.synopsis = "FILE [--idempotency-key K]";
  submit.summary = "Submit an invoice (JSON) for a code; for operators and testing.";
  submit.details =
      "FILE is an einvoice.v1.Invoice in the protobuf JSON mapping (see examples/invoice.json).\n"
      "Prints the authority code (and whether it answers an earlier submission), or the\n"
      "rejection with every violation. With --json prints the SubmitInvoiceResponse (a\n"
      "rejection as {\"rejected\": {...}}). Exit 3 when rejected, 5 when the server was\n"
      "unavailable or overloaded (safe to retry: no code was issued).";
  submit.options = {
      {"idempotency-key", "K", "client-chosen key making retries safe (max 128 characters)"},
  };
  submit.min_positionals = 1;
  submit.max_positionals = 1;
  submit.run = RunSubmit;
  return {submit};
}

}  // namespace einvoice::cli
