// SellerAdmin: the seller registry on officers' behalf -- register a seller, rename it, add
// and revoke its signing certificates, name its T-VAN provider, change its status, read it,
// list the registered sellers.
//
// Nothing is replaced silently: registering an existing seller only renames it; its
// certificates change only through AddCertificate / RevokeCertificate and its T-VAN only
// through SetTvan, each an explicit officer call recorded in the audit trail (AccessControl).
// Every certificate is parsed and checked before it is stored: an X.509 certificate of at most
// 16 KiB, valid now, whose subject's UID attribute names the seller: "UID=MST:<tax code>", the
// convention Vietnamese CAs follow ("UID=CCCD:<id>" too for a 12-digit personal tax code;
// signer/x509_certificate.h UidNamesTaxCode) -- the attribute TLS identifies callers by.
//
// Rights: officers and administrators for every change and for List(); Get() also for the
// seller itself and its T-VAN. Errors: PERMISSION_DENIED; INVALID_ARGUMENT (bad tax code, name, certificate,
// reason); NOT_FOUND (seller, certificate); FAILED_PRECONDITION (a change Register() does not
// make, too many certificates, a revoked certificate added again); UNAVAILABLE (registry).
//
// Thread-safety: all methods may be called concurrently; read-modify-write operations are
// serialised so concurrent updates of one seller do not lose each other's changes.
#ifndef EINVOICE_DOMAIN_SELLER_ADMIN_H_
#define EINVOICE_DOMAIN_SELLER_ADMIN_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "domain/access_control.h"
#include "domain/caller.h"
#include "einvoice/v1/tax_officer.pb.h"
#include "storage/seller_registry.h"

namespace einvoice {

// Most certificates in force per seller.
inline constexpr size_t kMaxSellerCertificates = 16;
// Largest certificate accepted (real ones are 1-2 KiB).
inline constexpr size_t kMaxSellerCertificateBytes = 16 * 1024;
// Revocations that keep the certificate itself in the seller's record; older ones keep its
// fingerprint, time and reason only (the audit trail keeps every revocation).
inline constexpr size_t kRevokedCertificatesKept = 16;
// List(): sellers per page when the request says 0, and the most a request may ask for.
inline constexpr uint32_t kDefaultSellerPageSize = 100;
inline constexpr uint32_t kMaxSellerPageSize = 1000;
// List() by status: registrations read per page at most (a page may then come back short, even
// empty, with a next page token), so that one call's work is bounded however rare the status.
inline constexpr size_t kMaxSellersExaminedPerPage = 10000;

class SellerAdmin {
 public:
  // REQUIRES: the pointers outlive this object.
  SellerAdmin(SellerRegistry* registry, AccessControl* access, const Clock* clock);

  // Registers a new seller as ACTIVE with the request's certificates and T-VAN, or renames a
  // registered one (keeping its status, certificates and T-VAN). FAILED_PRECONDITION if the
  // seller is registered and the request names other certificates or another T-VAN.
  absl::StatusOr<v1::Seller> Register(const Caller& caller,
                                      const v1::RegisterSellerRequest& request);

  // NOT_FOUND if not registered.
  absl::StatusOr<v1::Seller> Get(const Caller& caller, absl::string_view tax_code);

  // One page of the registered sellers, in tax code order, optionally only those in
  // request.status(); page_size 0 means kDefaultSellerPageSize, more than kMaxSellerPageSize
  // means that many; a page also ends at kMaxSellerPageBytes. Officers only; every page is
  // audited (a page whose record cannot be written is refused, UNAVAILABLE). INVALID_ARGUMENT
  // for a status that is not a SellerStatus, or a page token that is malformed or from a
  // listing with another status.
  absl::StatusOr<v1::ListSellersResponse> List(const Caller& caller,
                                               const v1::ListSellersRequest& request);

  // INVALID_ARGUMENT for SELLER_STATUS_UNSPECIFIED.
  absl::StatusOr<v1::Seller> SetStatus(const Caller& caller, absl::string_view tax_code,
                                       v1::SellerStatus status);

  // OK without change if the certificate is registered already.
  absl::StatusOr<v1::Seller> AddCertificate(const Caller& caller,
                                            const v1::AddSellerCertificateRequest& request);
  absl::StatusOr<v1::Seller> RevokeCertificate(const Caller& caller,
                                               const v1::RevokeSellerCertificateRequest& request);
  absl::StatusOr<v1::Seller> SetTvan(const Caller& caller, const v1::SetSellerTvanRequest& request);

 private:
  // Reads the seller, applies `change`, stamps updated_at and stores it, under write_mu_.
  absl::StatusOr<v1::Seller> Update(absl::string_view tax_code,
                                    const std::function<absl::Status(v1::Seller&)>& change);
  // INVALID_ARGUMENT unless `der` is a certificate valid now naming `tax_code`.
  absl::Status CheckCertificate(absl::string_view der, absl::string_view tax_code,
                                absl::string_view field) const;

  SellerRegistry* const registry_;
  AccessControl* const access_;
  const Clock* const clock_;
  absl::Mutex write_mu_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_SELLER_ADMIN_H_
