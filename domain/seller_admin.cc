#include "domain/seller_admin.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/limits.h"
#include "common/status_macros.h"
#include "domain/access_policy.h"
#include "domain/authentication_record.h"
#include "rules/tax_code.h"
#include "signer/digest.h"
#include "signer/x509_certificate.h"

namespace einvoice {
namespace {

constexpr size_t kMaxSellerNameLength = 400;
constexpr size_t kMaxReasonLength = 400;

absl::Status CheckTaxCodeField(absl::string_view field, const std::string& tax_code) {
  if (const TaxCodeProblem problem = CheckTaxCode(tax_code); problem != TaxCodeProblem::kOk) {
    return absl::InvalidArgumentError(absl::StrCat(field, " \"", AuditText(tax_code),
                                                   "\": ", TaxCodeProblemDescription(problem)));
  }
  return absl::OkStatus();
}

Operation SellerOperation(absl::string_view rpc, absl::string_view tax_code,
                          absl::string_view detail = "") {
  return Operation{absl::StrCat("TaxOfficer.", rpc),
                   absl::StrCat("seller ", tax_code, detail.empty() ? "" : " ", detail)};
}

bool HasControlCharacters(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

std::string FingerprintOf(absl::string_view der) { return absl::BytesToHexString(Sha256(der)); }

std::set<std::string> AsSet(const google::protobuf::RepeatedPtrField<std::string>& ders) {
  return std::set<std::string>(ders.begin(), ders.end());
}

}  // namespace

SellerAdmin::SellerAdmin(SellerRegistry* registry, AccessControl* access, const Clock* clock)
    : registry_(registry), access_(access), clock_(clock) {}

absl::Status SellerAdmin::CheckCertificate(absl::string_view der, absl::string_view tax_code,
                                           absl::string_view field) const {
  if (der.size() > kMaxSellerCertificateBytes) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", der.size(),
                                                   " bytes; a certificate has at most ",
                                                   kMaxSellerCertificateBytes));
  }
  absl::StatusOr<x509::CertificateInfo> info = x509::ReadCertificate(der);
  if (!info.ok()) return absl::InvalidArgumentError(absl::StrCat(field, ": ", info.status().message()));
  const absl::Time now = clock_->Now();
  if (now < info->not_before || now > info->not_after) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": not valid now (valid ", absl::FormatTime("%Y-%m-%d", info->not_before, absl::UTCTimeZone()),
        " to ", absl::FormatTime("%Y-%m-%d", info->not_after, absl::UTCTimeZone()), ")"));
  }
  if (!x509::UidNamesTaxCode(*info, tax_code)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": its subject \"", AuditText(info->subject),
                                                   "\" has no UID=MST:", tax_code));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Seller> SellerAdmin::Register(const Caller& caller,
                                                 const v1::RegisterSellerRequest& request) {
  return access_->Audited(
      caller, Right::kOfficer, SellerOperation("RegisterSeller", request.tax_code()),
      Effect::kChange, [&]() -> absl::StatusOr<v1::Seller> {
        RETURN_IF_ERROR(CheckTaxCodeField("tax_code", request.tax_code()));
        if (request.name().empty()) return absl::InvalidArgumentError("name: required");
        if (request.name().size() > kMaxSellerNameLength) {
          return absl::InvalidArgumentError(
              absl::StrCat("name: at most ", kMaxSellerNameLength, " bytes"));
        }
        if (HasControlCharacters(request.name())) {
          return absl::InvalidArgumentError("name: control characters are not allowed");
        }
        if (request.certificates_der_size() > static_cast<int>(kMaxSellerCertificates)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "certificates_der: at most ", kMaxSellerCertificates, " certificates"));
        }
        if (!request.tvan_tax_code().empty()) {
          RETURN_IF_ERROR(CheckTaxCodeField("tvan_tax_code", request.tvan_tax_code()));
        }
        absl::MutexLock lock(&write_mu_);
        ASSIGN_OR_RETURN(std::optional<v1::Seller> existing, registry_->Get(request.tax_code()));
        const google::protobuf::Timestamp now = ToTimestamp(clock_->Now());
        v1::Seller seller;
        if (existing.has_value()) {
          seller = *std::move(existing);
          if (request.certificates_der_size() > 0 &&
              AsSet(request.certificates_der()) != AsSet(seller.certificates_der())) {
            return absl::FailedPreconditionError(absl::StrCat(
                "seller ", request.tax_code(),
                " is registered: its certificates change only through AddSellerCertificate "
                "and RevokeSellerCertificate (einvoice seller cert add|revoke)"));
          }
          if (!request.tvan_tax_code().empty() &&
              request.tvan_tax_code() != seller.tvan_tax_code()) {
            return absl::FailedPreconditionError(absl::StrCat(
                "seller ", request.tax_code(),
                " is registered: its T-VAN changes only through SetSellerTvan (einvoice "
                "seller tvan)"));
          }
        } else {
          for (int i = 0; i < request.certificates_der_size(); ++i) {
            RETURN_IF_ERROR(CheckCertificate(request.certificates_der(i), request.tax_code(),
                                             absl::StrCat("certificates_der[", i, "]")));
          }
          seller.set_tax_code(request.tax_code());
          seller.set_status(v1::SELLER_STATUS_ACTIVE);
          *seller.mutable_registered_at() = now;
          for (const std::string& der : AsSet(request.certificates_der())) {
            seller.add_certificates_der(der);
          }
          seller.set_tvan_tax_code(request.tvan_tax_code());
        }
        seller.set_name(request.name());
        *seller.mutable_updated_at() = now;
        RETURN_IF_ERROR(registry_->Put(seller));
        return seller;
      });
}

absl::StatusOr<v1::Seller> SellerAdmin::Get(const Caller& caller, absl::string_view tax_code) {
  const Operation operation = SellerOperation("GetSeller", tax_code);
  ASSIGN_OR_RETURN(const Grant grant, access_->AuthorizeSellerRead(caller, tax_code, operation));
  absl::StatusOr<v1::Seller> result = [&]() -> absl::StatusOr<v1::Seller> {
    ASSIGN_OR_RETURN(std::optional<v1::Seller> seller, registry_->Get(tax_code));
    if (!seller.has_value()) {
      return absl::NotFoundError(absl::StrCat("seller ", AuditText(tax_code), " is not registered"));
    }
    return *std::move(seller);
  }();
  if (grant == Grant::kPrivileged) {
    if (absl::Status recorded = access_->RecordPrivileged(caller, operation, result.status());
        !recorded.ok()) {
      return AccessControl::AuditUnavailable(recorded);
    }
  }
  return result;
}

absl::StatusOr<v1::ListSellersResponse> SellerAdmin::List(
    const Caller& caller, const v1::ListSellersRequest& request) {
  const v1::SellerStatus status = request.status();
  const std::string status_name = v1::SellerStatus_IsValid(status)
                                      ? v1::SellerStatus_Name(status)
                                      : absl::StrCat(static_cast<int>(status));
  const Operation operation{
      "TaxOfficer.ListSellers",
      status == v1::SELLER_STATUS_UNSPECIFIED ? "sellers" : absl::StrCat("sellers ", status_name)};
  return access_->Audited(
      caller, Right::kOfficer, operation, Effect::kRead,
      [&]() -> absl::StatusOr<v1::ListSellersResponse> {
        if (!v1::SellerStatus_IsValid(status)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "status: ", status_name, " is not a seller status (ACTIVE, SUSPENDED, STOPPED, "
              "or UNSPECIFIED for every seller)"));
        }
        SellerListQuery query;
        query.status = status;
        query.page_size = request.page_size() == 0
                              ? kDefaultSellerPageSize
                              : std::min(request.page_size(), kMaxSellerPageSize);
        query.max_bytes = kMaxSellerPageBytes;
        query.max_examined = kMaxSellersExaminedPerPage;
        query.page_token = request.page_token();
        ASSIGN_OR_RETURN(SellerPage page, registry_->List(query));
        v1::ListSellersResponse response;
        for (v1::Seller& seller : page.sellers) *response.add_sellers() = std::move(seller);
        response.set_next_page_token(std::move(page.next_page_token));
        return response;
      });
}

absl::StatusOr<v1::Seller> SellerAdmin::Update(
    absl::string_view tax_code, const std::function<absl::Status(v1::Seller&)>& change) {
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(std::optional<v1::Seller> seller, registry_->Get(tax_code));
  if (!seller.has_value()) {
    return absl::NotFoundError(absl::StrCat("seller ", AuditText(tax_code), " is not registered"));
  }
  RETURN_IF_ERROR(change(*seller));
  *seller->mutable_updated_at() = ToTimestamp(clock_->Now());
  RETURN_IF_ERROR(registry_->Put(*seller));
  return *std::move(seller);
}

absl::StatusOr<v1::Seller> SellerAdmin::SetStatus(const Caller& caller,
                                                  absl::string_view tax_code,
                                                  v1::SellerStatus status) {
  return access_->Audited(
      caller, Right::kOfficer,
      SellerOperation("SetSellerStatus", tax_code,
                      absl::StrCat("to ", v1::SellerStatus_IsValid(status)
                                              ? v1::SellerStatus_Name(status)
                                              : absl::StrCat(static_cast<int>(status)))),
      Effect::kChange, [&]() -> absl::StatusOr<v1::Seller> {
        if (status == v1::SELLER_STATUS_UNSPECIFIED || !v1::SellerStatus_IsValid(status)) {
          return absl::InvalidArgumentError("status: must be ACTIVE, SUSPENDED or STOPPED");
        }
        return Update(tax_code, [status](v1::Seller& seller) {
          seller.set_status(status);
          return absl::OkStatus();
        });
      });
}

absl::StatusOr<v1::Seller> SellerAdmin::AddCertificate(
    const Caller& caller, const v1::AddSellerCertificateRequest& request) {
  const std::string& der = request.certificate_der();
  return access_->Audited(
      caller, Right::kOfficer,
      SellerOperation("AddSellerCertificate", request.tax_code(),
                      absl::StrCat("certificate ", FingerprintOf(der))),
      Effect::kChange, [&]() -> absl::StatusOr<v1::Seller> {
        RETURN_IF_ERROR(CheckTaxCodeField("tax_code", request.tax_code()));
        RETURN_IF_ERROR(CheckCertificate(der, request.tax_code(), "certificate_der"));
        return Update(request.tax_code(), [&](v1::Seller& seller) -> absl::Status {
          const auto& active = seller.certificates_der();
          if (std::find(active.begin(), active.end(), der) != active.end()) {
            return absl::OkStatus();  // a retry
          }
          const std::string fingerprint = FingerprintOf(der);
          for (const v1::RevokedCertificate& revoked : seller.revoked_certificates()) {
            if (revoked.fingerprint() == fingerprint) {
              return absl::FailedPreconditionError(
                  "this certificate was revoked for the seller; it cannot be added again");
            }
          }
          if (active.size() >= static_cast<int>(kMaxSellerCertificates)) {
            return absl::FailedPreconditionError(absl::StrCat(
                "the seller has ", kMaxSellerCertificates,
                " certificates in force already; revoke one first"));
          }
          seller.add_certificates_der(der);
          return absl::OkStatus();
        });
      });
}

absl::StatusOr<v1::Seller> SellerAdmin::RevokeCertificate(
    const Caller& caller, const v1::RevokeSellerCertificateRequest& request) {
  return access_->Audited(
      caller, Right::kOfficer,
      SellerOperation("RevokeSellerCertificate", request.tax_code(),
                      absl::StrCat("certificate ", request.fingerprint(), ": ", request.reason())),
      Effect::kChange, [&]() -> absl::StatusOr<v1::Seller> {
        if (!AccessPolicy::IsFingerprint(request.fingerprint())) {
          return absl::InvalidArgumentError(
              "fingerprint: 64 lower-case hex digits (SHA-256 of the certificate's DER)");
        }
        if (request.reason().empty()) return absl::InvalidArgumentError("reason: required");
        if (request.reason().size() > kMaxReasonLength) {
          return absl::InvalidArgumentError(
              absl::StrCat("reason: at most ", kMaxReasonLength, " bytes"));
        }
        if (HasControlCharacters(request.reason())) {
          return absl::InvalidArgumentError("reason: control characters are not allowed");
        }
        return Update(request.tax_code(), [&](v1::Seller& seller) -> absl::Status {
          auto* active = seller.mutable_certificates_der();
          auto it = std::find_if(active->begin(), active->end(), [&](const std::string& der) {
            return FingerprintOf(der) == request.fingerprint();
          });
          if (it == active->end()) {
            return absl::NotFoundError(absl::StrCat("seller ", seller.tax_code(),
                                                    " has no certificate in force with fingerprint ",
                                                    request.fingerprint()));
          }
          v1::RevokedCertificate* revoked = seller.add_revoked_certificates();
          revoked->set_certificate_der(*it);
          revoked->set_fingerprint(request.fingerprint());
          *revoked->mutable_revoked_at() = ToTimestamp(clock_->Now());
          revoked->set_reason(request.reason());
          active->erase(it);
          // Older revocations keep their fingerprint, time and reason, not the certificate,
          // so the record read on every submission stays small.
          auto* history = seller.mutable_revoked_certificates();
          for (int i = 0; i + static_cast<int>(kRevokedCertificatesKept) < history->size(); ++i) {
            history->Mutable(i)->clear_certificate_der();
          }
          return absl::OkStatus();
        });
      });
}

absl::StatusOr<v1::Seller> SellerAdmin::SetTvan(const Caller& caller,
                                                const v1::SetSellerTvanRequest& request) {
  return access_->Audited(
      caller, Right::kOfficer,
      SellerOperation("SetSellerTvan", request.tax_code(),
                      absl::StrCat("T-VAN ", request.tvan_tax_code().empty()
                                                 ? "none"
                                                 : request.tvan_tax_code())),
      Effect::kChange, [&]() -> absl::StatusOr<v1::Seller> {
        if (!request.tvan_tax_code().empty()) {
          RETURN_IF_ERROR(CheckTaxCodeField("tvan_tax_code", request.tvan_tax_code()));
        }
        return Update(request.tax_code(), [&](v1::Seller& seller) {
          seller.set_tvan_tax_code(request.tvan_tax_code());
          return absl::OkStatus();
        });
      });
}

}  // namespace einvoice
