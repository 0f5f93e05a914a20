// Internal to signer/: small RAII and error helpers around OpenSSL 3. Includes OpenSSL, so
// only signer/*.cc (and tests) may include it; never include it from a public header.
// Thread-safety: pure functions; OpenSSL's error queue is per thread.
#ifndef EINVOICE_SIGNER_OPENSSL_UTIL_H_
#define EINVOICE_SIGNER_OPENSSL_UTIL_H_

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace einvoice::internal {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct EvpPkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct EvpMdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxFree>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

// Empties this thread's OpenSSL error queue and returns its entries as text ("" if empty).
// Call on every OpenSSL failure path so errors never leak into unrelated later calls.
std::string DrainOpenSslErrors();

// An INTERNAL status "<what>: <drained OpenSSL errors>".
absl::Status OpenSslError(absl::string_view what);

// Parses a DER SubjectPublicKeyInfo. INVALID_ARGUMENT if it is not one (trailing bytes too).
absl::StatusOr<EvpPkeyPtr> ParsePublicKeyDer(absl::string_view der);

// True if `key` is an EC key on P-256 (prime256v1).
bool IsP256Key(EVP_PKEY* key);

// DER SubjectPublicKeyInfo of a P-256 key given its uncompressed point (0x04 || X || Y).
// INVALID_ARGUMENT if the point is not on the curve.
absl::StatusOr<std::string> P256SpkiFromPoint(absl::string_view point);

// True if `key` is an RSA key with a 3072-bit modulus.
bool IsRsa3072Key(EVP_PKEY* key);

// DER SubjectPublicKeyInfo (rsaEncryption) of the RSA key with big-endian unsigned `modulus`
// and `public_exponent` (as in CKA_MODULUS / CKA_PUBLIC_EXPONENT). INVALID_ARGUMENT if either
// is empty or OpenSSL refuses the key.
absl::StatusOr<std::string> RsaSpkiFromModulus(absl::string_view modulus,
                                               absl::string_view public_exponent);

// True if `key` is an Ed25519 key.
bool IsEd25519Key(EVP_PKEY* key);

// DER SubjectPublicKeyInfo (id-Ed25519, RFC 8410) of the 32-byte raw Ed25519 public key.
// INVALID_ARGUMENT if it is not 32 bytes.
absl::StatusOr<std::string> Ed25519SpkiFromRaw(absl::string_view raw);

// DER SubjectPublicKeyInfo of `key`.
absl::StatusOr<std::string> SpkiOf(EVP_PKEY* key);

// Converts a raw PKCS#11 ECDSA signature (r || s, equal halves) to DER Ecdsa-Sig-Value.
absl::StatusOr<std::string> RawEcdsaToDer(absl::string_view raw);

}  // namespace einvoice::internal

#endif  // EINVOICE_SIGNER_OPENSSL_UTIL_H_
