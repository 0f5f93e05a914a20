// Pkcs11Signer: the production Signer. Keys live in a PKCS#11 token and never leave it; the
// module is any vendor's PKCS#11 library loaded by path (SoftHSM2 by default). Nothing in this
// class is specific to SoftHSM.
//
// Signatures (see docs/signatures.md):
//   ECDSA P-256: SHA-256 of the data is computed in software, the token signs the 32-byte
//     digest with CKM_ECDSA (the mechanism nearly every HSM supports), and the raw r||s result
//     is returned DER-encoded.
//   RSA-3072: the token signs the data itself with CKM_SHA256_RSA_PKCS (it hashes, builds the
//     DigestInfo and pads, PKCS#1 v1.5); the 384-byte signature is returned as is.
//   Ed25519: the token signs the data itself with CKM_EDDSA (no parameters: pure Ed25519, no
//     pre-hash); the 64-byte signature is returned as is.
//
// Sessions: the signer keeps a pool of up to `Pkcs11SignerOptions::sessions` sessions, all
// logged in as the user. Sign() borrows one, blocking until one is free, so up to that many
// threads sign in parallel. By default (Pkcs11SignerOptions::session_key_copies, which says
// why) each session signs with its own session-object copy of the key, made with
// C_CopyObject(CKA_TOKEN=FALSE) the first time that session signs with that key. The copy
// keeps CKA_SENSITIVE=TRUE and CKA_EXTRACTABLE=FALSE, so the key still never leaves the token;
// it lives as long as its session: the token destroys it when the session is closed, and the
// signer forgets it with the session. A key the token refuses to copy is remembered and signed
// with the token object instead. Key lookups (ListKeys, finding a key by id) only consider
// token objects (CKA_TOKEN=TRUE), never these copies.
// When a PKCS#11 call fails with an outage code (see IsOutage() in pkcs11_module.h: device
// removed, session closed, token not present, ...), that session and every idle one are
// discarded with their key copies, and the key handle cache is cleared; later calls reopen
// sessions lazily (find the slot by token label again, log in again, find and copy the key
// again), after re-initialising the module if no session is open and this signer is its only
// user (Pkcs11SignerOptions::reinitialize_module_on_outage).
// During an outage every call returns UNAVAILABLE promptly; nothing waits for the token to
// come back. A failed login (CKR_PIN_INCORRECT/CKR_PIN_LOCKED/CKR_PIN_EXPIRED) is sticky: the
// signer does not try the PIN again, because real HSMs lock the user PIN after a few wrong
// attempts; create a new signer once the PIN is fixed.
//
// Thread-safety: every method may be called concurrently from any thread. The destructor
// REQUIRES that no call is in flight.
#ifndef EINVOICE_SIGNER_PKCS11_SIGNER_H_
#define EINVOICE_SIGNER_PKCS11_SIGNER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "signer/signer.h"

namespace einvoice {

class Pkcs11Module;

struct Pkcs11SignerOptions {
  // Path of the PKCS#11 module (shared library) to dlopen. Default: Debian's SoftHSM2.
  std::string module_path = "/usr/lib/softhsm/libsofthsm2.so";
  // Label of the token holding the authority's keys (compared after stripping the space
  // padding of the 32-byte CK_TOKEN_INFO label). Default: "einvoice".
  std::string token_label = "einvoice";
  // The token's user PIN. Required (no default). Never logged, never put in a status message.
  std::string pin;
  // Maximum number of concurrent PKCS#11 sessions, i.e. of concurrent signatures. Must be >= 1.
  // One per signing thread is the usual HSM pattern. Default: 4.
  size_t sessions = 4;
  // After an outage, once all of this signer's sessions are closed, finalise and initialise
  // the module again before reopening sessions (see Pkcs11Module::Reinitialize). Needed for
  // SoftHSM to see a token whose storage came back; only happens when this signer is the
  // module's only user in the process. Default: true.
  bool reinitialize_module_on_outage = true;
  // Sign with a per-session copy of each key: the first Sign() with a key on a session makes a
  // session object from the token key with C_CopyObject(template: CKA_TOKEN=FALSE only), and
  // that session signs with the copy from then on. Why: SoftHSM2 re-reads and locks a token
  // object's file on every C_SignInit, which also serialises threads; ECDSA P-256 C_SignInit +
  // C_Sign costs ~69 us with the token object (14.5k/s on 1 thread, 18.9k/s on 2) but ~45 us
  // with a session copy (22k/s on 1 thread, 32k/s on 2) (benchmarks/micro/signer_bench.cc,
  // BM_RawCSign). The copy inherits CKA_SENSITIVE=TRUE / CKA_EXTRACTABLE=FALSE (the key still
  // never leaves the token) and dies with its session.
  // If the token refuses the copy with a non-outage code (CKA_COPYABLE=FALSE gives
  // CKR_ACTION_PROHIBITED; CKR_FUNCTION_NOT_SUPPORTED, CKR_TEMPLATE_INCONSISTENT, ...), that
  // key is signed with the token object instead, and the refusal is remembered (until the next
  // outage) so the copy is not tried again on every Sign(); a warning is logged once. A refused
  // copy never fails a signature. An outage code from C_CopyObject is an outage like any other
  // (session discarded, UNAVAILABLE). A copy whose handle went stale (CKR_KEY_HANDLE_INVALID /
  // CKR_OBJECT_HANDLE_INVALID from C_SignInit) is dropped and made again.
  // Note: a key deleted from the token by another tool keeps signing through existing copies
  // until their sessions close (this signer never deletes keys). Default: true.
  bool session_key_copies = true;
};

class Pkcs11Signer final : public Signer {
 public:
  // Loads the module, finds the token labelled `options.token_label`, opens one session and
  // logs in, so configuration errors surface here rather than on the first Sign():
  //   INVALID_ARGUMENT  sessions == 0;
  //   UNAVAILABLE       module cannot be loaded, no token with that label, login failed
  //                     (message names the failing call and CKR code, e.g.
  //                     "C_Login: CKR_PIN_INCORRECT"), or any other outage code.
  static absl::StatusOr<std::unique_ptr<Pkcs11Signer>> Open(const Pkcs11SignerOptions& options);

  ~Pkcs11Signer() override;
  Pkcs11Signer(const Pkcs11Signer&) = delete;
  Pkcs11Signer& operator=(const Pkcs11Signer&) = delete;

  // Every EC P-256, RSA-3072 or Ed25519 private key in the token with CKA_SIGN = TRUE and a
  // public key object with the same CKA_ID (keys on other curves or of other sizes, or without
  // a public half, are skipped). key_id is the lower-case hex SHA-256 of the
  // SubjectPublicKeyInfo rebuilt from the public key's CKA_EC_PARAMS and CKA_EC_POINT (EC,
  // Ed25519) or CKA_MODULUS and CKA_PUBLIC_EXPONENT (RSA).
  absl::StatusOr<std::vector<PublicKey>> ListKeys() override;

  // Generates a key pair in the token: P-256 (CKM_EC_KEY_PAIR_GEN), RSA-3072 with public
  // exponent 65537 (CKM_RSA_PKCS_KEY_PAIR_GEN) or Ed25519 (CKM_EC_EDWARDS_KEY_PAIR_GEN).
  // Private key CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE, CKA_SIGN = TRUE, CKA_EXTRACTABLE =
  // FALSE; public key CKA_TOKEN, CKA_VERIFY = TRUE; both with CKA_ID = SHA-256(SPKI) (32 raw
  // bytes) and CKA_LABEL "einvoice-authority". UNIMPLEMENTED, naming the mechanism, if the
  // token's C_GetMechanismList lacks the generation or the signing mechanism (e.g. Ed25519 on
  // a module without CKM_EC_EDWARDS_KEY_PAIR_GEN / CKM_EDDSA); nothing is created then.
  absl::StatusOr<PublicKey> GenerateKey(KeyAlgorithm algorithm) override;

  // See Signer::Sign. NOT_FOUND for an unknown key id (including one that is not 64 hex
  // characters); UNAVAILABLE on an outage.
  absl::StatusOr<std::string> Sign(absl::string_view key_id, absl::string_view data) override;

  // OK if a session can be borrowed (opening and logging in one if needed) and the token
  // answers C_GetSessionInfo, C_GetTokenInfo and an object search; otherwise the UNAVAILABLE
  // reason (e.g. "no PKCS#11 token labelled \"einvoice\"", "C_GetTokenInfo:
  // CKR_GENERAL_ERROR"). A failed check discards sessions like a failed Sign() does. For health
  // reporting; blocks like Sign() while all sessions are busy.
  absl::Status Health() override;

 private:
  class Lease;
  using SessionHandle = unsigned long;  // CK_SESSION_HANDLE
  using ObjectHandle = unsigned long;   // CK_OBJECT_HANDLE
  // A private key object (in the token) and the algorithm it signs with.
  struct KeyHandle {
    ObjectHandle object;
    KeyAlgorithm algorithm;
  };
  // A pooled session and what belongs to it alone.
  struct Session {
    SessionHandle handle = 0;
    // Token key object -> its session-object copy in this session, or 0 (CK_INVALID_HANDLE)
    // if the token refused to copy that key. One entry per key this session signed with: a
    // handful, so a vector. Only the thread holding the session touches it (no lock).
    std::vector<std::pair<ObjectHandle, ObjectHandle>> key_copies;
  };
  // The object Sign() passes to C_SignInit.
  struct SigningObject {
    ObjectHandle object;
    bool is_copy;
  };

  Pkcs11Signer(std::shared_ptr<Pkcs11Module> module, const Pkcs11SignerOptions& options);

  // Borrows a session (idle, or newly opened and logged in). Blocks while `sessions` are out.
  absl::StatusOr<Lease> Borrow();
  // Opens a session on the token labelled token_label and logs in. Called without mu_.
  absl::StatusOr<SessionHandle> OpenSession();
  // Returns a lease's session to the pool, or closes it if it is broken or stale.
  void Return(Session session, uint64_t generation, bool broken);
  // ListKeys() on an already borrowed session; refreshes the key handle cache.
  absl::StatusOr<std::vector<PublicKey>> ListKeysWith(Lease& lease);
  // Finds the private key object for `key_id` (hex), using and filling the cache.
  absl::StatusOr<KeyHandle> FindPrivateKey(Lease& lease, absl::string_view key_id);
  // The object to sign `key` with on the lease's session: its copy in that session (made now
  // if there is none yet), or the token object if copies are off or the token refuses them.
  // UNAVAILABLE only if C_CopyObject reports an outage.
  absl::StatusOr<SigningObject> SigningObjectFor(Lease& lease, const KeyHandle& key);

  const std::shared_ptr<Pkcs11Module> module_;
  const Pkcs11SignerOptions options_;

  absl::Mutex mu_;
  std::vector<Session> idle_ ABSL_GUARDED_BY(mu_);
  size_t open_ ABSL_GUARDED_BY(mu_) = 0;  // idle + borrowed + being opened
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status login_failure_ ABSL_GUARDED_BY(mu_);  // sticky, see class comment
  bool reinitialize_wanted_ ABSL_GUARDED_BY(mu_) = false;  // an outage was seen
  absl::flat_hash_map<std::string, KeyHandle> key_handles_ ABSL_GUARDED_BY(mu_);
  // Token key objects the token refused to copy -> the CKR code it answered; cleared with
  // key_handles_ on an outage.
  absl::flat_hash_map<ObjectHandle, unsigned long> copy_refusals_ ABSL_GUARDED_BY(mu_);
};

}  // namespace einvoice

#endif  // EINVOICE_SIGNER_PKCS11_SIGNER_H_
