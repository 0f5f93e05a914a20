#include "tools/cli/submit_view.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tools/cli/invoice_view.h"
#include "tools/cli/table.h"

namespace einvoice::cli {

std::string AcceptedText(const v1::SubmitInvoiceResponse& response) {
  const v1::AuthenticatedInvoice& accepted = response.accepted();
  std::string out = absl::StrCat(
      "accepted: ", accepted.authority_code(),
      response.replay() ? "  (replay: this invoice had already been accepted; original result)"
                        : "",
      "\n");
  absl::StrAppend(&out, RenderKeyValues({
                            {"Issued at", FormatTimestamp(accepted.issued_at(),
                                                          accepted.has_issued_at())},
                            {"Signing key", accepted.key_id()},
                        }));
  return out;
}

std::string RejectionText(const v1::Rejection& rejection) {
  std::string out = absl::StrCat(
      "rejected (",
      absl::StatusCodeToString(static_cast<absl::StatusCode>(rejection.status_code())),
      "): ", rejection.message(), "\n");
  if (!rejection.existing_authority_code().empty()) {
    absl::StrAppend(&out, "existing invoice: ", rejection.existing_authority_code(), "\n");
  }
  if (rejection.violations().empty()) return out;
  Table table({"code", "field", "message (vi / en)"});
  for (const v1::Violation& violation : rejection.violations()) {
    table.AddRow({violation.code(), violation.field().empty() ? "(invoice)" : violation.field(),
                  absl::StrCat(violation.message(), "\n", violation.message_en())});
  }
  absl::StrAppend(&out, rejection.violations_size(),
                  rejection.violations_size() == 1 ? " violation:\n" : " violations:\n",
                  table.Render());
  return out;
}

}  // namespace einvoice::cli
