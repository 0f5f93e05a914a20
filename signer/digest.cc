#include "signer/digest.h"

#include <openssl/sha.h>

namespace einvoice {

std::string Sha256(absl::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  // One-shot SHA256() cannot fail for in-memory input.
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<const char*>(out), sizeof(out));
}

std::string KeyIdOf(absl::string_view public_key_der) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string digest = Sha256(public_key_der);
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (unsigned char c : digest) {
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 0x0f]);
  }
  return hex;
}

}  // namespace einvoice
