// SHA-256 and key ids, shared by the signer, the domain (content fingerprints) and tools.
// Pure functions; thread-safe.
#ifndef EINVOICE_SIGNER_DIGEST_H_
#define EINVOICE_SIGNER_DIGEST_H_

#include <string>
#include "absl/strings/string_view.h"

namespace einvoice {

// The 32-byte SHA-256 of `data`.
std::string Sha256(absl::string_view data);

// Lower-case hex SHA-256 of a DER SubjectPublicKeyInfo: the key id.
std::string KeyIdOf(absl::string_view public_key_der);

}  // namespace einvoice

#endif  // EINVOICE_SIGNER_DIGEST_H_
