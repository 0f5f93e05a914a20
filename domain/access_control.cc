#include "domain/access_control.h"

#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace einvoice {
namespace {

absl::Status AsOutage(const absl::Status& status) {
  return absl::UnavailableError(absl::StrCat("reading the seller registry: ", status.message()));
}

}  // namespace

AccessControl::AccessControl(SellerRegistry* sellers, AuditTrail* audit)
    : sellers_(sellers), audit_(audit) {}

absl::Status AccessControl::Require(const Caller& caller, Right right,
                                    const Operation& operation) {
  switch (right) {
    case Right::kOfficer:
      if (caller.is_officer()) return absl::OkStatus();
      return Deny(caller, operation, "needs a tax officer's or an administrator's certificate");
    case Right::kAdmin:
      if (caller.is_admin()) return absl::OkStatus();
      return Deny(caller, operation, "needs an administrator's certificate");
  }
  return Deny(caller, operation, "unknown right");
}

absl::Status AccessControl::AuthorizeSubmission(const Caller& caller,
                                                absl::string_view seller_tax_code,
                                                const std::optional<v1::Seller>& seller,
                                                const Operation& operation) {
  if (caller.is_local_operator()) return absl::OkStatus();
  if (!caller.tax_code().empty()) {
    if (caller.tax_code() == seller_tax_code) return absl::OkStatus();
    if (seller.has_value() && !seller->tvan_tax_code().empty() &&
        seller->tvan_tax_code() == caller.tax_code()) {
      return absl::OkStatus();
    }
  }
  return Deny(caller, operation,
              absl::StrCat("the caller (", caller.tax_code().empty() ? "no tax code" : caller.tax_code(),
                           ") is neither seller ", seller_tax_code,
                           " nor the T-VAN it registered"));
}

absl::StatusOr<Grant> AccessControl::AuthorizeInvoiceRead(const Caller& caller,
                                                          absl::string_view seller_tax_code,
                                                          absl::string_view buyer_tax_code,
                                                          const Operation& operation) {
  if (caller.is_local_operator()) return Grant::kOwn;
  const std::string& own = caller.tax_code();
  if (!own.empty()) {
    if (own == seller_tax_code || (!buyer_tax_code.empty() && own == buyer_tax_code)) {
      return Grant::kOwn;
    }
    absl::StatusOr<bool> tvan = IsTvanOf(caller, seller_tax_code);
    if (!tvan.ok()) return tvan.status();
    if (*tvan) return Grant::kOwn;
  }
  if (caller.is_officer()) return Grant::kPrivileged;
  return Deny(caller, operation, "the caller is neither its seller, its buyer, the seller's T-VAN nor an officer");
}

absl::StatusOr<Grant> AccessControl::AuthorizeSellerRead(const Caller& caller,
                                                         absl::string_view tax_code,
                                                         const Operation& operation) {
  return AuthorizeInvoiceRead(caller, tax_code, "", operation);
}

absl::StatusOr<bool> AccessControl::IsTvanOf(const Caller& caller, absl::string_view tax_code) {
  if (caller.tax_code().empty() || tax_code.empty()) return false;
  absl::StatusOr<std::optional<v1::Seller>> seller = sellers_->Get(tax_code);
  if (!seller.ok()) {
    // A tax code the registry cannot even hold names no seller: nobody is its T-VAN.
    if (seller.status().code() == absl::StatusCode::kInvalidArgument) return false;
    return AsOutage(seller.status());
  }
  return seller->has_value() && !(*seller)->tvan_tax_code().empty() &&
         (*seller)->tvan_tax_code() == caller.tax_code();
}

void AccessControl::RecordPrivileged(const Caller& caller, const Operation& operation,
                                     const absl::Status& outcome) {
  Write(caller, operation, outcome);
}

absl::Status AccessControl::RecordDenial(const Caller& caller, const Operation& operation,
                                         absl::Status denial) {
  Write(caller, operation, denial);
  return denial;
}

absl::Status AccessControl::Deny(const Caller& caller, const Operation& operation,
                                 absl::string_view why) {
  absl::Status denial = absl::PermissionDeniedError(
      absl::StrCat(operation.name, " on ", operation.target, ": ", why));
  Write(caller, operation, denial);
  return denial;
}

void AccessControl::Write(const Caller& caller, const Operation& operation,
                          const absl::Status& outcome) {
  if (absl::Status written = audit_->Record(caller, operation, outcome); !written.ok()) {
    LogError("audit: could not record ", operation.name, " on ", AuditText(operation.target),
             " by ", AuditText(caller.Describe()), " -> ", absl::StatusCodeToString(outcome.code()),
             " ", AuditText(outcome.message()), ": ", written.message());
  }
}

}  // namespace einvoice
