// SigningKeyManager: the lifecycle of the authority's signing keys -- which key signs new
// invoices, and the published list of keys with their validity periods.
//
// A key in the registry is *pending* (generated, no not_before), *active* (not_before set, no
// retired_at; at most one), or *retired* (retired_at set; never signs again but stays listed
// so every invoice it signed still verifies). The private keys live in the Signer's token;
// the registry holds public keys and dates.
//
// Rotation is safe by construction: Stamp() hands out the active key id together with the
// issue time under one lock, and Activate() retires the previous key at a time strictly after
// every issue time already handed out, so no invoice is ever dated after its key's retirement.
//
// Thread-safety: all methods may be called concurrently.
#ifndef EINVOICE_DOMAIN_SIGNING_KEY_MANAGER_H_
#define EINVOICE_DOMAIN_SIGNING_KEY_MANAGER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "einvoice/v1/invoice_authority.pb.h"
#include "signer/signer.h"
#include "storage/signing_key_registry.h"

namespace einvoice {

class SigningKeyManager {
 public:
  struct Options {
    // When no key is active: generate one in the token and activate it (the embedded default
    // does this on first start). When false, Create() fails with FAILED_PRECONDITION.
    bool create_key_if_none = false;
  };

  // Loads the registry and checks the active key is held by `signer`.
  // REQUIRES: the pointers outlive the manager.
  static absl::StatusOr<std::unique_ptr<SigningKeyManager>> Create(Signer* signer,
                                                                   SigningKeyRegistry* registry,
                                                                   const Clock* clock,
                                                                   Options options);

  // The key to sign a new invoice with, and the invoice's issue time (microseconds).
  struct SigningStamp {
    std::string key_id;
    absl::Time issued_at;
    // The key's X.509 certificate (DER), for XML signatures.
    std::string certificate_der;
  };
  SigningStamp Stamp();

  // Every key, the active one first, then newest first.
  std::vector<v1::SigningKey> Keys() const;

  // Generates a key pair in the token, issues its self-signed certificate (signed inside the
  // token), and registers it as pending.
  absl::StatusOr<v1::SigningKey> GenerateKey(KeyAlgorithm algorithm);
  // Makes a pending key active, retiring the previously active one. NOT_FOUND for an unknown
  // key, FAILED_PRECONDITION for a retired key or one the token does not hold.
  absl::StatusOr<v1::SigningKey> Activate(absl::string_view key_id);
  // Replaces a key's certificate (e.g. one issued by a real CA). INVALID_ARGUMENT unless
  // `certificate_der` is an unexpired X.509 certificate for this key's public key; NOT_FOUND
  // for an unknown key; FAILED_PRECONDITION for a retired key.
  absl::StatusOr<v1::SigningKey> ImportCertificate(absl::string_view key_id,
                                                   absl::string_view certificate_der);
  // Retires a key. FAILED_PRECONDITION for the active key (activate its successor instead).
  absl::StatusOr<v1::SigningKey> Retire(absl::string_view key_id);

 private:
  SigningKeyManager(Signer* signer, SigningKeyRegistry* registry, const Clock* clock);
  absl::Status Load() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Time NextTime() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  v1::SigningKey* Find(absl::string_view key_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A registry record for a freshly generated key, with its certificate.
  absl::StatusOr<v1::SigningKey> NewKeyRecord(const PublicKey& key);
  // Issues certificates for usable keys registered before certificates existed.
  absl::Status IssueMissingCertificates() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Signer* const signer_;
  SigningKeyRegistry* const registry_;
  const Clock* const clock_;
  mutable absl::Mutex mu_;
  std::vector<v1::SigningKey> keys_ ABSL_GUARDED_BY(mu_);
  std::string active_key_id_ ABSL_GUARDED_BY(mu_);
  std::string active_certificate_der_ ABSL_GUARDED_BY(mu_);
  // The latest time handed out; times handed out never go backwards.
  absl::Time last_time_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_SIGNING_KEY_MANAGER_H_
