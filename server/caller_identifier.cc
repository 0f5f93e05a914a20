#include "server/caller_identifier.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"
#include "signer/x509_certificate.h"

namespace einvoice {

TlsCallerIdentifier::TlsCallerIdentifier(const AccessPolicyHolder* policy) : policy_(policy) {}

absl::StatusOr<Caller> TlsCallerIdentifier::Identify(const grpc::ServerContextBase& context) {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return absl::UnauthenticatedError("a client certificate is required");
  }
  const std::vector<grpc::string_ref> pems = auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return absl::UnauthenticatedError("a client certificate is required");
  absl::StatusOr<CertificateIdentity> identity =
      IdentityOf(std::string(pems.front().data(), pems.front().size()));
  if (!identity.ok()) {
    return absl::UnauthenticatedError(
        absl::StrCat("unreadable client certificate: ", identity.status().message()));
  }
  return Caller::WithCertificate(*identity, *policy_->Get());
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
