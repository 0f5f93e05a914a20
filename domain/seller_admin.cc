#include "domain/seller_admin.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/authentication_record.h"
#include "rules/tax_code.h"

namespace einvoice {
namespace {

constexpr size_t kMaxSellerNameLength = 400;
constexpr size_t kMaxCertificates = 16;

absl::StatusOr<v1::Seller> Lookup(SellerRegistry* registry, absl::string_view tax_code) {
  ASSIGN_OR_RETURN(std::optional<v1::Seller> seller, registry->Get(tax_code));
  if (!seller.has_value()) {
    return absl::NotFoundError(absl::StrCat("seller ", tax_code, " is not registered"));
  }
  return *seller;
}

}  // namespace

SellerAdmin::SellerAdmin(SellerRegistry* registry, const Clock* clock)
    : registry_(registry), clock_(clock) {}

absl::StatusOr<v1::Seller> SellerAdmin::Register(const v1::RegisterSellerRequest& request) {
  if (const TaxCodeProblem problem = CheckTaxCode(request.tax_code());
      problem != TaxCodeProblem::kOk) {
    return absl::InvalidArgumentError(absl::StrCat("tax_code \"", request.tax_code(),
                                                   "\": ", TaxCodeProblemDescription(problem)));
  }
  if (request.name().empty()) return absl::InvalidArgumentError("name: required");
  if (request.name().size() > kMaxSellerNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("name: at most ", kMaxSellerNameLength, " bytes"));
  }
  if (request.certificates_der_size() > static_cast<int>(kMaxCertificates)) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificates_der: at most ", kMaxCertificates, " certificates"));
  }
  for (int i = 0; i < request.certificates_der_size(); ++i) {
    if (request.certificates_der(i).empty()) {
      return absl::InvalidArgumentError(absl::StrCat("certificates_der[", i, "]: empty"));
    }
  }
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(std::optional<v1::Seller> existing, registry_->Get(request.tax_code()));
  const google::protobuf::Timestamp now = ToTimestamp(clock_->Now());
  v1::Seller seller;
  if (existing.has_value()) {
    seller = *existing;
  } else {
    seller.set_tax_code(request.tax_code());
    seller.set_status(v1::SELLER_STATUS_ACTIVE);
    *seller.mutable_registered_at() = now;
  }
  seller.set_name(request.name());
  *seller.mutable_certificates_der() = request.certificates_der();
  *seller.mutable_updated_at() = now;
  RETURN_IF_ERROR(registry_->Put(seller));
  return seller;
}

absl::StatusOr<v1::Seller> SellerAdmin::Get(absl::string_view tax_code) {
  return Lookup(registry_, tax_code);
}

absl::StatusOr<v1::Seller> SellerAdmin::SetStatus(absl::string_view tax_code,
                                                  v1::SellerStatus status) {
  if (status == v1::SELLER_STATUS_UNSPECIFIED || !v1::SellerStatus_IsValid(status)) {
    return absl::InvalidArgumentError("status: must be ACTIVE, SUSPENDED or STOPPED");
  }
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(v1::Seller seller, Lookup(registry_, tax_code));
  seller.set_status(status);
  *seller.mutable_updated_at() = ToTimestamp(clock_->Now());
  RETURN_IF_ERROR(registry_->Put(seller));
  return seller;
}

}  // namespace einvoice
