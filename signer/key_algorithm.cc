#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "signer/signer.h"

namespace einvoice {

absl::string_view KeyAlgorithmName(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kEcdsaP256Sha256:
      return "ECDSA_P256_SHA256";
    case KeyAlgorithm::kRsa3072Sha256:
      return "RSA_3072_SHA256";
    case KeyAlgorithm::kEd25519:
      return "ED25519";
  }
  return "UNKNOWN";
}

absl::StatusOr<KeyAlgorithm> ParseKeyAlgorithm(absl::string_view name) {
  for (KeyAlgorithm algorithm :
       {KeyAlgorithm::kEcdsaP256Sha256, KeyAlgorithm::kRsa3072Sha256, KeyAlgorithm::kEd25519}) {
    if (name == KeyAlgorithmName(algorithm)) return algorithm;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown key algorithm \"", name, "\""));
}

}  // namespace einvoice
