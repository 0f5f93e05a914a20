// InspectStoredInvoice: what the offline store check (`einvoice admin check`) needs to know
// about one stored record, and whether it is genuine: it parses, its signed record is
// self-consistent, its signature verifies under the signing key it names (which was active at
// its issue time), and the envelope agrees with the record. Pure; thread-safe.
#ifndef EINVOICE_DOMAIN_STORED_INVOICE_CHECK_H_
#define EINVOICE_DOMAIN_STORED_INVOICE_CHECK_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "einvoice/v1/invoice_authority.pb.h"
#include "storage/store_check.h"

namespace einvoice {

// `bytes` as stored under `code` (a serialized v1::AuthenticatedInvoice), checked against
// `keys` (the signing-key registry).
RecordFacts InspectStoredInvoice(absl::string_view code, absl::string_view bytes,
                                 const std::vector<v1::SigningKey>& keys);

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_STORED_INVOICE_CHECK_H_
