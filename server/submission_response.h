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

// One invoice's result in a cash-register batch: `received` (+ `replay`, `received_at`,
// `warnings`) for OK outcomes, else `rejected` as in ToSubmitResponse. `code` is the code sent.
v1::CashRegisterResult ToCashRegisterResult(std::string code, SubmitOutcome outcome);

// A rejection for an error raised outside the authenticator (overload, bad request shape).
v1::SubmitInvoiceResponse ErrorResponse(const absl::Status& status);

}  // namespace einvoice

#endif  // EINVOICE_SERVER_SUBMISSION_RESPONSE_H_
