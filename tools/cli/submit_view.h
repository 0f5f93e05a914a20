// Text for `einvoice submit`'s outcomes: an accepted invoice, or a rejection with every
// violation in a table. Pure functions; thread-safe.
#ifndef EINVOICE_TOOLS_CLI_SUBMIT_VIEW_H_
#define EINVOICE_TOOLS_CLI_SUBMIT_VIEW_H_

#include <string>

#include "einvoice/v1/invoice_authority.pb.h"

namespace einvoice::cli {

// "accepted: CODE" plus issue time and key, noting a replay of an earlier submission.
std::string AcceptedText(const v1::SubmitInvoiceResponse& response);

// "rejected (INVALID_ARGUMENT): message", the existing code for a duplicate, then a table
// of violations: code, field, message (Vietnamese on one line, English below it).
std::string RejectionText(const v1::Rejection& rejection);

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_SUBMIT_VIEW_H_
