// SellerRegistry: the sellers registered for coded invoices (tax code, name, status,
// certificates), stored as v1::Seller records.
//
// Implementations: RocksDbSellerRegistry, and InMemorySellerRegistry for tests; both pass the
// suite in tests/storage/registry_test.cc.
// Thread-safety: every method may be called concurrently from any thread.
#ifndef EINVOICE_STORAGE_SELLER_REGISTRY_H_
#define EINVOICE_STORAGE_SELLER_REGISTRY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "einvoice/v1/tax_officer.pb.h"

namespace einvoice {

// Which registrations one List() call returns.
struct SellerListQuery {
  // Only sellers in this status; SELLER_STATUS_UNSPECIFIED = every seller.
  v1::SellerStatus status = v1::SELLER_STATUS_UNSPECIFIED;
  // At most this many sellers. REQUIRES: 1 <= page_size.
  size_t page_size = 100;
  // The page ends before the seller that would take its serialized records past this many
  // bytes (0 = no bound); a page always holds at least one seller when one matches.
  size_t max_bytes = 0;
  // The page ends after this many registrations were read, matching or not (0 = no bound), so
  // that a page by a rare status costs bounded work; it may then hold no seller and still
  // have a next_page_token.
  size_t max_examined = 0;
  // Opaque: SellerPage::next_page_token of the previous page of a listing with the same
  // status; empty for the first page.
  std::string page_token;
};

// One page of registered sellers.
struct SellerPage {
  // In tax code (bytewise) order.
  std::vector<v1::Seller> sellers;
  // Empty when there are no more registrations to read.
  std::string next_page_token;
};

class SellerRegistry {
 public:
  virtual ~SellerRegistry() = default;

  // The seller with this tax code, or nullopt if not registered.
  virtual absl::StatusOr<std::optional<v1::Seller>> Get(absl::string_view tax_code) = 0;

  // Creates or replaces the record for seller.tax_code(), durably.
  virtual absl::Status Put(const v1::Seller& seller) = 0;

  // One page of the registered sellers (matching query.status), in tax code order, from after
  // the page token's position. A seller registered or changed while a listing is paged through
  // shows up in a later page if its tax code sorts after the token, with its state then.
  // INVALID_ARGUMENT for a page_size of 0, a status outside 0..255, or a page token that is
  // malformed or belongs to a listing with another status; DATA_LOSS if a stored record does
  // not parse.
  virtual absl::StatusOr<SellerPage> List(const SellerListQuery& query) = 0;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_SELLER_REGISTRY_H_
