// SellerAdmin: the tax officers' operations on the seller registry (register or update a
// seller, read it, change its status), with their validation.
//
// Thread-safety: all methods may be called concurrently; read-modify-write operations are
// serialised so concurrent updates of one seller do not lose each other's changes.
#ifndef EINVOICE_DOMAIN_SELLER_ADMIN_H_
#define EINVOICE_DOMAIN_SELLER_ADMIN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "einvoice/v1/tax_officer.pb.h"
#include "storage/seller_registry.h"

namespace einvoice {

class SellerAdmin {
 public:
  // REQUIRES: the pointers outlive this object.
  SellerAdmin(SellerRegistry* registry, const Clock* clock);

  // Registers a new seller as ACTIVE, or updates the name and certificates of a registered
  // one (keeping its status). INVALID_ARGUMENT for a bad tax code, an empty or too-long name,
  // or an empty certificate.
  absl::StatusOr<v1::Seller> Register(const v1::RegisterSellerRequest& request);

  // NOT_FOUND if not registered.
  absl::StatusOr<v1::Seller> Get(absl::string_view tax_code);

  // NOT_FOUND if not registered; INVALID_ARGUMENT for SELLER_STATUS_UNSPECIFIED.
  absl::StatusOr<v1::Seller> SetStatus(absl::string_view tax_code, v1::SellerStatus status);

 private:
  SellerRegistry* const registry_;
  const Clock* const clock_;
  absl::Mutex write_mu_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_SELLER_ADMIN_H_
