#include "domain/access_control.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace einvoice {
namespace {

// Registry failures are outages (retry), unless they are already more specific.
absl::Status AsOutage(const absl::Status& status) {
  const absl::StatusCode code = status.code();
  const std::string message = absl::StrCat("reading the seller registry: ", status.message());
  if (code == absl::StatusCode::kResourceExhausted || code == absl::StatusCode::kDataLoss) {
    return absl::Status(code, message);
  }
  return absl::UnavailableError(message);
}

bool Lists(const v1::Seller& seller, absl::string_view fingerprint) {
  return std::any_of(seller.revoked_certificates().begin(), seller.revoked_certificates().end(),
                     [&](const v1::RevokedCertificate& revoked) {
                       return revoked.fingerprint() == fingerprint;
                     });
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

absl::StatusOr<std::optional<v1::Seller>> AccessControl::Registration(absl::string_view tax_code) {
  absl::StatusOr<std::optional<v1::Seller>> seller = sellers_->Get(tax_code);
  if (!seller.ok()) {
    // A tax code the registry cannot even hold names no registered seller.
    if (seller.status().code() == absl::StatusCode::kInvalidArgument) {
      return std::optional<v1::Seller>();
    }
    return AsOutage(seller.status());
  }
  return seller;
}

absl::StatusOr<bool> AccessControl::Revoked(const Caller& caller,
                                            const std::optional<v1::Seller>& known) {
  if (caller.tax_code().empty()) return false;
  if (known.has_value() && known->tax_code() == caller.tax_code()) {
    return Lists(*known, caller.identity().fingerprint);
  }
  absl::StatusOr<std::optional<v1::Seller>> own = Registration(caller.tax_code());
  if (!own.ok()) return own.status();
  return own->has_value() && Lists(**own, caller.identity().fingerprint);
}

absl::Status AccessControl::AuthorizeSubmission(const Caller& caller,
                                                absl::string_view seller_tax_code,
                                                const std::optional<v1::Seller>& seller,
                                                const Operation& operation) {
  if (caller.is_local_operator()) return absl::OkStatus();
  if (caller.tax_code().empty()) {
    return Deny(caller, operation, "only a taxpayer (UID=MST:) submits invoices");
  }
  const bool own = caller.tax_code() == seller_tax_code;
  const bool tvan = !own && seller.has_value() && !seller->tvan_tax_code().empty() &&
                    seller->tvan_tax_code() == caller.tax_code();
  if (!own && !tvan) {
    return Deny(caller, operation,
                absl::StrCat("the caller (", caller.tax_code(), ") is neither seller ",
                             seller_tax_code, " nor the T-VAN it registered"));
  }
  absl::StatusOr<bool> revoked = Revoked(caller, seller);
  if (!revoked.ok()) return revoked.status();
  if (*revoked) return Deny(caller, operation, RevokedWhy(caller));
  return absl::OkStatus();
}

absl::Status AccessControl::AuthorizeSubmitter(const Caller& caller,
                                               const Operation& operation) {
  if (caller.is_local_operator() || !caller.tax_code().empty()) return absl::OkStatus();
  return Deny(caller, operation, "only a taxpayer (UID=MST:) submits invoices");
}

absl::StatusOr<Grant> AccessControl::AuthorizeInvoiceRead(const Caller& caller,
                                                          absl::string_view seller_tax_code,
                                                          absl::string_view buyer_tax_code,
                                                          const Operation& operation) {
  if (caller.is_local_operator()) return Grant::kOwn;
  // Every read an officer makes is recorded, its own invoices included.
  if (caller.is_officer()) return Grant::kPrivileged;
  const std::string& own = caller.tax_code();
  if (!own.empty()) {
    bool party = own == seller_tax_code || (!buyer_tax_code.empty() && own == buyer_tax_code);
    if (!party) {
      absl::StatusOr<bool> tvan = IsTvanOf(caller, seller_tax_code);
      if (!tvan.ok()) return tvan.status();
      party = *tvan;
    }
    if (party) {
      absl::StatusOr<bool> revoked = Revoked(caller, std::nullopt);
      if (!revoked.ok()) return revoked.status();
      if (*revoked) return Deny(caller, operation, RevokedWhy(caller));
      return Grant::kOwn;
    }
  }
  return Deny(caller, operation,
              "the caller is neither its seller, its buyer, the seller's T-VAN nor an officer");
}

absl::StatusOr<Grant> AccessControl::AuthorizeSellerRead(const Caller& caller,
                                                         absl::string_view tax_code,
                                                         const Operation& operation) {
  return AuthorizeInvoiceRead(caller, tax_code, "", operation);
}

absl::StatusOr<bool> AccessControl::IsTvanOf(const Caller& caller, absl::string_view tax_code) {
  if (caller.tax_code().empty() || tax_code.empty()) return false;
  absl::StatusOr<std::optional<v1::Seller>> seller = Registration(tax_code);
  if (!seller.ok()) return seller.status();
  return seller->has_value() && !(*seller)->tvan_tax_code().empty() &&
         (*seller)->tvan_tax_code() == caller.tax_code();
}

std::string AccessControl::RevokedWhy(const Caller& caller) {
  return absl::StrCat("the caller's certificate was revoked for taxpayer ", caller.tax_code());
}

absl::Status AccessControl::RecordPrivileged(const Caller& caller, const Operation& operation,
                                             const absl::Status& outcome) {
  return Write(caller, operation, outcome);
}

absl::Status AccessControl::Deny(const Caller& caller, const Operation& operation,
                                 absl::string_view why) {
  absl::Status denial = absl::PermissionDeniedError(
      absl::StrCat(operation.name, " on ", AuditText(operation.target), ": ", why));
  Write(caller, operation, denial).IgnoreError();  // logged; the denial stands either way
  return denial;
}

absl::Status AccessControl::Write(const Caller& caller, const Operation& operation,
                                  const absl::Status& outcome) {
  absl::Status written = audit_->Record(caller, operation, outcome);
  if (!written.ok()) {
    const v1::AuditCaller who = caller.ToAudit();
    LogError("audit: could not record ", operation.name, " on ", AuditText(operation.target),
             " by ", v1::CallerRole_Name(who.role()), " fingerprint ",
             who.fingerprint().empty() ? "-" : who.fingerprint(), " tax code ",
             who.tax_code().empty() ? "-" : who.tax_code(), " subject \"",
             AuditText(who.subject()), "\" -> ", absl::StatusCodeToString(outcome.code()), " ",
             AuditText(outcome.message()), ": ", written.message());
  }
  return written;
}

}  // namespace einvoice
