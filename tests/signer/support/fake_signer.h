// FakeSigner: a software Signer for tests. TESTS ONLY; production never links it (the key
// lives in process memory, which is exactly what Pkcs11Signer exists to avoid).
//
// It does real ECDSA P-256 / SHA-256 (and, when asked, RSA-3072 PKCS#1 v1.5 / SHA-256 or
// Ed25519) with OpenSSL, so its signatures pass VerifySignature and `openssl dgst -verify`, and key ids are
// KeyIdOf(SPKI) as with the real signer. On top of that
// it offers fault injection (FailNext), a call counter (sign_calls) and a hook that runs at the
// start of every Sign (e.g. to block on an absl::Notification and simulate a slow token
// without sleeping).
//
// Thread-safety: every method may be called concurrently from any thread.
#ifndef EINVOICE_TESTS_SIGNER_SUPPORT_FAKE_SIGNER_H_
#define EINVOICE_TESTS_SIGNER_SUPPORT_FAKE_SIGNER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "signer/signer.h"

namespace einvoice::testing {

class FakeSigner final : public Signer {
 public:
  // Starts with one freshly generated key (default_key()).
  FakeSigner();
  ~FakeSigner() override;
  FakeSigner(const FakeSigner&) = delete;
  FakeSigner& operator=(const FakeSigner&) = delete;

  absl::StatusOr<std::vector<PublicKey>> ListKeys() override;
  absl::StatusOr<PublicKey> GenerateKey(KeyAlgorithm algorithm) override;
  // Counts the call, runs the hook, then either consumes one injected failure or signs.
  // NOT_FOUND for an unknown key id.
  absl::StatusOr<std::string> Sign(absl::string_view key_id, absl::string_view data) override;

  // The key created by the constructor.
  const PublicKey& default_key() const { return default_key_; }

  // The next `n` Sign() calls return `status` (which must not be OK) without signing. Replaces
  // any failures still pending.
  void FailNext(int n, absl::Status status);

  // Number of Sign() calls so far, failed ones included.
  int sign_calls() const;

  // Runs `hook` at the start of every Sign() (outside the fake's lock, before failures are
  // consumed). Pass nullptr to remove it.
  void SetSignHook(std::function<void()> hook);

 private:
  struct Key;  // OpenSSL key; defined in the .cc so this header stays OpenSSL-free.

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Key>> keys_ ABSL_GUARDED_BY(mu_);
  PublicKey default_key_;
  int fail_remaining_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status fail_status_ ABSL_GUARDED_BY(mu_);
  int sign_calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::function<void()> hook_ ABSL_GUARDED_BY(mu_);
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_SIGNER_SUPPORT_FAKE_SIGNER_H_
