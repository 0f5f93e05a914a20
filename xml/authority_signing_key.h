// AuthoritySigningKey: what the xml/ builders need to sign as the authority -- the token's
// Signer, the key to use, its certificate and the SigningTime to write. The domain fills it from
// SigningKeyManager::Stamp(); nothing here owns the signer.
//
// Thread-safety: a plain value; the signer must outlive every call that uses it.
#ifndef EINVOICE_XML_AUTHORITY_SIGNING_KEY_H_
#define EINVOICE_XML_AUTHORITY_SIGNING_KEY_H_

#include <string>

#include "absl/time/time.h"
#include "signer/signer.h"

namespace einvoice {

struct AuthoritySigningKey {
  Signer* signer = nullptr;      // not owned
  std::string key_id;            // the signer's key
  std::string certificate_der;   // the key's X.509 certificate (DER), written in KeyInfo
  absl::Time signing_time;       // SigningTime (Vietnam local time on the wire)
};

}  // namespace einvoice

#endif  // EINVOICE_XML_AUTHORITY_SIGNING_KEY_H_
