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
// A taxpayer whose certificate its own registration lists as revoked
// (SellerAdmin::RevokeCertificate) is refused everything it would get as that taxpayer or as a
// T-VAN (one registry read per call).
//
// Denials are PERMISSION_DENIED with a message naming what was refused, and are recorded in
// the audit trail. Calls that an officer's or an administrator's right allowed are recorded
// too, with their outcome (Audited() / RecordPrivileged()): every read an officer makes,
// every registry and key change. A taxpayer's calls about its own invoices are not. The local
// operator (development mode) is recorded only for officer and administrator operations, so
// that a benchmark's lookups do not each write a record.
//
// When an audit record cannot be written: a read by an officer is refused (UNAVAILABLE, no data
// leaves without its record); a change that was made stands, and the record's content is
// logged as an error (see docs/security.md); a denial stands and is logged.
//
// Thread-safety: every method may be called concurrently.
#ifndef EINVOICE_DOMAIN_ACCESS_CONTROL_H_
#define EINVOICE_DOMAIN_ACCESS_CONTROL_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
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

// Whether an audited operation only reads (fails closed when its record cannot be written) or
// changes something (its outcome stands; the missing record is logged).
enum class Effect { kRead, kChange };

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
  // returns absl::Status or absl::StatusOr<T>; so does this. For Effect::kRead, a record that
  // cannot be written turns the result into UNAVAILABLE.
  template <typename Work>
  auto Audited(const Caller& caller, Right right, const Operation& operation, Effect effect,
               Work work) -> decltype(work()) {
    if (absl::Status allowed = Require(caller, right, operation); !allowed.ok()) return allowed;
    auto result = work();
    absl::Status recorded = RecordPrivileged(caller, operation, StatusOf(result));
    if (effect == Effect::kRead && !recorded.ok()) return AuditUnavailable(recorded);
    return result;
  }

  // UNAVAILABLE for a read refused because its audit record could not be written.
  static absl::Status AuditUnavailable(const absl::Status& write_error) {
    return absl::UnavailableError(
        absl::StrCat("the audit trail cannot be written, so nothing is read: ",
                     write_error.message()));
  }

  // OK if the caller may submit invoices of `seller_tax_code`: the seller itself, or the T-VAN
  // named in `seller` (the registration, when there is one). Else PERMISSION_DENIED, recorded.
  // UNAVAILABLE if the registry cannot be read.
  absl::Status AuthorizeSubmission(const Caller& caller, absl::string_view seller_tax_code,
                                   const std::optional<v1::Seller>& seller,
                                   const Operation& operation);

  // OK if the caller may submit invoices at all (a taxpayer, or the local operator): checked
  // before any work on a submission whose seller is not known yet (XML before it is parsed, an
  // invoice without a well-formed seller tax code), so a certificate without a tax code cannot
  // even make the service count rejections.
  absl::Status AuthorizeSubmitter(const Caller& caller, const Operation& operation);

  // May the caller read an invoice of `seller_tax_code` sold to `buyer_tax_code` (empty: no
  // buyer tax code)? PERMISSION_DENIED (recorded), or how it was granted. Reads the seller
  // registry only when the caller might be the seller's T-VAN (UNAVAILABLE if it cannot).
  absl::StatusOr<Grant> AuthorizeInvoiceRead(const Caller& caller, absl::string_view seller_tax_code,
                                             absl::string_view buyer_tax_code,
                                             const Operation& operation);

  // May the caller read a seller's registration (officers, the seller, its T-VAN)?
  absl::StatusOr<Grant> AuthorizeSellerRead(const Caller& caller, absl::string_view tax_code,
                                            const Operation& operation);

  // Records a call allowed by an officer's or administrator's right, with its outcome. The
  // error of the audit write (already logged), for callers that fail closed.
  absl::Status RecordPrivileged(const Caller& caller, const Operation& operation,
                                const absl::Status& outcome);

 private:
  static absl::Status StatusOf(const absl::Status& status) { return status; }
  template <typename T>
  static absl::Status StatusOf(const absl::StatusOr<T>& result) {
    return result.status();
  }
  // The registration of `tax_code` (nullopt when none, or when the registry cannot hold such a
  // code); UNAVAILABLE if the registry cannot be read.
  absl::StatusOr<std::optional<v1::Seller>> Registration(absl::string_view tax_code);
  // True if `caller` is the T-VAN that `tax_code`'s registration names.
  absl::StatusOr<bool> IsTvanOf(const Caller& caller, absl::string_view tax_code);
  // True if the caller's own registration lists its certificate as revoked. `known` saves the
  // read when it is that registration.
  absl::StatusOr<bool> Revoked(const Caller& caller, const std::optional<v1::Seller>& known);
  static std::string RevokedWhy(const Caller& caller);
  absl::Status Deny(const Caller& caller, const Operation& operation, absl::string_view why);
  absl::Status Write(const Caller& caller, const Operation& operation,
                     const absl::Status& outcome);

  SellerRegistry* const sellers_;
  AuditTrail* const audit_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_ACCESS_CONTROL_H_
