// SellerRegistry: the sellers registered for coded invoices (tax code, name, status,
// certificates), stored as v1::Seller records.
//
// Implementations: RocksDbSellerRegistry, and InMemorySellerRegistry for tests.
// Thread-safety: every method may be called concurrently from any thread.
#ifndef EINVOICE_STORAGE_SELLER_REGISTRY_H_
#define EINVOICE_STORAGE_SELLER_REGISTRY_H_

#include <optional>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "einvoice/v1/tax_officer.pb.h"

namespace einvoice {

class SellerRegistry {
 public:
  virtual ~SellerRegistry() = default;

  // The seller with this tax code, or nullopt if not registered.
  virtual absl::StatusOr<std::optional<v1::Seller>> Get(absl::string_view tax_code) = 0;

  // Creates or replaces the record for seller.tax_code(), durably.
  virtual absl::Status Put(const v1::Seller& seller) = 0;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_SELLER_REGISTRY_H_
