// CallerIdentifier: who is calling, from a gRPC call's context -- the adapter half of caller
// identity (the domain half, what a certificate means, is domain/caller.h).
//
//   TlsCallerIdentifier      production: the verified TLS client certificate (gRPC checked its
//                            chain against --client_ca_file and its dates during the
//                            handshake; its expiry and the policy's revocations are checked
//                            again on every call, as connections outlive both); roles from the
//                            access policy in force.
//   LocalOperatorIdentifier  development mode: plaintext on loopback, every caller is the
//                            local operator.
// Tests substitute their own (tests/server/support/fake_caller_identifier.h).
//
// Thread-safety: Identify() may be called concurrently from gRPC's threads; it never blocks
// on I/O.
#ifndef EINVOICE_SERVER_CALLER_IDENTIFIER_H_
#define EINVOICE_SERVER_CALLER_IDENTIFIER_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "domain/access_policy.h"
#include "domain/caller.h"
#include "grpcpp/grpcpp.h"

namespace einvoice {

class CallerIdentifier {
 public:
  virtual ~CallerIdentifier() = default;
  // UNAUTHENTICATED when the call carries no identity this identifier accepts.
  virtual absl::StatusOr<Caller> Identify(const grpc::ServerContextBase& context) = 0;
};

class LocalOperatorIdentifier final : public CallerIdentifier {
 public:
  absl::StatusOr<Caller> Identify(const grpc::ServerContextBase& context) override {
    return Caller::LocalOperator();
  }
};

class TlsCallerIdentifier final : public CallerIdentifier {
 public:
  // Certificates remembered (parsed once): enough for every client of a busy server; when full
  // the cache starts again.
  static constexpr size_t kCacheEntries = 4096;

  // REQUIRES: the pointers outlive this object.
  TlsCallerIdentifier(const AccessPolicyHolder* policy, const Clock* clock);

  // UNAUTHENTICATED if the call came without a client certificate (an in-process channel, or
  // a server built without client authentication), with one that has expired since the
  // connection was made, or with one the access policy revokes.
  absl::StatusOr<Caller> Identify(const grpc::ServerContextBase& context) override;

 private:
  absl::StatusOr<CertificateIdentity> IdentityOf(const std::string& pem);

  const AccessPolicyHolder* const policy_;
  const Clock* const clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, CertificateIdentity> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_CALLER_IDENTIFIER_H_
