// Offline verification of an AuthenticatedInvoice against the authority's published keys
// (GetSigningKeys, or an exported key manifest). Used by the VerifyInvoice rpc and the CLI.
// Pure function; thread-safe.
#ifndef EINVOICE_DOMAIN_INVOICE_VERIFIER_H_
#define EINVOICE_DOMAIN_INVOICE_VERIFIER_H_

#include <string>
#include <vector>

#include "einvoice/v1/authentication.pb.h"
#include "einvoice/v1/invoice_authority.pb.h"

namespace einvoice {

struct InvoiceVerification {
  // The signature verifies over signed_record with the key named by key_id.
  bool signature_valid = false;
  // Every check passed: signature, record well-formed, envelope consistent with the record,
  // key valid at issued_at.
  bool valid = false;
  // What failed, in English, one line each.
  std::vector<std::string> problems;
  // The parsed record (when it parsed).
  v1::AuthenticationRecord record;
};

// Checks `invoice` with `keys`: the record parses and is self-consistent, its code is
// well-formed, authority_code/issued_at/key_id agree between envelope and record, the key is
// known and was active at issued_at (not_before <= issued_at, and before retired_at if
// retired), and the signature verifies.
InvoiceVerification VerifyAuthenticatedInvoice(const v1::AuthenticatedInvoice& invoice,
                                               const std::vector<v1::SigningKey>& keys);

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_INVOICE_VERIFIER_H_
