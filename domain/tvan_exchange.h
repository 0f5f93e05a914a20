// TvanExchange: the authority's side of the T-VAN exchange for one `TDiep` message.
// A type 200 message (an invoice to code) is answered with a 999 technical receipt and then a
// 202 (the coded invoice, with the warnings it was coded with) or a 204 (notice 01/TB-KTDL,
// LTBao 1, one LDo per error, signed by the authority's active key through the Signer).
// Anything the authority cannot take in (unreadable envelope, other message types, an empty
// payload, an outage, a signer that cannot sign the notice) gets a 999 that lists the technical
// error and nothing else.
//
// The request's MTDiep is the idempotency key, so a T-VAN that resends a message after a
// timeout gets the same code back.
//
// The caller must be the invoice's seller or the T-VAN the seller registered (as for
// InvoiceAuthenticator): otherwise PERMISSION_DENIED and no answer message.
//
// Blocking like InvoiceAuthenticator::SubmitXml; thread-safe.
#ifndef EINVOICE_DOMAIN_TVAN_EXCHANGE_H_
#define EINVOICE_DOMAIN_TVAN_EXCHANGE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/caller.h"
#include "domain/invoice_authenticator.h"
#include "domain/signing_key_manager.h"
#include "signer/signer.h"

namespace einvoice {

class TvanExchange {
 public:
  // REQUIRES: the pointers outlive the exchange.
  TvanExchange(InvoiceAuthenticator* authenticator, SigningKeyManager* keys, Signer* signer);

  // The answers, in order: the 999 first, then the 202 or 204 when the invoice was processed.
  // PERMISSION_DENIED (recorded in the audit trail) instead when the caller may not submit
  // for the invoice's seller. `now` dates the receipt and the notice.
  absl::StatusOr<std::vector<std::string>> Exchange(const Caller& caller,
                                                    absl::string_view message, absl::Time now);

 private:
  InvoiceAuthenticator* const authenticator_;
  SigningKeyManager* const keys_;
  Signer* const signer_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_TVAN_EXCHANGE_H_
