#include "signer/signature_verifier.h"

#include <openssl/evp.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "signer/openssl_util.h"

namespace einvoice {

absl::StatusOr<bool> VerifySignature(KeyAlgorithm algorithm, absl::string_view public_key_der,
                                     absl::string_view data, absl::string_view signature) {
  using internal::DrainOpenSslErrors;
  auto key = internal::ParsePublicKeyDer(public_key_der);
  if (!key.ok()) return key.status();
  switch (algorithm) {
    case KeyAlgorithm::kEcdsaP256Sha256:
      if (!internal::IsP256Key(key->get())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "public key is not an EC P-256 key, as ", KeyAlgorithmName(algorithm), " requires"));
      }
      break;
    case KeyAlgorithm::kRsa3072Sha256:
      // EVP_DigestVerify's default RSA padding is PKCS#1 v1.5, which is what we want.
      if (!internal::IsRsa3072Key(key->get())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "public key is not a 3072-bit RSA key, as ", KeyAlgorithmName(algorithm),
            " requires"));
      }
      break;
    case KeyAlgorithm::kEd25519:
      if (!internal::IsEd25519Key(key->get())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "public key is not an Ed25519 key, as ", KeyAlgorithmName(algorithm), " requires"));
      }
      break;
  }
  // Ed25519 signs the message itself (no pre-hash): no digest.
  const EVP_MD* md = algorithm == KeyAlgorithm::kEd25519 ? nullptr : EVP_sha256();
  internal::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key->get()) != 1) {
    return internal::OpenSslError("EVP_DigestVerifyInit");
  }
  // 1: valid; 0: invalid; <0: malformed signature or other failure. A malformed signature is
  // simply "not a valid signature", so everything but 1 is false.
  const int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                  signature.size(),
                                  reinterpret_cast<const unsigned char*>(data.data()), data.size());
  DrainOpenSslErrors();
  return rc == 1;
}

}  // namespace einvoice
