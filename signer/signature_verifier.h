// Offline verification of the authority's signatures with a public key (no token needed).
// Used by VerifyInvoice, the CLI's `verify`, and tests. Pure functions; thread-safe.
#ifndef EINVOICE_SIGNER_SIGNATURE_VERIFIER_H_
#define EINVOICE_SIGNER_SIGNATURE_VERIFIER_H_

#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "signer/signer.h"

namespace einvoice {

// True if `signature` is a valid `algorithm` signature of `data` under the DER
// SubjectPublicKeyInfo `public_key_der`; false if it is not (including a malformed
// signature). INVALID_ARGUMENT if the public key cannot be parsed or does not match
// `algorithm`.
absl::StatusOr<bool> VerifySignature(KeyAlgorithm algorithm, absl::string_view public_key_der,
                                     absl::string_view data, absl::string_view signature);

}  // namespace einvoice

#endif  // EINVOICE_SIGNER_SIGNATURE_VERIFIER_H_
