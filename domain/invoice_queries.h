// InvoiceQueries: every read of stored invoices on someone's behalf -- get (by code or key),
// verify against the record on file, search by party, statistics -- with AccessControl's
// checks in one place, so the gRPC services (and any later adapter) only translate.
//
// Who reads what (docs/security.md): an invoice's seller, buyer and the seller's T-VAN read it;
// officers read everything (recorded in the audit trail); statistics and the search by
// warning rule are for officers. A
// lookup by key is answered NOT_FOUND only to callers who may read the seller's invoices
// (the seller, its T-VAN, officers); anyone else gets PERMISSION_DENIED whether or not the
// invoice exists, so invoice numbers cannot be probed.
//
// Errors: INVALID_ARGUMENT (malformed request), NOT_FOUND, PERMISSION_DENIED, UNAVAILABLE
// (store), DATA_LOSS (a stored record does not parse).
// Thread-safety: every method may be called concurrently; they block on the store (call them
// from a worker pool).
#ifndef EINVOICE_DOMAIN_INVOICE_QUERIES_H_
#define EINVOICE_DOMAIN_INVOICE_QUERIES_H_

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "domain/access_control.h"
#include "domain/caller.h"
#include "domain/signing_key_manager.h"
#include "einvoice/v1/invoice_authority.pb.h"
#include "einvoice/v1/tax_officer.pb.h"
#include "storage/invoice_store.h"

namespace einvoice {

class InvoiceQueries {
 public:
  // REQUIRES: the pointers outlive this object.
  InvoiceQueries(InvoiceStore* store, SigningKeyManager* keys, AccessControl* access,
                 const Clock* clock);

  absl::StatusOr<v1::AuthenticatedInvoice> Get(const Caller& caller,
                                               const v1::GetInvoiceRequest& request);
  // OK with the verdict (even "not valid"); errors only for the call itself.
  absl::StatusOr<v1::VerifyInvoiceResponse> Verify(const Caller& caller,
                                                   const v1::VerifyInvoiceRequest& request);
  absl::StatusOr<v1::SearchInvoicesResponse> Search(const Caller& caller,
                                                    const v1::SearchInvoicesRequest& request);
  // Officers only.
  absl::StatusOr<v1::GetStatsResponse> Stats(const Caller& caller,
                                             const v1::GetStatsRequest& request);

 private:
  // The stored invoice under `code`, or nullopt.
  absl::StatusOr<std::optional<v1::AuthenticatedInvoice>> Load(absl::string_view code);
  absl::StatusOr<v1::AuthenticatedInvoice> GetUnaudited(const Caller& caller,
                                                        const v1::GetInvoiceRequest& request,
                                                        const Operation& operation,
                                                        Grant* grant);
  absl::StatusOr<v1::SearchInvoicesResponse> SearchAllowed(const SearchQuery& query);
  // Officers only, audited; INVALID_ARGUMENT for a rule the catalogues do not know.
  absl::StatusOr<v1::SearchInvoicesResponse> SearchByWarning(
      const Caller& caller, const SearchQuery& query, const v1::SearchInvoicesRequest& request);

  InvoiceStore* const store_;
  SigningKeyManager* const keys_;
  AccessControl* const access_;
  const Clock* const clock_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_INVOICE_QUERIES_H_
