#include "xml/authority_signature.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "signer/digest.h"
#include "xml/certificate_cache.h"
#include "xml/safe_xml.h"
#include "xml/x509_util.h"
#include "xml/xmldsig.h"

namespace einvoice {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// The XMLDSig ECDSA signature value r || s (each `half` bytes) from a DER Ecdsa-Sig-Value.
absl::StatusOr<std::string> DerEcdsaToRaw(absl::string_view der, int half) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) {
    ERR_clear_error();
    return absl::InternalError("the signer returned a malformed ECDSA signature");
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::string raw(static_cast<size_t>(2 * half), '\0');
  unsigned char* out = reinterpret_cast<unsigned char*>(raw.data());
  const bool ok = BN_bn2binpad(r, out, half) == half && BN_bn2binpad(s, out + half, half) == half;
  ECDSA_SIG_free(sig);
  if (!ok) return absl::InternalError("ECDSA signature component too large");
  return raw;
}

xmlNode* Child(xmlNode* parent, xmlNs* ns, const char* name, const std::string& text = {}) {
  return xmlNewTextChild(parent, ns, X(name), text.empty() ? nullptr : X(text.c_str()));
}

xmlNode* Reference(xmlNode* signed_info, xmlNs* ns, const std::string& id) {
  xmlNode* ref = Child(signed_info, ns, "Reference");
  xmlNewProp(ref, X("URI"), X(absl::StrCat("#", id).c_str()));
  xmlNode* digest = Child(ref, ns, "DigestMethod");
  xmlNewProp(digest, X("Algorithm"), X(xmldsig::kSha256));
  return Child(ref, ns, "DigestValue");
}

absl::Status SetDigest(xmlDoc* doc, xmlNode* target, xmlNode* digest_value) {
  absl::StatusOr<std::string> c14n = xmlutil::C14nSubtree(doc, target);
  if (!c14n.ok()) return c14n.status();
  const std::string b64 = xmldsig::Base64Encode(Sha256(*c14n));
  xmlNodeSetContent(digest_value, X(b64.c_str()));
  return absl::OkStatus();
}

}  // namespace

std::string AuthorityId(absl::string_view prefix, absl::string_view digest) {
  return absl::StrCat(prefix,
                      absl::AsciiStrToUpper(absl::BytesToHexString(digest.substr(0, 16))));
}

absl::Status AppendAuthoritySignature(xmlDoc* doc, xmlNode* parent,
                                      absl::Span<xmlNode* const> targets,
                                      const AuthoritySigningKey& key,
                                      const AuthoritySignatureIds& ids) {
  xmldsig::InitXmlSec();
  if (key.signer == nullptr) return absl::FailedPreconditionError("no authority signer");
  // The authority's certificate is the same DER on every call: parsed once
  // (certificate_cache.h); the key and key-type checks below still run every time.
  absl::StatusOr<std::shared_ptr<const x509::ParsedCertificate>> authority =
      x509::DefaultCertificateCache().Get(key.certificate_der);
  if (!authority.ok()) return authority.status();
  const x509::CertificateInfo& cert = (*authority)->info();
  if (KeyIdOf(cert.public_key_der) != key.key_id) {
    return absl::FailedPreconditionError(
        absl::StrCat("the authority certificate is not for key ", key.key_id));
  }
  const char* method = nullptr;
  switch (cert.key_type) {
    case x509::KeyType::kEcP256: method = xmldsig::kEcdsaSha256; break;
    case x509::KeyType::kRsa: method = xmldsig::kRsaSha256; break;
    case x509::KeyType::kOther:
      return absl::UnimplementedError("authority key type not supported (EC P-256 or RSA)");
  }
  std::vector<std::string> target_ids;
  for (xmlNode* target : targets) {
    std::string id = xmlutil::Attribute(target, "Id");
    if (id.empty()) return absl::InvalidArgumentError("a signed element has no Id");
    target_ids.push_back(std::move(id));
  }
  for (const std::string& id : {ids.signature_id, ids.signing_time_id}) {
    if (xmldsig::ElementById(doc, id) != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("the document already uses Id ", id));
    }
  }

  xmlNode* sig = xmlNewChild(parent, nullptr, X("Signature"), nullptr);
  xmlNs* ns = xmlNewNs(sig, X(xmldsig::kNs), nullptr);
  xmlSetNs(sig, ns);
  xmlNewProp(sig, X("Id"), X(ids.signature_id.c_str()));
  xmlNode* info = Child(sig, ns, "SignedInfo");
  xmlNewProp(Child(info, ns, "CanonicalizationMethod"), X("Algorithm"), X(xmldsig::kC14n10));
  xmlNewProp(Child(info, ns, "SignatureMethod"), X("Algorithm"), X(method));
  std::vector<xmlNode*> digests;
  for (const std::string& id : target_ids) digests.push_back(Reference(info, ns, id));
  xmlNode* time_digest = Reference(info, ns, ids.signing_time_id);
  xmlNode* value = Child(sig, ns, "SignatureValue");
  xmlNode* x509 = Child(Child(sig, ns, "KeyInfo"), ns, "X509Data");
  Child(x509, ns, "X509SubjectName", cert.subject);
  Child(x509, ns, "X509Certificate", xmldsig::Base64Encode(key.certificate_der));
  xmlNode* object = Child(sig, ns, "Object");
  xmlNewProp(object, X("Id"), X(ids.signing_time_id.c_str()));
  xmlNode* property = Child(Child(object, ns, "SignatureProperties"), ns, "SignatureProperty");
  xmlNewProp(property, X("Target"), X(absl::StrCat("#", ids.signature_id).c_str()));
  Child(property, ns, "SigningTime", xmldsig::FormatDateTime(key.signing_time));

  for (size_t i = 0; i < targets.size(); ++i) {
    if (absl::Status s = SetDigest(doc, targets[i], digests[i]); !s.ok()) return s;
  }
  if (absl::Status s = SetDigest(doc, object, time_digest); !s.ok()) return s;
  absl::StatusOr<std::string> signed_info = xmlutil::C14nSubtree(doc, info);
  if (!signed_info.ok()) return signed_info.status();
  absl::StatusOr<std::string> signature = key.signer->Sign(key.key_id, *signed_info);
  if (!signature.ok()) return signature.status();
  std::string signature_value = *std::move(signature);
  if (cert.key_type == x509::KeyType::kEcP256) {
    absl::StatusOr<std::string> raw = DerEcdsaToRaw(signature_value, 32);
    if (!raw.ok()) return raw.status();
    signature_value = *std::move(raw);
  }
  xmlNodeSetContent(value, X(xmldsig::Base64Encode(signature_value).c_str()));
  return absl::OkStatus();
}

}  // namespace einvoice
