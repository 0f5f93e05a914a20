// AccessControl: who may do what -- the one place the service's access policy is decided
// (docs/security.md has the table). Every domain operation asks it before acting, so every
// adapter (gRPC today, T-VAN and HTTP later) gets the same checks.
//
//   submit an invoice           the seller itself, or the T-VAN the seller named; the local
//                               operator
//   read an invoice             its seller, its buyer, the seller's T-VAN; officers
//   (get, verify, search)
//   officer operations          officers and administrators (seller registry, statistics)
//   administrator operations    administrators (signing keys, the audit trail)
//   signing keys, health        every authenticated caller (no check here)
//
// Denials are PERMISSION_DENIED with a message naming what was refused, and are recorded in
// the audit trail. Calls that an officer's or an administrator's right allowed are recorded
// too, with their outcome (Audited() / RecordPrivileged()); a taxpayer's calls about its own
// invoices are not. The local operator (development mode) is recorded only for officer and
// administrator operations, so that a benchmark's lookups do not each write a record.
//
// An audit record that cannot be written is logged as an error with everything it would have
// held; the call's own outcome stands (see docs/security.md for why).
//
// Thread-safety: every method may be called concurrently.
#ifndef EINVOICE_DOMAIN_ACCESS_CONTROL_H_
#define EINVOICE_DOMAIN_ACCESS_CONTROL_H_

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/audit_trail.h"
#include "domain/caller.h"
#include "einvoice/v1/tax_officer.pb.h"
#include "storage/seller_registry.h"

namespace einvoice {

// Which right an operation needs.
enum class Right {
  kOfficer,  // officers and administrators
  kAdmin,    // administrators
};

// How a read was allowed.
enum class Grant {
  kOwn,         // the caller is a party (or the T-VAN, or the local operator): not audited
  kPrivileged,  // an officer's right: audit the outcome (RecordPrivileged)
};

class AccessControl {
 public:
  // REQUIRES: the pointers outlive this object.
  AccessControl(SellerRegistry* sellers, AuditTrail* audit);

  // OK if the caller holds `right`; else PERMISSION_DENIED, recorded.
  absl::Status Require(const Caller& caller, Right right, const Operation& operation);

  // Runs `work` if the caller holds `right`, and records the outcome either way. `work`
  // returns absl::Status or absl::StatusOr<T>; so does this.
  template <typename Work>
  auto Audited(const Caller& caller, Right right, const Operation& operation, Work work)
      -> decltype(work()) {
    if (absl::Status allowed = Require(caller, right, operation); !allowed.ok()) return allowed;
    auto result = work();
    RecordPrivileged(caller, operation, StatusOf(result));
    return result;
  }

  // OK if the caller may submit invoices of `seller_tax_code`: the seller itself, or the T-VAN
  // named in `seller` (the registration, when there is one). Else PERMISSION_DENIED, recorded.
  absl::Status AuthorizeSubmission(const Caller& caller, absl::string_view seller_tax_code,
                                   const std::optional<v1::Seller>& seller,
                                   const Operation& operation);

  // May the caller read an invoice of `seller_tax_code` sold to `buyer_tax_code` (empty: no
  // buyer tax code)? PERMISSION_DENIED (recorded), or how it was granted. Reads the seller
  // registry only when the caller might be the seller's T-VAN (UNAVAILABLE if it cannot).
  absl::StatusOr<Grant> AuthorizeInvoiceRead(const Caller& caller, absl::string_view seller_tax_code,
                                             absl::string_view buyer_tax_code,
                                             const Operation& operation);

  // May the caller read a seller's registration (officers, the seller, its T-VAN)?
  absl::StatusOr<Grant> AuthorizeSellerRead(const Caller& caller, absl::string_view tax_code,
                                            const Operation& operation);

  // Records a call allowed by an officer's or administrator's right, with its outcome.
  void RecordPrivileged(const Caller& caller, const Operation& operation,
                        const absl::Status& outcome);

  // Records a call refused for another reason than this class's checks (for example an
  // unauthenticated call refused by the adapter). Returns `denial`.
  absl::Status RecordDenial(const Caller& caller, const Operation& operation, absl::Status denial);

 private:
  static absl::Status StatusOf(const absl::Status& status) { return status; }
  template <typename T>
  static absl::Status StatusOf(const absl::StatusOr<T>& result) {
    return result.status();
  }
  // True if `caller` is the T-VAN that `tax_code`'s registration names (reads the registry;
  // UNAVAILABLE if it cannot).
  absl::StatusOr<bool> IsTvanOf(const Caller& caller, absl::string_view tax_code);
  absl::Status Deny(const Caller& caller, const Operation& operation, absl::string_view why);
  void Write(const Caller& caller, const Operation& operation, const absl::Status& outcome);

  SellerRegistry* const sellers_;
  AuditTrail* const audit_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_ACCESS_CONTROL_H_
