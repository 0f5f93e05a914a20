// Turns the domain's SubmitOutcome into the API's SubmitInvoiceResponse (and a cash-register
// batch's CashRegisterResult). Pure; thread-safe.
#ifndef EINVOICE_SERVER_SUBMISSION_RESPONSE_H_
#define EINVOICE_SERVER_SUBMISSION_RESPONSE_H_

#include "domain/invoice_authenticator.h"
#include "einvoice/v1/invoice_authority.pb.h"

#include <string>

namespace einvoice {

// `accepted` + `replay` for OK outcomes, else `rejected` carrying the status code, message,
// violations and existing code. `client_reference` is left to the caller.
v1::SubmitInvoiceResponse ToSubmitResponse(SubmitOutcome outcome);

// Violations one invoice's result in a cash-register batch lists (rejections and warnings
// each), then one 20000 saying how many more: with details bounded (rules/violation.h) a
// result stays under ~4 KiB, so 1000 of them fit the 4 MiB response. Fixing those and
// resending shows the next ones; a received invoice's warnings are all in GetInvoice.
inline constexpr size_t kMaxBatchResultViolations = 2;

// One invoice's result in a cash-register batch: `received` (+ `replay`, `received_at`,
// `warnings`) for OK outcomes, else `rejected` as in ToSubmitResponse, with at most
// kMaxBatchResultViolations violations (and warnings) plus a summary, and no hints (the
// catalogue, docs/violations.md, has them). `code` is the code sent.
v1::CashRegisterResult ToCashRegisterResult(std::string code, SubmitOutcome outcome);

// A rejection for an error raised outside the authenticator (overload, bad request shape).
v1::SubmitInvoiceResponse ErrorResponse(const absl::Status& status);

}  // namespace einvoice

#endif  // EINVOICE_SERVER_SUBMISSION_RESPONSE_H_
