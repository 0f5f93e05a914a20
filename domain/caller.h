// Caller: who is calling, as established by an adapter (the gRPC services from the verified
// TLS client certificate; see docs/security.md), and what rights that gives. Every domain
// operation that reads or changes something on someone's behalf takes one; the decisions
// themselves are AccessControl's (domain/access_control.h).
//
// Roles:
//   - a taxpayer: the certificate's subject carries `UID=MST:<tax code>`; it acts for that tax
//     code (as seller or buyer) and for the sellers that named it as their T-VAN provider;
//   - a tax officer / an administrator: the certificate's fingerprint is listed in the access
//     policy (domain/access_policy.h); administrators have every officer right too;
//   - the local operator: development mode only (plaintext on loopback), trusted with every
//     right, as the service was before callers were identified.
// A certificate may carry a tax code and be listed as an officer: the rights add up.
//
// Value types; thread-compatible.
#ifndef EINVOICE_DOMAIN_CALLER_H_
#define EINVOICE_DOMAIN_CALLER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "einvoice/v1/audit.pb.h"

namespace einvoice {

class AccessPolicy;

// What a client certificate says about its holder.
struct CertificateIdentity {
  // Lower-case hex SHA-256 of the DER certificate.
  std::string fingerprint;
  // RFC 2253 subject.
  std::string subject;
  // From `UID=MST:<tax code>`; empty when the subject has none (or names two).
  std::string tax_code;
  absl::Time not_after;
};

// Reads a DER certificate. INVALID_ARGUMENT if it is not one. The chain and the dates are
// checked by the TLS layer before a certificate gets here.
absl::StatusOr<CertificateIdentity> IdentifyCertificate(absl::string_view der);

class Caller {
 public:
  // Development mode: every right.
  static Caller LocalOperator();
  // A certificate holder, with the roles `policy` gives its fingerprint.
  static Caller WithCertificate(const CertificateIdentity& identity, const AccessPolicy& policy);

  bool is_local_operator() const { return local_operator_; }
  // Officer rights: officers, administrators and the local operator.
  bool is_officer() const { return local_operator_ || officer_ || admin_; }
  // Administrator rights: administrators and the local operator.
  bool is_admin() const { return local_operator_ || admin_; }
  // The tax code the caller acts as; empty for none (and for the local operator, who needs
  // none).
  const std::string& tax_code() const { return identity_.tax_code; }
  const CertificateIdentity& identity() const { return identity_; }

  // How the audit trail names this caller.
  v1::AuditCaller ToAudit() const;
  // One line for logs: "admin 3f2a…(CN=...)", "local operator".
  std::string Describe() const;

 private:
  Caller() = default;

  bool local_operator_ = false;
  bool officer_ = false;
  bool admin_ = false;
  CertificateIdentity identity_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_CALLER_H_
