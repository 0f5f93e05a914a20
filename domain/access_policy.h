// AccessPolicy: which client certificates are tax officers and which are administrators,
// named by fingerprint (lower-case hex SHA-256 of the certificate's DER), and which are
// refused outright. Read from the JSON access policy file (`{"admins": [...], "officers":
// [...], "revoked": [...]}`, proto/einvoice/v1/access_policy.proto); docs/security.md
// explains the model.
//
// AccessPolicy is an immutable value. AccessPolicyHolder keeps the policy in force and lets
// the server swap in a new one (SIGHUP) while calls are running: a call sees one policy or the
// other, never a mix.
//
// Thread-safety: AccessPolicy is immutable (any thread); AccessPolicyHolder's methods may be
// called concurrently.
#ifndef EINVOICE_DOMAIN_ACCESS_POLICY_H_
#define EINVOICE_DOMAIN_ACCESS_POLICY_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace einvoice {

class AccessPolicy {
 public:
  // No officers, no administrators.
  AccessPolicy() = default;

  // Parses the policy file's JSON. INVALID_ARGUMENT, saying what is wrong, for malformed JSON,
  // an unknown key, or an entry that is not 64 lower-case hex digits.
  static absl::StatusOr<AccessPolicy> FromJson(absl::string_view json);

  // True for 64 lower-case hex digits: how fingerprints are written.
  static bool IsFingerprint(absl::string_view text);

  bool IsAdmin(absl::string_view fingerprint) const { return admins_.contains(fingerprint); }
  bool IsOfficer(absl::string_view fingerprint) const { return officers_.contains(fingerprint); }
  // Refused outright, whatever else the policy says.
  bool IsRevoked(absl::string_view fingerprint) const { return revoked_.contains(fingerprint); }
  size_t admin_count() const { return admins_.size(); }
  size_t officer_count() const { return officers_.size(); }

 private:
  absl::flat_hash_set<std::string> admins_;
  absl::flat_hash_set<std::string> officers_;
  absl::flat_hash_set<std::string> revoked_;
};

class AccessPolicyHolder {
 public:
  explicit AccessPolicyHolder(AccessPolicy initial = AccessPolicy());

  // The policy in force; callers keep the pointer for the whole call.
  std::shared_ptr<const AccessPolicy> Get() const;
  // Puts `policy` in force for calls that start from now on.
  void Set(AccessPolicy policy);

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const AccessPolicy> policy_ ABSL_GUARDED_BY(mu_);
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_ACCESS_POLICY_H_
