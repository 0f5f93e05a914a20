#include "domain/caller.h"

#include "absl/strings/str_cat.h"
#include "domain/access_policy.h"
#include "signer/x509_certificate.h"

namespace einvoice {

absl::StatusOr<CertificateIdentity> IdentifyCertificate(absl::string_view der) {
  absl::StatusOr<x509::CertificateInfo> info = x509::ReadCertificate(der);
  if (!info.ok()) return info.status();
  CertificateIdentity identity;
  identity.fingerprint = info->fingerprint;
  identity.subject = info->subject;
  identity.tax_code = x509::UidTaxCode(*info).value_or("");
  identity.not_after = info->not_after;
  return identity;
}

Caller Caller::LocalOperator() {
  Caller caller;
  caller.local_operator_ = true;
  return caller;
}

Caller Caller::WithCertificate(const CertificateIdentity& identity, const AccessPolicy& policy) {
  Caller caller;
  caller.identity_ = identity;
  caller.admin_ = policy.IsAdmin(identity.fingerprint);
  caller.officer_ = policy.IsOfficer(identity.fingerprint);
  return caller;
}

v1::AuditCaller Caller::ToAudit() const {
  v1::AuditCaller audit;
  audit.set_fingerprint(identity_.fingerprint);
  audit.set_subject(identity_.subject);
  audit.set_tax_code(identity_.tax_code);
  if (local_operator_) {
    audit.set_role(v1::CALLER_ROLE_LOCAL_OPERATOR);
  } else if (admin_) {
    audit.set_role(v1::CALLER_ROLE_ADMIN);
  } else if (officer_) {
    audit.set_role(v1::CALLER_ROLE_OFFICER);
  } else if (!identity_.tax_code.empty()) {
    audit.set_role(v1::CALLER_ROLE_TAXPAYER);
  } else {
    audit.set_role(v1::CALLER_ROLE_NONE);
  }
  return audit;
}

std::string Caller::Describe() const {
  if (local_operator_) return "local operator";
  std::string role = "certificate";
  if (admin_) {
    role = "admin";
  } else if (officer_) {
    role = "officer";
  } else if (!identity_.tax_code.empty()) {
    role = absl::StrCat("taxpayer ", identity_.tax_code);
  }
  return absl::StrCat(role, " ", identity_.fingerprint.substr(0, 16), " (", identity_.subject,
                      ")");
}

}  // namespace einvoice
