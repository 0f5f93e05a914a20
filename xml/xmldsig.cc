#include "xml/xmldsig.h"

#include <libxml/valid.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/errors.h>
#include <xmlsec/io.h>
#include <xmlsec/keys.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <xmlsec/openssl/app.h>
#include <xmlsec/openssl/crypto.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <cstdlib>
#include <mutex>
#include <set>

#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/clock.h"
#include "xml/safe_xml.h"

namespace einvoice::xmldsig {
namespace {

using xmlutil::Attribute;
using xmlutil::FirstChildNs;
using xmlutil::IsElementNs;
using xmlutil::Text;

// Errors reported by xmlsec during the current call on this thread (null when not
// collecting).
thread_local std::string* collected_errors = nullptr;

void CollectXmlSecError(const char* file, int line, const char* func, const char* error_object,
                        const char* error_subject, int reason, const char* msg) {
  if (collected_errors == nullptr) return;
  if (!collected_errors->empty()) collected_errors->append("; ");
  absl::StrAppend(collected_errors, error_subject != nullptr ? error_subject : "",
                  error_subject != nullptr ? ": " : "", msg != nullptr ? msg : "");
}

class CollectErrors {
 public:
  CollectErrors() { collected_errors = &errors_; }
  ~CollectErrors() { collected_errors = nullptr; }
  const std::string& errors() const { return errors_; }
  void Clear() { errors_.clear(); }

 private:
  std::string errors_;
};

struct DSigCtxFree {
  void operator()(xmlSecDSigCtx* ctx) const { xmlSecDSigCtxDestroy(ctx); }
};

xmlSecTransformId SignatureFor(absl::string_view uri) {
  if (uri == kRsaSha256) return xmlSecOpenSSLTransformRsaSha256Id;
  if (uri == kRsaSha1) return xmlSecOpenSSLTransformRsaSha1Id;
  if (uri == kEcdsaSha256) return xmlSecOpenSSLTransformEcdsaSha256Id;
  return nullptr;
}

}  // namespace

void InitXmlSec() {
  static std::once_flag once;
  std::call_once(once, [] {
    InitXmlLibrary();
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecOpenSSLAppInit(nullptr) < 0 ||
        xmlSecOpenSSLInit() < 0) {
      std::abort();
    }
    xmlSecErrorsSetCallback(CollectXmlSecError);
    // No file, HTTP or FTP access for references, ever.
    xmlSecIOCleanupCallbacks();
  });
}

absl::Status RegisterIds(xmlDoc* doc) {
  std::set<std::string> seen;
  std::vector<xmlNode*> stack = {xmlDocGetRootElement(doc)};
  while (!stack.empty()) {
    xmlNode* n = stack.back();
    stack.pop_back();
    if (n == nullptr || n->type != XML_ELEMENT_NODE) continue;
    for (xmlAttr* a = n->properties; a != nullptr; a = a->next) {
      if (a->ns != nullptr || xmlStrcmp(a->name, BAD_CAST "Id") != 0) continue;
      xmlChar* value = xmlNodeListGetString(doc, a->children, 1);
      const std::string id = value != nullptr ? reinterpret_cast<const char*>(value) : "";
      xmlFree(value);
      if (!seen.insert(id).second) {
        return absl::InvalidArgumentError(absl::StrCat("duplicate Id \"", id, "\""));
      }
      if (xmlGetID(doc, BAD_CAST id.c_str()) == nullptr &&
          xmlAddID(nullptr, doc, BAD_CAST id.c_str(), a) == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat("invalid Id \"", id, "\""));
      }
    }
    for (xmlNode* c = n->last; c != nullptr; c = c->prev) stack.push_back(c);
  }
  return absl::OkStatus();
}

xmlNode* ElementById(xmlDoc* doc, absl::string_view id) {
  const std::string key(id);
  xmlAttr* attr = xmlGetID(doc, BAD_CAST key.c_str());
  if (attr == nullptr || attr->parent == nullptr || attr->parent->type != XML_ELEMENT_NODE) {
    return nullptr;
  }
  return attr->parent;
}

absl::StatusOr<SignatureLayout> ReadLayout(xmlNode* signature) {
  SignatureLayout layout;
  layout.id = Attribute(signature, "Id");
  xmlNode* info = FirstChildNs(signature, "SignedInfo", kNs);
  if (info == nullptr) return absl::InvalidArgumentError("Signature has no SignedInfo");
  layout.c14n_method = Attribute(FirstChildNs(info, "CanonicalizationMethod", kNs), "Algorithm");
  xmlNode* method = FirstChildNs(info, "SignatureMethod", kNs);
  if (method == nullptr) return absl::InvalidArgumentError("SignedInfo has no SignatureMethod");
  layout.signature_method = Attribute(method, "Algorithm");
  for (xmlNode* c : xmlutil::ChildElements(info)) {
    if (!IsElementNs(c, "Reference", kNs)) continue;
    Reference ref;
    ref.uri = Attribute(c, "URI");
    if (xmlNode* transforms = FirstChildNs(c, "Transforms", kNs)) {
      for (xmlNode* t : xmlutil::ChildElements(transforms)) {
        if (IsElementNs(t, "Transform", kNs)) ref.transforms.push_back(Attribute(t, "Algorithm"));
      }
    }
    ref.digest_method = Attribute(FirstChildNs(c, "DigestMethod", kNs), "Algorithm");
    layout.references.push_back(std::move(ref));
  }
  if (layout.references.empty()) return absl::InvalidArgumentError("SignedInfo has no Reference");
  xmlNode* key_info = FirstChildNs(signature, "KeyInfo", kNs);
  for (xmlNode* data : xmlutil::ChildElements(key_info)) {
    if (!IsElementNs(data, "X509Data", kNs)) continue;
    for (xmlNode* c : xmlutil::ChildElements(data)) {
      if (IsElementNs(c, "X509Certificate", kNs)) {
        std::optional<std::string> der = Base64Decode(Text(c));
        if (!der.has_value() || der->empty()) {
          return absl::InvalidArgumentError("X509Certificate is not valid base64");
        }
        layout.certificates_der.push_back(*std::move(der));
      } else if (IsElementNs(c, "X509SubjectName", kNs) && layout.subject_name.empty()) {
        layout.subject_name = Text(c);
      }
    }
  }
  return layout;
}

namespace {

// xmlsec's own loader: parses `der` (a certificate, or with `key_is_spki` a
// SubjectPublicKeyInfo) into a new key. Null on failure (errors reported to xmlsec's callback).
xmlSecKeyPtr LoadKey(absl::string_view der, bool key_is_spki) {
  return xmlSecOpenSSLAppKeyLoadMemory(
      reinterpret_cast<const xmlSecByte*>(der.data()), static_cast<xmlSecSize>(der.size()),
      key_is_spki ? xmlSecKeyDataFormatDer : xmlSecKeyDataFormatCertDer, nullptr, nullptr,
      nullptr);
}

// A new key holding the public key of an already parsed certificate (what LoadKey() makes of
// its DER, minus the certificate copy that verification never reads). Null on failure.
xmlSecKeyPtr KeyFromCertificate(X509* certificate) {
  xmlSecKeyDataPtr value = xmlSecOpenSSLX509CertGetKey(certificate);  // EVP_PKEY up-ref'd
  if (value == nullptr) return nullptr;
  xmlSecKeyPtr key = xmlSecKeyCreate();
  if (key == nullptr) {
    xmlSecKeyDataDestroy(value);
    return nullptr;
  }
  if (xmlSecKeySetValue(key, value) < 0) {
    xmlSecKeyDataDestroy(value);
    xmlSecKeyDestroy(key);
    return nullptr;
  }
  return key;
}

// Verify() once the key is known: `make_key` is called once, with `errors` collecting, and
// returns a new key (owned by the context from then on) or null.
absl::Status VerifyWith(xmlDoc* doc, xmlNode* signature, const VerifyOptions& options,
                        CollectErrors& errors, absl::FunctionRef<xmlSecKeyPtr()> make_key) {
  std::unique_ptr<xmlSecDSigCtx, DSigCtxFree> ctx(xmlSecDSigCtxCreate(nullptr));
  if (ctx == nullptr) return absl::InternalError("xmlSecDSigCtxCreate failed");
  ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
  // Canonicalisation of SignedInfo and the signature methods allowed.
  for (xmlSecTransformId id : {xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId,
                               xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId}) {
    if (xmlSecDSigCtxEnableSignatureTransform(ctx.get(), id) < 0 ||
        xmlSecDSigCtxEnableReferenceTransform(ctx.get(), id) < 0) {
      return absl::InternalError("cannot enable a C14N transform");
    }
  }
  for (const std::string& uri : options.signature_methods) {
    xmlSecTransformId id = SignatureFor(uri);
    if (id == nullptr || xmlSecDSigCtxEnableSignatureTransform(ctx.get(), id) < 0) {
      return absl::InternalError(absl::StrCat("cannot enable signature method ", uri));
    }
  }
  std::vector<xmlSecTransformId> reference_transforms = {xmlSecTransformEnvelopedId,
                                                         xmlSecOpenSSLTransformSha256Id};
  if (options.allow_sha1_digest) reference_transforms.push_back(xmlSecOpenSSLTransformSha1Id);
  for (xmlSecTransformId id : reference_transforms) {
    if (xmlSecDSigCtxEnableReferenceTransform(ctx.get(), id) < 0) {
      return absl::InternalError("cannot enable a reference transform");
    }
  }
  ctx->signKey = make_key();
  if (ctx->signKey == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read the public key of the certificate: ", errors.errors()));
  }
  if (xmlSecDSigCtxVerify(ctx.get(), signature) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("signature cannot be verified: ",
                     errors.errors().empty() ? "malformed signature" : errors.errors()));
  }
  if (ctx->status != xmlSecDSigStatusSucceeded) {
    std::string which;
    for (xmlSecSize i = 0; i < xmlSecPtrListGetSize(&ctx->signedInfoReferences); ++i) {
      auto* ref = static_cast<xmlSecDSigReferenceCtx*>(
          xmlSecPtrListGetItem(&ctx->signedInfoReferences, i));
      if (ref != nullptr && ref->status != xmlSecDSigStatusSucceeded) {
        absl::StrAppend(&which, which.empty() ? "" : ", ",
                        ref->uri != nullptr ? reinterpret_cast<const char*>(ref->uri) : "?");
      }
    }
    return absl::InvalidArgumentError(
        which.empty() ? std::string("signature value does not match")
                      : absl::StrCat("digest does not match for reference ", which));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Verify(xmlDoc* doc, xmlNode* signature, absl::string_view certificate_der,
                    const VerifyOptions& options, bool key_is_spki) {
  InitXmlSec();
  CollectErrors errors;
  return VerifyWith(doc, signature, options, errors,
                    [&] { return LoadKey(certificate_der, key_is_spki); });
}

absl::Status Verify(xmlDoc* doc, xmlNode* signature, const x509::ParsedCertificate& certificate,
                    const VerifyOptions& options) {
  InitXmlSec();
  CollectErrors errors;
  return VerifyWith(doc, signature, options, errors, [&]() -> xmlSecKeyPtr {
    if (xmlSecKeyPtr key = KeyFromCertificate(certificate.x509())) return key;
    // A key xmlsec cannot use: let its loader fail on the DER, so the errors read exactly as
    // they did without the cache.
    errors.Clear();
    ERR_clear_error();
    return LoadKey(certificate.der(), /*key_is_spki=*/false);
  });
}

std::optional<std::string> FindSigningTime(xmlNode* node) {
  if (node == nullptr) return std::nullopt;
  if (node->type == XML_ELEMENT_NODE && xmlutil::Name(node) == "SigningTime") return Text(node);
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (std::optional<std::string> t = FindSigningTime(c)) return t;
  }
  return std::nullopt;
}

std::optional<absl::Time> ParseDateTime(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  absl::Time t;
  std::string err;
  if (absl::ConsumeSuffix(&text, "Z")) {
    if (absl::ParseTime("%Y-%m-%dT%H:%M:%E*S", std::string(text), absl::UTCTimeZone(), &t, &err)) {
      return t;
    }
    return std::nullopt;
  }
  if (text.size() > 19 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-')) {
    if (absl::ParseTime("%Y-%m-%dT%H:%M:%E*S%Ez", std::string(text), &t, &err)) return t;
    return std::nullopt;
  }
  if (absl::ParseTime("%Y-%m-%dT%H:%M:%E*S", std::string(text), VietnamTimeZone(), &t, &err)) {
    return t;
  }
  return std::nullopt;
}

std::string FormatDateTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S", t, VietnamTimeZone());
}

std::string Base64Encode(absl::string_view data) { return absl::Base64Escape(data); }

std::optional<std::string> Base64Decode(absl::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') compact.push_back(c);
  }
  std::string out;
  if (!absl::Base64Unescape(compact, &out)) return std::nullopt;
  return out;
}

}  // namespace einvoice::xmldsig
