// FakeCallerIdentifier -- FOR TESTS ONLY: lets an in-process test choose who it is per call,
// through the metadata "x-test-caller" (set it with AsCaller()):
//   absent                      the local operator (every right)
//   "taxpayer:<tax code>"       a certificate with UID=MST:<tax code>
//   "officer" / "admin"         a certificate the test policy lists as officer / administrator
//   "nobody"                    a certificate with neither
//   "unauthenticated"           no certificate: UNAUTHENTICATED
// Fingerprints are made up ("e…e" officer, "d…d" admin, "b…b" taxpayers, "9…9" nobody); the
// production identifier reads the real certificate (server/caller_identifier.h).
//
// Thread-safe (stateless).
#ifndef EINVOICE_TESTS_SERVER_SUPPORT_FAKE_CALLER_IDENTIFIER_H_
#define EINVOICE_TESTS_SERVER_SUPPORT_FAKE_CALLER_IDENTIFIER_H_

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "domain/access_policy.h"
#include "grpcpp/grpcpp.h"
#include "server/caller_identifier.h"

namespace einvoice::testing {

inline constexpr char kTestCallerHeader[] = "x-test-caller";

// Marks `context` as made by `who` (see above).
inline void AsCaller(grpc::ClientContext& context, const std::string& who) {
  context.AddMetadata(kTestCallerHeader, who);
}

class FakeCallerIdentifier final : public CallerIdentifier {
 public:
  absl::StatusOr<Caller> Identify(const grpc::ServerContextBase& context) override {
    const auto& metadata = context.client_metadata();
    const auto it = metadata.find(kTestCallerHeader);
    if (it == metadata.end()) return Caller::LocalOperator();
    absl::string_view who(it->second.data(), it->second.size());
    if (who == "unauthenticated") {
      return absl::UnauthenticatedError("a client certificate is required");
    }
    CertificateIdentity identity;
    identity.not_after = absl::InfiniteFuture();
    if (absl::ConsumePrefix(&who, "taxpayer:")) {
      identity.fingerprint = std::string(64, 'b');
      identity.tax_code = std::string(who);
      identity.subject = absl::StrCat("CN=Thử,UID=MST:", who);
    } else if (who == "officer") {
      identity.fingerprint = std::string(64, 'e');
      identity.subject = "CN=Cán bộ thuế";
    } else if (who == "admin") {
      identity.fingerprint = std::string(64, 'd');
      identity.subject = "CN=Quản trị";
    } else {
      identity.fingerprint = std::string(64, '9');
      identity.subject = "CN=nobody";
    }
    return Caller::WithCertificate(identity, policy_);
  }

 private:
  const AccessPolicy policy_ = *AccessPolicy::FromJson(
      absl::StrCat(R"({"admins": [")", std::string(64, 'd'), R"("], "officers": [")",
                   std::string(64, 'e'), R"("]})"));
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_SERVER_SUPPORT_FAKE_CALLER_IDENTIFIER_H_
