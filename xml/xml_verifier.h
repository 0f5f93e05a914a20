// VerifyInvoiceXml: offline verification of an XML invoice (what `einvoice verify FILE.xml`
// does): the seller's signature and, when the invoice is coded, the authority's code and
// signature — reporting which part failed. Accepts the real authority's layout (domain brief
// §3: RSA-SHA256, inclusive C14N 1.0, SHA-256, three references — `#<DLHDon Id>`,
// `#<MCCQT Id>`, `#SigningTime-…` — no transforms, KeyInfo/X509Data) as well as ours
// (BuildCodedInvoiceXml, ECDSA-SHA256).
//
// Parts:
//   - seller: VerifySellerSignature() without a registry (require_registered_certificate =
//     false): valid XMLDSig over DLHDon + SigningTime, certificate naming NBan/MST, valid at
//     SigningTime, signed on or after NLap. The certificate is reported, not trusted: there is
//     no seller CA list offline.
//   - authority code: `MCCQT` is 34 upper-case hex characters ("00" + 32 in practice).
//   - authority signature: `DSCKS/CQT/Signature` with RSA-SHA256 or ECDSA-SHA256, references
//     covering DLHDon, MCCQT and a signed SigningTime Object of the signature, cryptographically
//     valid under a TRUSTED key: one KeyInfo certificate must equal one of
//     `authority_certificates_der`, or its public key one of `authority_public_keys_der`; the
//     signature is checked with that trusted key (chains in the document are never trusted).
//
// Thread-safety: thread-safe.
#ifndef EINVOICE_XML_XML_VERIFIER_H_
#define EINVOICE_XML_XML_VERIFIER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rules/violation.h"

namespace einvoice {

struct XmlVerifyOptions {
  // Trusted authority certificates (DER), e.g. GetSigningKeys' `certificate_der`.
  std::vector<std::string> authority_certificates_der;
  // Trusted authority public keys (DER SubjectPublicKeyInfo), e.g. GetSigningKeys'
  // `public_key_der`, for when only the keys are known.
  std::vector<std::string> authority_public_keys_der;
  // Accept RSA-SHA1 seller signatures. Default true.
  bool allow_rsa_sha1 = true;
  // "Now", for "signed in the future" checks. Default: the real time at the call.
  std::optional<absl::Time> now;
};

struct XmlVerifyReport {
  // --- seller part ---
  bool seller_signature_valid = false;
  // Every problem found with the seller's signature (codes 209xx, rules/signature_violations.h).
  std::vector<Violation> seller_problems;
  std::string seller_certificate_subject;
  std::optional<absl::Time> seller_signing_time;

  // --- authority part ---
  // True if the invoice carries an MCCQT or an authority signature.
  bool coded = false;
  std::string authority_code;
  bool authority_code_valid = false;
  std::string authority_code_problem;  // empty when valid
  bool authority_signature_valid = false;
  std::string authority_signature_problem;  // empty when valid
  std::string authority_certificate_subject;
  std::optional<absl::Time> authority_signing_time;

  // Seller part valid, and, when coded, code and authority signature valid.
  bool ok() const {
    return seller_signature_valid &&
           (!coded || (authority_code_valid && authority_signature_valid));
  }
  // A few lines of English saying which part passed and which failed, for the CLI.
  std::string Summary() const;
};

// Verifies `xml` as described above. INVALID_ARGUMENT if the document cannot be read at all
// (not well-formed, DOCTYPE, too big, not an HDon, duplicate Ids); everything else is reported
// in the result.
absl::StatusOr<XmlVerifyReport> VerifyInvoiceXml(absl::string_view xml,
                                                 const XmlVerifyOptions& options);

}  // namespace einvoice

#endif  // EINVOICE_XML_XML_VERIFIER_H_
