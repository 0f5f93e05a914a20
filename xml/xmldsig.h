// Internal to xml/: XMLDSig helpers shared by the seller-signature check, the coded invoice and
// the offline verifier — xmlsec1 (OpenSSL backend) initialisation and verification of one
// Signature element with a key the caller has already decided to trust, reading a
// signature's layout (algorithms, references, KeyInfo certificate), Id registration and
// date-time parsing.
//
// Trust is never taken from the document: Verify() uses only the certificate passed in (its
// public key); certificate chains in KeyInfo are ignored; only same-document references
// ("#id") are followed, so nothing is fetched; only the listed transforms and algorithms are
// enabled.
//
// Thread-safety: InitXmlSec() is idempotent and thread-safe; the other functions may run
// concurrently on different documents.
#ifndef EINVOICE_XML_XMLDSIG_H_
#define EINVOICE_XML_XMLDSIG_H_

#include <libxml/tree.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "xml/x509_util.h"

namespace einvoice::xmldsig {

inline constexpr char kNs[] = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr char kC14n10[] = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
inline constexpr char kC14n10WithComments[] =
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
inline constexpr char kExcC14n[] = "http://www.w3.org/2001/10/xml-exc-c14n#";
inline constexpr char kEnveloped[] = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
inline constexpr char kRsaSha1[] = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
inline constexpr char kRsaSha256[] = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr char kEcdsaSha256[] = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
inline constexpr char kSha1[] = "http://www.w3.org/2000/09/xmldsig#sha1";
inline constexpr char kSha256[] = "http://www.w3.org/2001/04/xmlenc#sha256";

// Initialises libxml2 (InitXmlLibrary) and xmlsec1 with its OpenSSL backend once per process,
// silences xmlsec's stderr reporting (errors are collected per call instead) and drops
// xmlsec's I/O callbacks so no reference can reach a file or the network. Aborts if xmlsec
// cannot be initialised (a broken installation).
void InitXmlSec();

// Registers every `Id` attribute of `doc` as an XML ID (so "#id" references resolve).
// INVALID_ARGUMENT if two elements carry the same Id (signature-wrapping protection).
absl::Status RegisterIds(xmlDoc* doc);

// The element whose Id is `id` (after RegisterIds), or null.
xmlNode* ElementById(xmlDoc* doc, absl::string_view id);

struct Reference {
  std::string uri;
  std::vector<std::string> transforms;  // Algorithm URIs, in order
  std::string digest_method;
};

struct SignatureLayout {
  std::string id;  // the Signature's Id attribute
  std::string c14n_method;
  std::string signature_method;
  std::vector<Reference> references;
  // X509Certificate values of KeyInfo/X509Data (DER, base64-decoded), in order.
  std::vector<std::string> certificates_der;
  std::string subject_name;  // X509SubjectName, if any
};

// Reads the layout of a dsig:Signature element. INVALID_ARGUMENT if it has no SignedInfo,
// SignatureMethod or Reference, or a certificate is not valid base64.
absl::StatusOr<SignatureLayout> ReadLayout(xmlNode* signature);

struct VerifyOptions {
  // SignatureMethod URIs accepted (kRsaSha256, kRsaSha1, kEcdsaSha256).
  std::vector<std::string> signature_methods;
  // Accept SHA-1 digests (only sensible together with kRsaSha1).
  bool allow_sha1_digest = false;
};

// Cryptographically verifies `signature` (a dsig:Signature element of `doc`, whose Ids are
// registered) with the public key of the DER certificate `certificate_der`: every Reference
// digest and the SignatureValue. OK if valid; INVALID_ARGUMENT saying why if not (bad digest,
// bad value, algorithm or transform not enabled, unresolvable reference, key of the wrong
// type); INTERNAL if xmlsec itself fails.
// With `key_is_spki`, `certificate_der` is instead a DER SubjectPublicKeyInfo.
absl::Status Verify(xmlDoc* doc, xmlNode* signature, absl::string_view certificate_der,
                     const VerifyOptions& options, bool key_is_spki = false);

// The same with an already parsed certificate (x509::CertificateCache): no DER is parsed; the
// xmlsec key is made for this call only, from the certificate's public key (up-ref'd by
// xmlSecOpenSSLX509CertGetKey), so no xmlsec object is shared between calls. Same results and
// messages as Verify(doc, signature, certificate.der(), options).
absl::Status Verify(xmlDoc* doc, xmlNode* signature, const x509::ParsedCertificate& certificate,
                    const VerifyOptions& options);

// The text of the first SigningTime element at or below `node` (any namespace), or nullopt.
std::optional<std::string> FindSigningTime(xmlNode* node);

// Parses an XMLDSig / QĐ1450 date-time: "YYYY-MM-DDThh:mm:ss" with optional fraction, and
// either no offset (Vietnam local time, as the format prescribes), "Z" or "±hh:mm".
std::optional<absl::Time> ParseDateTime(absl::string_view text);

// "YYYY-MM-DDThh:mm:ss" in Vietnam local time (no offset), as the authority writes it.
std::string FormatDateTime(absl::Time t);

// Standard base64 (RFC 4648, no line breaks) / decoding that ignores XML whitespace.
std::string Base64Encode(absl::string_view data);
std::optional<std::string> Base64Decode(absl::string_view text);

}  // namespace einvoice::xmldsig

#endif  // EINVOICE_XML_XMLDSIG_H_
