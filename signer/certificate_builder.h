// BuildSelfSignedCertificate: the authority's X.509 certificate for one of its signing keys,
// signed by that key inside the token — the private key never leaves it. XML signatures carry
// it in KeyInfo/X509Data (xml/coded_invoice.h) and GetSigningKeys exposes it
// (`certificate_der`). A certificate imported from a real CA replaces it as is.
//
// The certificate (X.509 v3, DER):
//   - serial: 16 random bytes (positive); subject = issuer = "C=VN, CN=<common_name>" (UTF-8);
//   - validity [not_before, not_after] (UTCTime until 2049, GeneralizedTime after);
//   - subjectPublicKeyInfo = key.public_key_der;
//   - extensions: basicConstraints critical CA:TRUE, pathlen:0 and keyUsage critical
//     digitalSignature, nonRepudiation, keyCertSign — the shape of `openssl req -x509`, so that
//     standard tools (xmlsec1 --trusted-pem, openssl verify -CAfile) accept the certificate
//     as its own trust anchor; subjectKeyIdentifier and authorityKeyIdentifier (the same);
//   - signatureAlgorithm ecdsa-with-SHA256 (ECDSA P-256 keys) or sha256WithRSAEncryption with
//     NULL parameters (RSA-3072 keys); signatureValue = signer.Sign(key.key_id,
//     TBSCertificate DER): the DER Ecdsa-Sig-Value, or the PKCS#1 v1.5 signature block, as
//     X.509 wants them.
// The result is checked before it is returned: it parses and verifies under its own public key.
//
// Thread-safety: thread-safe if `signer` is (Signer's contract says it is).
#ifndef EINVOICE_SIGNER_CERTIFICATE_BUILDER_H_
#define EINVOICE_SIGNER_CERTIFICATE_BUILDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "signer/signer.h"

namespace einvoice {

// The DER certificate described above. INVALID_ARGUMENT if `key.public_key_der` is not an EC
// (ECDSA) or RSA (RSA-3072) SubjectPublicKeyInfo as `key.algorithm` requires, `common_name` is
// empty or not_after <= not_before; UNIMPLEMENTED for other key algorithms; the signer's
// error (NOT_FOUND, UNAVAILABLE) if signing fails; INTERNAL if the signature does not verify
// under `key` (the signer used another key).
absl::StatusOr<std::string> BuildSelfSignedCertificate(Signer& signer, const PublicKey& key,
                                                       absl::string_view common_name,
                                                       absl::Time not_before,
                                                       absl::Time not_after);

}  // namespace einvoice

#endif  // EINVOICE_SIGNER_CERTIFICATE_BUILDER_H_
