#include "server/caller_identifier.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"
#include "signer/x509_certificate.h"

namespace einvoice {

TlsCallerIdentifier::TlsCallerIdentifier(const AccessPolicyHolder* policy, const Clock* clock)
    : policy_(policy), clock_(clock) {}

absl::StatusOr<Caller> TlsCallerIdentifier::Identify(const grpc::ServerContextBase& context) {
  // The server requires and verifies a certificate on every TLS connection, so its presence
  // is what matters (IsPeerAuthenticated() also wants a CN or SAN, which a UID-only taxpayer
  // certificate need not have).
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  const std::vector<grpc::string_ref> pems =
      auth == nullptr ? std::vector<grpc::string_ref>()
                      : auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return absl::UnauthenticatedError("a client certificate is required");
  absl::StatusOr<CertificateIdentity> identity =
      IdentityOf(std::string(pems.front().data(), pems.front().size()));
  if (!identity.ok()) {
    return absl::UnauthenticatedError(
        absl::StrCat("unreadable client certificate: ", identity.status().message()));
  }
  if (clock_->Now() > identity->not_after) {
    return absl::UnauthenticatedError("the client certificate has expired; reconnect with a valid one");
  }
  const std::shared_ptr<const AccessPolicy> policy = policy_->Get();
  if (policy->IsRevoked(identity->fingerprint)) {
    return absl::UnauthenticatedError("the client certificate is revoked by the access policy");
  }
  return Caller::WithCertificate(*identity, *policy);
}

absl::StatusOr<CertificateIdentity> TlsCallerIdentifier::IdentityOf(const std::string& pem) {
  {
    absl::MutexLock lock(&mu_);
    if (auto it = cache_.find(pem); it != cache_.end()) return it->second;
  }
  absl::StatusOr<std::string> der = x509::PemCertificateToDer(pem);
  if (!der.ok()) return der.status();
  absl::StatusOr<CertificateIdentity> identity = IdentifyCertificate(*der);
  if (!identity.ok()) return identity.status();
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kCacheEntries) cache_.clear();
  cache_.emplace(pem, *identity);
  return identity;
}

}  // namespace einvoice
