// Verification of the seller's XMLDSig signature on a submitted XML invoice
// (`HDon/DSCKS/NBan/Signature`), and of the seller's certificate, as the authority checks them
// before coding (domain brief §3, §4). Implemented with xmlsec1 (OpenSSL backend).
//
// What is checked, each failure one violation (rules/signature_violations.h, codes 209xx):
//   - the signature exists (20901) and carries a readable certificate in
//     KeyInfo/X509Data/X509Certificate (20910);
//   - SignatureMethod is RSA-SHA256, ECDSA-SHA256, or RSA-SHA1 unless refused by
//     `allow_rsa_sha1`; digests SHA-256 (SHA-1 with the same switch) (20904);
//   - it is cryptographically valid with that certificate's public key: every reference digest
//     and the signature value (20902, e.g. an amount changed after signing);
//   - its references cover `#<DLHDon Id>` (transforms limited to enveloped-signature and C14N)
//     and an Object of the signature itself holding SigningTime (20903);
//   - trust: the certificate's DER equals one of the seller's registered certificates (20905).
//     Chains and other certificates in the document are never trusted;
//   - the certificate subject names the seller: "MST:<NBan/MST>" exactly (a branch
//     "0100109106-001" needs a certificate for the branch), or "CCCD:<id>" for a 12-digit
//     personal tax code (20906);
//   - SigningTime parses (no offset = Vietnam time) and is not after `now` + skew (20908);
//   - the certificate was valid at SigningTime: notBefore <= SigningTime <= notAfter (20907);
//   - the signing day (Vietnam) is not before NLap (20909): signing later than the issue date is
//     normal (the tax point stays NLap), an invoice signed before the date it bears is not.
// Revocation is not checked here (the registry's certificate list is the control: a revoked
// certificate is removed from the seller's record).
//
// Thread-safety: thread-safe; concurrent calls are independent.
#ifndef EINVOICE_XML_SELLER_SIGNATURE_H_
#define EINVOICE_XML_SELLER_SIGNATURE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/repeated_field.h"
#include "rules/violation.h"

namespace einvoice {

struct SellerSignatureOptions {
  // Accept RSA-SHA1 signatures and SHA-1 digests (still about half of real submissions).
  // Default true; set false to refuse them (20904).
  bool allow_rsa_sha1 = true;
  // How far SigningTime may be ahead of `now` (clock skew of the seller's machine). Default 5
  // minutes.
  absl::Duration max_clock_skew = absl::Minutes(5);
  // Default true: the certificate must be one of `registered_certificates_der`. False only for
  // offline verification without a registry (xml_verifier.h): the certificate in KeyInfo is
  // then used as is and reported back for the caller to judge.
  bool require_registered_certificate = true;
};

struct SellerSignatureResult {
  // Empty when the signature passed every check.
  std::vector<Violation> violations;
  // What could be read, even when some check failed (empty / nullopt if not readable).
  std::string signature_method;             // SignatureMethod Algorithm URI
  std::optional<absl::Time> signing_time;   // the signed SigningTime
  std::string certificate_der;              // the certificate used
  std::string certificate_subject;          // its subject, RFC 2253
  bool ok() const { return violations.empty(); }
};

// Checks the seller's signature of `invoice_xml` (a submitted HDon; parsed safely here) as
// described above. `registered_certificates_der` are the seller's registered certificates
// (v1::Seller::certificates_der); `now` is the current time. A document that cannot be read
// yields UnreadableXmlViolation(); violations' `field` is the XPath of the offending element
// ("HDon/DSCKS/NBan/Signature", ".../KeyInfo/X509Data/X509Certificate", ".../SigningTime").
SellerSignatureResult VerifySellerSignature(absl::string_view invoice_xml,
                                            absl::Span<const std::string> registered_certificates_der,
                                            absl::Time now,
                                            const SellerSignatureOptions& options = {});

// The same, taking v1::Seller::certificates_der() directly.
SellerSignatureResult VerifySellerSignature(
    absl::string_view invoice_xml,
    const google::protobuf::RepeatedPtrField<std::string>& registered_certificates_der,
    absl::Time now, const SellerSignatureOptions& options = {});

// The taxpayer's signature over a whole T-VAN message (`TDiep/CKSNNT/Signature`, as on cash-
// register data, message 206): the same checks, with `#<DLieu Id>` as what must be covered and
// `TTChung/MST` as whose certificate it must be; no issue-date check (a message holds many
// invoices). Violations' fields are XPaths under "TDiep/CKSNNT/Signature".
SellerSignatureResult VerifyMessageSignature(
    absl::string_view message_xml,
    const google::protobuf::RepeatedPtrField<std::string>& registered_certificates_der,
    absl::Time now, const SellerSignatureOptions& options = {});

}  // namespace einvoice

#endif  // EINVOICE_XML_SELLER_SIGNATURE_H_
