#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "signer/signer.h"

namespace einvoice {

absl::string_view KeyAlgorithmName(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kEcdsaP256Sha256:
      return "ECDSA_P256_SHA256";
  }
  return "UNKNOWN";
}

absl::StatusOr<KeyAlgorithm> ParseKeyAlgorithm(absl::string_view name) {
  if (name == KeyAlgorithmName(KeyAlgorithm::kEcdsaP256Sha256)) {
    return KeyAlgorithm::kEcdsaP256Sha256;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown key algorithm \"", name, "\""));
}

}  // namespace einvoice
