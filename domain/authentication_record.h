// The bytes the authority signs (docs/signed-record.md): a deterministic serialization of
// v1::AuthenticationRecord. Pure functions; thread-safe.
#ifndef EINVOICE_DOMAIN_AUTHENTICATION_RECORD_H_
#define EINVOICE_DOMAIN_AUTHENTICATION_RECORD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "einvoice/v1/authentication.pb.h"
#include "einvoice/v1/invoice.pb.h"

namespace einvoice {

// The record layout this code writes (AuthenticationRecord.format_version).
inline constexpr uint32_t kRecordFormatVersion = 1;

// The deterministic serialization of an invoice: what content fingerprints and
// AuthenticationRecord.invoice_sha256 are computed over.
std::string SerializeInvoiceDeterministically(const v1::Invoice& invoice);

// SHA-256 of SerializeInvoiceDeterministically(invoice): equal for equal invoices.
std::string InvoiceFingerprint(const v1::Invoice& invoice);

// Issue times are kept to the microsecond so they round-trip through every format.
absl::Time TruncateIssueTime(absl::Time t);
google::protobuf::Timestamp ToTimestamp(absl::Time t);
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

// The serialized AuthenticationRecord for an invoice given `authority_code` at `issued_at`
// and to be signed by `key_id`.
std::string BuildSignedRecord(absl::string_view authority_code, absl::Time issued_at,
                              absl::string_view key_id, const v1::Invoice& invoice);

// The same with the invoice's fingerprint already computed (the submit path has it): saves
// serializing and hashing the invoice a second time.
// REQUIRES: invoice_sha256 == InvoiceFingerprint(invoice).
std::string BuildSignedRecord(absl::string_view authority_code, absl::Time issued_at,
                              absl::string_view key_id, const v1::Invoice& invoice,
                              absl::string_view invoice_sha256);

// Parses `signed_record` and checks its internal consistency (known format version, the
// invoice hash matches the invoice bytes). INVALID_ARGUMENT says what is wrong.
absl::StatusOr<v1::AuthenticationRecord> ParseSignedRecord(absl::string_view signed_record);

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_AUTHENTICATION_RECORD_H_
