// Signer: makes the authority's signatures with keys that never leave their token.
//
// The production implementation is Pkcs11Signer (any PKCS#11 module; SoftHSM2 by default).
// Tests may use a software fake (tests/signer/support/fake_signer.h); production never links it.
//
// Thread-safety: every method may be called concurrently from any thread.
#ifndef EINVOICE_SIGNER_SIGNER_H_
#define EINVOICE_SIGNER_SIGNER_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace einvoice {

// Signature algorithms the authority uses.
enum class KeyAlgorithm {
  // ECDSA on P-256 over SHA-256(data); signatures DER-encoded (X9.62 Ecdsa-Sig-Value).
  kEcdsaP256Sha256,
  // RSASSA-PKCS1-v1_5 with SHA-256 (sha256WithRSAEncryption) under a 3072-bit RSA key
  // (public exponent 65537); signatures are the raw 384-byte big-endian signature block.
  // For XML compatibility with the real authority's signatures.
  kRsa3072Sha256,
  // Pure Ed25519 (RFC 8032) over the data itself, no pre-hash; signatures are the raw 64 bytes
  // R || S. Only where the PKCS#11 module supports CKM_EC_EDWARDS_KEY_PAIR_GEN and CKM_EDDSA;
  // not used for XML signatures or certificates.
  kEd25519,
};

// "ECDSA_P256_SHA256", "RSA_3072_SHA256", "ED25519": the name used in the API (SigningKey.algorithm) and in docs.
absl::string_view KeyAlgorithmName(KeyAlgorithm algorithm);
// Inverse of KeyAlgorithmName; INVALID_ARGUMENT for an unknown name.
absl::StatusOr<KeyAlgorithm> ParseKeyAlgorithm(absl::string_view name);

// The public half of a signing key.
struct PublicKey {
  // Lower-case hex SHA-256 of `public_key_der` (64 characters); stable across restarts.
  std::string key_id;
  KeyAlgorithm algorithm = KeyAlgorithm::kEcdsaP256Sha256;
  // DER SubjectPublicKeyInfo.
  std::string public_key_der;
};

class Signer {
 public:
  virtual ~Signer() = default;

  // The keys the signer holds and can sign with.
  // UNAVAILABLE if the token cannot be reached.
  virtual absl::StatusOr<std::vector<PublicKey>> ListKeys() = 0;

  // Generates a new key pair inside the token (the private key is non-extractable).
  // UNAVAILABLE if the token cannot be reached; UNIMPLEMENTED if the module lacks the
  // mechanism.
  virtual absl::StatusOr<PublicKey> GenerateKey(KeyAlgorithm algorithm) = 0;

  // Signs `data` with key `key_id` (see KeyAlgorithm for the exact scheme) and returns the
  // signature (DER Ecdsa-Sig-Value for ECDSA, the raw signature for RSA and Ed25519).
  // NOT_FOUND if the signer holds no such key; UNAVAILABLE on a token or module outage (nothing
  // was signed; safe to retry).
  virtual absl::StatusOr<std::string> Sign(absl::string_view key_id, absl::string_view data) = 0;

  // OK when the signer can sign right now, else UNAVAILABLE with the reason (for health
  // reporting). May try to reconnect to the token. The default says OK.
  virtual absl::Status Health() { return absl::OkStatus(); }
};

}  // namespace einvoice

#endif  // EINVOICE_SIGNER_SIGNER_H_
