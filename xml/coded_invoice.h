// BuildCodedInvoiceXml: the coded invoice as the authority sends it back (message 202) — the
// seller's HDon unchanged, plus `MCCQT` and the authority's XMLDSig in `DSCKS/CQT`, laid out
// like the real authority's (domain brief §3):
//
//   <HDon>
//     <DLHDon Id="…">…</DLHDon>                      seller's, untouched
//     <MCCQT Id="Id-<32 HEX>">00…</MCCQT>           added right after DLHDon
//     … DLQRCode …
//     <DSCKS>
//       <NBan><Signature …/></NBan>                 seller's, untouched
//       <NMua/>
//       <CQT>
//         <Signature xmlns="http://www.w3.org/2000/09/xmldsig#" Id="Tct-<32 HEX>">
//           <SignedInfo>
//             <CanonicalizationMethod Algorithm="…REC-xml-c14n-20010315"/>   inclusive C14N 1.0
//             <SignatureMethod Algorithm="…xmldsig-more#ecdsa-sha256"/>     or rsa-sha256
//             <Reference URI="#<DLHDon Id>">  SHA-256, no transforms
//             <Reference URI="#<MCCQT Id>">   SHA-256, no transforms
//             <Reference URI="#SigningTime-<32 HEX>">
//           </SignedInfo>
//           <SignatureValue>…</SignatureValue>
//           <KeyInfo><X509Data><X509SubjectName/><X509Certificate/></X509Data></KeyInfo>
//           <Object Id="SigningTime-<32 HEX>"><SignatureProperties>
//             <SignatureProperty Target="#Tct-…"><SigningTime>YYYY-MM-DDThh:mm:ss</SigningTime>
//           </SignatureProperty></SignatureProperties></Object>
//         </Signature>
//       </CQT>
//       <CCKSKhac/>
//     </DSCKS>
//   </HDon>
//
// The digests are SHA-256 over the inclusive C14N 1.0 (no comments) of each referenced element
// as it sits in the final document; SignedInfo is canonicalised the same way and signed by
// `signer.Sign(key_id, c14n(SignedInfo))` — the key stays in the token. An ECDSA signature
// (DER from the signer) is written in the XMLDSig form r || s (64 bytes for P-256); an RSA-3072
// key's PKCS#1 v1.5 signature block is written as is (the method is chosen from the
// certificate's key type; Ed25519 keys are refused) -- authority_signature.h, shared with the
// 204 notice. The Ids are derived from the authority code (SHA-256), so they are unique per
// invoice and stable for a given code.
//
// Thread-safety: thread-safe if `signer` is.
#ifndef EINVOICE_XML_CODED_INVOICE_H_
#define EINVOICE_XML_CODED_INVOICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "signer/signer.h"

namespace einvoice {

// The coded invoice described above (UTF-8, with an XML declaration). `seller_xml` is the
// seller-signed HDon as submitted (already checked); `authority_code` the MCCQT; `signing_time`
// goes into SigningTime (Vietnam local time); `certificate_der` is the authority's certificate
// for `key_id` (signer/certificate_builder.h or a CA-issued one).
// INVALID_ARGUMENT if `seller_xml` is unreadable, not an HDon, has no DLHDon Id, duplicate
// Ids, or already has an MCCQT or a CQT signature; INVALID_ARGUMENT for an unreadable
// certificate; FAILED_PRECONDITION if the certificate is not for `key_id`; UNIMPLEMENTED for a
// key type other than EC P-256 / RSA; the signer's error (NOT_FOUND, UNAVAILABLE) as is.
absl::StatusOr<std::string> BuildCodedInvoiceXml(absl::string_view seller_xml,
                                                 absl::string_view authority_code,
                                                 absl::Time signing_time, Signer& signer,
                                                 absl::string_view key_id,
                                                 absl::string_view certificate_der);

}  // namespace einvoice

#endif  // EINVOICE_XML_CODED_INVOICE_H_
