#include "storage/seller_listing.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/key_encoding.h"

namespace einvoice {

absl::StatusOr<SellerListing> SellerListing::Start(const SellerListQuery& query) {
  if (query.page_size == 0) return absl::InvalidArgumentError("page_size must be at least 1");
  const int status = static_cast<int>(query.status);
  if (status < 0 || status > 255) {
    return absl::InvalidArgumentError(absl::StrCat("seller status ", status, " is out of range"));
  }
  std::string resume_after;
  if (!query.page_token.empty()) {
    absl::StatusOr<std::string> last = keys::DecodeSellerPageToken(query.page_token, status);
    if (!last.ok()) return last.status();
    resume_after = *std::move(last);
  }
  return SellerListing(query, std::move(resume_after));
}

SellerListing::SellerListing(const SellerListQuery& query, std::string resume_after)
    : status_(static_cast<int>(query.status)),
      page_size_(query.page_size),
      max_bytes_(query.max_bytes),
      max_examined_(query.max_examined),
      resume_after_(std::move(resume_after)) {}

absl::StatusOr<bool> SellerListing::Offer(absl::string_view tax_code, absl::string_view record) {
  if (stopped_) return false;
  if (page_.sellers.size() >= page_size_ || (max_examined_ > 0 && examined_ >= max_examined_)) {
    stopped_ = true;
    return false;
  }
  v1::Seller seller;
  if (!seller.ParseFromArray(record.data(), static_cast<int>(record.size()))) {
    return absl::DataLossError(absl::StrCat("stored seller ", tax_code, " does not parse"));
  }
  ++examined_;
  if (status_ != v1::SELLER_STATUS_UNSPECIFIED && static_cast<int>(seller.status()) != status_) {
    last_done_ = std::string(tax_code);
    return true;
  }
  if (max_bytes_ > 0 && !page_.sellers.empty() && bytes_ + record.size() > max_bytes_) {
    stopped_ = true;
    return false;
  }
  bytes_ += record.size();
  page_.sellers.push_back(std::move(seller));
  last_done_ = std::string(tax_code);
  return true;
}

SellerPage SellerListing::Finish() && {
  if (stopped_) page_.next_page_token = keys::EncodeSellerPageToken(status_, last_done_);
  return std::move(page_);
}

}  // namespace einvoice
