// Internal to xml/: the authority's XMLDSig on what it sends -- the coded invoice (202) and the
// notices (204) -- made through the Signer, so the private key never leaves the token.
//
// Layout (the real authority's, domain brief §3; docs/xml.md):
//
//   <Signature xmlns="http://www.w3.org/2000/09/xmldsig#" Id="<signature_id>">
//     <SignedInfo>
//       <CanonicalizationMethod Algorithm="…REC-xml-c14n-20010315"/>   inclusive C14N 1.0
//       <SignatureMethod Algorithm="…xmldsig-more#ecdsa-sha256"/>     or rsa-sha256
//       <Reference URI="#<target Id>"> SHA-256, no transforms          one per target, in order
//       <Reference URI="#<signing_time_id>">
//     </SignedInfo>
//     <SignatureValue/> <KeyInfo><X509Data><X509SubjectName/><X509Certificate/></X509Data>
//     <Object Id="<signing_time_id>"><SignatureProperties><SignatureProperty
//       Target="#<signature_id>"><SigningTime>YYYY-MM-DDThh:mm:ss</SigningTime>…</Object>
//   </Signature>
//
// Digests are SHA-256 over the inclusive C14N 1.0 (no comments) of each referenced element as
// it sits in the final document; SignedInfo is canonicalised the same way and signed with
// `signer.Sign(key_id, c14n(SignedInfo))`. An ECDSA P-256 signature (DER from the signer) is
// written in the XMLDSig form r || s (64 bytes); an RSA key's PKCS#1 v1.5 block as is. The
// method follows the certificate's key type; other key types (Ed25519) are refused.
//
// Thread-safety: thread-safe if the signer is; each call works on its own document.
#ifndef EINVOICE_XML_AUTHORITY_SIGNATURE_H_
#define EINVOICE_XML_AUTHORITY_SIGNATURE_H_

#include <libxml/tree.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "signer/signer.h"
#include "xml/authority_signing_key.h"

namespace einvoice {

// The Ids of the new Signature and of its SigningTime Object.
struct AuthoritySignatureIds {
  std::string signature_id;
  std::string signing_time_id;
};

// Appends the authority's Signature to `parent` (an element of `doc`), referencing each of
// `targets` by its Id attribute, then the SigningTime object; `doc`'s Ids must be registered
// (xmldsig::RegisterIds) and the new Ids must be unused.
// INVALID_ARGUMENT for a target without an Id, an Id already used, or an unreadable
// certificate; FAILED_PRECONDITION if the certificate is not for `key.key_id`; UNIMPLEMENTED
// for a key type other than EC P-256 / RSA; the signer's error (NOT_FOUND, UNAVAILABLE) as is.
absl::Status AppendAuthoritySignature(xmlDoc* doc, xmlNode* parent,
                                      absl::Span<xmlNode* const> targets,
                                      const AuthoritySigningKey& key,
                                      const AuthoritySignatureIds& ids);

// "<prefix><32 upper-case hex>" from the first 16 bytes of `digest` (at least 16 bytes).
std::string AuthorityId(absl::string_view prefix, absl::string_view digest);

}  // namespace einvoice

#endif  // EINVOICE_XML_AUTHORITY_SIGNATURE_H_
