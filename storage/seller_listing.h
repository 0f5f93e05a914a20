// SellerListing: how SellerRegistry::List() builds one page, shared by every implementation so
// that they validate and page identically. The implementation reads its registrations in tax
// code order, starting after resume_after(), and offers each one until Offer() says the page
// is complete or it runs out; Finish() then gives the page and its next page token.
//
// A page ends at query.page_size sellers, before the seller that would pass query.max_bytes
// (never before the first), or after query.max_examined registrations read. The next page
// token names the last registration the page is done with (taken, or read and not matching),
// so the next page starts right after it and nothing is skipped or repeated.
//
// Thread-compatible: one SellerListing per List() call.
#ifndef EINVOICE_STORAGE_SELLER_LISTING_H_
#define EINVOICE_STORAGE_SELLER_LISTING_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/seller_registry.h"

namespace einvoice {

class SellerListing {
 public:
  // INVALID_ARGUMENT for a page_size of 0, a status outside 0..255, or a page token that is
  // malformed or belongs to a listing with another status.
  static absl::StatusOr<SellerListing> Start(const SellerListQuery& query);

  // Read registrations whose tax code sorts (bytewise) after this; empty = from the first.
  const std::string& resume_after() const { return resume_after_; }

  // Offers the next registration (its key and serialized v1::Seller). True: go on reading.
  // False: the page is complete without it; stop reading. DATA_LOSS if `record` does not
  // parse.
  absl::StatusOr<bool> Offer(absl::string_view tax_code, absl::string_view record);

  // The page. Its next_page_token is set only if Offer() returned false (the registration
  // refused is still to be read).
  SellerPage Finish() &&;

 private:
  explicit SellerListing(const SellerListQuery& query, std::string resume_after);

  const int status_;
  const size_t page_size_;
  const size_t max_bytes_;
  const size_t max_examined_;
  const std::string resume_after_;
  SellerPage page_;
  size_t bytes_ = 0;
  size_t examined_ = 0;
  std::string last_done_;
  bool stopped_ = false;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_SELLER_LISTING_H_
