#include "xml/seller_signature.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "rules/signature_violations.h"
#include "xml/certificate_cache.h"
#include "xml/invoice_dom.h"
#include "xml/qd1450_format.h"
#include "xml/safe_xml.h"
#include "xml/x509_util.h"
#include "xml/xmldsig.h"

namespace einvoice {
namespace {

// Where the signature sits, for violations' XPaths.
struct SignaturePaths {
  std::string signature;
  std::string certificate;
  std::string signing_time;
};

SignaturePaths PathsUnder(absl::string_view signature) {
  return {std::string(signature), absl::StrCat(signature, "/KeyInfo/X509Data/X509Certificate"),
          absl::StrCat(signature, "/Object/SignatureProperties/SignatureProperty/SigningTime")};
}

// What the signature must cover and whose it must be.
struct SignedData {
  xmlDoc* doc;
  xmlNode* signature;       // null: none (20901)
  std::string data_id;      // the Id the signature must reference
  std::string tax_code;     // whose certificate it must be
  std::string issue_date;   // "" = no signed-before-issue check
  SignaturePaths paths;
};

bool IsC14n(absl::string_view uri) {
  return uri == xmldsig::kC14n10 || uri == xmldsig::kC14n10WithComments ||
         uri == xmldsig::kExcC14n;
}

bool InSubtree(const xmlNode* node, const xmlNode* apex) {
  for (const xmlNode* n = node; n != nullptr; n = n->parent) {
    if (n == apex) return true;
  }
  return false;
}

// The dsig:Object child of `signature` that contains `node` (or is it), or null.
xmlNode* EnclosingObject(xmlNode* node, xmlNode* signature) {
  for (xmlNode* n = node; n != nullptr && n != signature; n = n->parent) {
    if (n->parent == signature && xmlutil::IsElementNs(n, "Object", xmldsig::kNs)) return n;
  }
  return nullptr;
}

// VerifySellerSignature with the registry as a predicate (so the protobuf overload needs no
// copy of the seller's certificates).
SellerSignatureResult CheckSignature(const SignedData& data,
                                     absl::FunctionRef<bool(const std::string&)> is_registered,
                                     absl::Time now, const SellerSignatureOptions& options);

SellerSignatureResult Unreadable(const absl::Status& status) {
  SellerSignatureResult result;
  result.violations.push_back(UnreadableXmlViolation(status));
  return result;
}

SellerSignatureResult CheckSellerSignature(
    absl::string_view invoice_xml, absl::FunctionRef<bool(const std::string&)> is_registered,
    absl::Time now, const SellerSignatureOptions& options) {
  absl::StatusOr<XmlDocPtr> parsed = ParseXmlSafely(invoice_xml);
  if (!parsed.ok()) return Unreadable(parsed.status());
  return VerifySellerSignatureIn(parsed->get(), is_registered, now, options);
}

SellerSignatureResult CheckSignature(const SignedData& data,
                                     absl::FunctionRef<bool(const std::string&)> is_registered,
                                     absl::Time now, const SellerSignatureOptions& options) {
  SellerSignatureResult result;
  auto report = [&](const ViolationType& type, absl::string_view field, absl::string_view vi = {},
                    absl::string_view en = {}) {
    result.violations.push_back(MakeViolation(type, field, vi, en));
  };
  xmlDoc* doc = data.doc;
  xmlNode* signature = data.signature;
  const std::string& dlhdon_id = data.data_id;
  const std::string& seller_tax_code = data.tax_code;
  const std::string& issue_date = data.issue_date;
  const std::string& signature_path = data.paths.signature;
  const std::string& certificate_path = data.paths.certificate;
  const std::string& signing_time_path = data.paths.signing_time;
  if (signature == nullptr) {
    report(kSellerSignatureMissing, signature_path);
    return result;
  }
  absl::StatusOr<xmldsig::SignatureLayout> layout = xmldsig::ReadLayout(signature);
  if (!layout.ok()) {
    report(kSellerSignatureInvalid, signature_path, layout.status().message(),
           layout.status().message());
    return result;
  }
  result.signature_method = layout->signature_method;

  // Algorithms.
  bool algorithms_ok = true;
  const bool sha1 = options.allow_rsa_sha1;
  if (!(layout->signature_method == xmldsig::kRsaSha256 ||
        layout->signature_method == xmldsig::kEcdsaSha256 ||
        (sha1 && layout->signature_method == xmldsig::kRsaSha1))) {
    report(kSellerSignatureAlgorithm, signature_path,
           absl::StrCat("SignatureMethod ", layout->signature_method),
           absl::StrCat("SignatureMethod ", layout->signature_method));
    algorithms_ok = false;
  } else {
    for (const xmldsig::Reference& ref : layout->references) {
      if (ref.digest_method != xmldsig::kSha256 && !(sha1 && ref.digest_method == xmldsig::kSha1)) {
        report(kSellerSignatureAlgorithm, signature_path,
               absl::StrCat("DigestMethod ", ref.digest_method),
               absl::StrCat("DigestMethod ", ref.digest_method));
        algorithms_ok = false;
        break;
      }
    }
  }

  // References: DLHDon and a signed SigningTime object of this signature.
  bool covers_data = false;
  std::optional<std::string> signing_time_text;
  for (const xmldsig::Reference& ref : layout->references) {
    if (ref.uri.size() < 2 || ref.uri[0] != '#') continue;
    const absl::string_view id = absl::string_view(ref.uri).substr(1);
    if (!dlhdon_id.empty() && id == dlhdon_id) {
      covers_data = std::all_of(ref.transforms.begin(), ref.transforms.end(),
                                [](const std::string& t) { return t == xmldsig::kEnveloped || IsC14n(t); });
      continue;
    }
    xmlNode* target = xmldsig::ElementById(doc, id);
    if (target != nullptr && InSubtree(target, signature) &&
        EnclosingObject(target, signature) != nullptr && !signing_time_text.has_value()) {
      signing_time_text = xmldsig::FindSigningTime(target);
    }
  }
  if (!covers_data || !signing_time_text.has_value()) {
    report(kSellerSignatureReferences, signature_path,
           !covers_data ? absl::StrCat("thiếu tham chiếu #", dlhdon_id)
                        : std::string("thiếu tham chiếu tới SigningTime"),
           !covers_data ? absl::StrCat("no reference to #", dlhdon_id)
                        : std::string("no reference to a SigningTime object"));
  }

  // The certificate: the first one in KeyInfo that the seller registered (or the first one).
  // Parsed certificates are cached only when registered (trusted DER, certificate_cache.h);
  // every check below still runs on this request.
  std::shared_ptr<const x509::ParsedCertificate> parsed_certificate;
  const x509::CertificateInfo* certificate = nullptr;
  if (layout->certificates_der.empty()) {
    report(kSellerCertificateInvalid, certificate_path);
  } else {
    const std::string* chosen = &layout->certificates_der.front();
    bool registered_match = false;
    for (const std::string& der : layout->certificates_der) {
      if (is_registered(der)) {
        chosen = &der;
        registered_match = true;
        break;
      }
    }
    absl::StatusOr<std::shared_ptr<const x509::ParsedCertificate>> info =
        registered_match ? x509::DefaultCertificateCache().Get(*chosen)
                         : x509::ParsedCertificate::Parse(*chosen);
    if (!info.ok()) {
      report(kSellerCertificateInvalid, certificate_path, info.status().message(),
             info.status().message());
    } else {
      parsed_certificate = *std::move(info);
      certificate = &parsed_certificate->info();
      result.certificate_der = *chosen;
      result.certificate_subject = certificate->subject;
      if (options.require_registered_certificate && !registered_match) {
        report(kSellerCertificateNotRegistered, certificate_path, certificate->subject,
               certificate->subject);
      }
      if (!x509::SubjectNamesTaxCode(*certificate, seller_tax_code)) {
        report(kSellerCertificateTaxCode, certificate_path,
               absl::StrCat("MST người bán ", seller_tax_code, ", chứng thư số ", certificate->subject),
               absl::StrCat("seller ", seller_tax_code, ", certificate ", certificate->subject));
      }
    }
  }

  // Cryptographic validity (only with an acceptable algorithm and a readable certificate).
  if (algorithms_ok && parsed_certificate != nullptr) {
    xmldsig::VerifyOptions verify;
    verify.signature_methods = {xmldsig::kRsaSha256, xmldsig::kEcdsaSha256};
    if (sha1) verify.signature_methods.push_back(xmldsig::kRsaSha1);
    verify.allow_sha1_digest = sha1;
    absl::Status valid = xmldsig::Verify(doc, signature, *parsed_certificate, verify);
    if (!valid.ok()) {
      report(kSellerSignatureInvalid, signature_path, valid.message(), valid.message());
    }
  }

  // Signing time.
  if (signing_time_text.has_value()) {
    std::optional<absl::Time> signing_time = xmldsig::ParseDateTime(*signing_time_text);
    if (!signing_time.has_value()) {
      report(kSellerSigningTimeInvalid, signing_time_path,
             absl::StrCat("\"", signing_time_text->substr(0, 40), "\""),
             absl::StrCat("\"", signing_time_text->substr(0, 40), "\""));
    } else {
      result.signing_time = signing_time;
      if (*signing_time > now + options.max_clock_skew) {
        report(kSellerSigningTimeInvalid, signing_time_path,
               absl::StrCat("thời điểm ký ", xmldsig::FormatDateTime(*signing_time),
                            " lớn hơn thời điểm hiện tại ", xmldsig::FormatDateTime(now)),
               absl::StrCat("signed at ", xmldsig::FormatDateTime(*signing_time),
                            ", now is ", xmldsig::FormatDateTime(now)));
      }
      if (certificate != nullptr && (*signing_time < certificate->not_before ||
                                      *signing_time > certificate->not_after)) {
        const std::string validity =
            absl::StrCat(xmldsig::FormatDateTime(certificate->not_before), " – ",
                         xmldsig::FormatDateTime(certificate->not_after));
        report(kSellerCertificateNotValidAtSigning, certificate_path,
               absl::StrCat("hiệu lực ", validity, ", ký lúc ",
                            xmldsig::FormatDateTime(*signing_time)),
               absl::StrCat("valid ", validity, ", signed at ",
                            xmldsig::FormatDateTime(*signing_time)));
      }
      absl::CivilDay issue_day;
      if (!issue_date.empty() && ParseDay(issue_date, &issue_day) &&
          VietnamDay(*signing_time) < issue_day) {
        report(kSellerSigningBeforeIssueDate, signing_time_path,
               absl::StrCat("ngày ký ", FormatDay(VietnamDay(*signing_time)), ", ngày lập ",
                            issue_date),
               absl::StrCat("signed ", FormatDay(VietnamDay(*signing_time)), ", issued ",
                            issue_date));
      }
    }
  }
  return result;
}

SellerSignatureResult CheckMessageSignature(
    absl::string_view message_xml, absl::FunctionRef<bool(const std::string&)> is_registered,
    absl::Time now, const SellerSignatureOptions& options) {
  absl::StatusOr<XmlDocPtr> parsed = ParseXmlSafely(message_xml);
  if (!parsed.ok()) return Unreadable(parsed.status());
  return VerifyMessageSignatureIn(parsed->get(), is_registered, now, options);
}

// The root of a signed document, once it is the expected element and its Ids are registered
// (refusing duplicates); else the result that says why not.
absl::StatusOr<xmlNode*> SignedRoot(xmlDoc* doc, absl::string_view name) {
  xmldsig::InitXmlSec();
  xmlNode* root = xmlDocGetRootElement(doc);
  if (!xmlutil::IsElement(root, name)) {
    return absl::InvalidArgumentError(absl::StrCat("the root element must be ", name));
  }
  RETURN_IF_ERROR(xmldsig::RegisterIds(doc));
  return root;
}

}  // namespace

SellerSignatureResult VerifySellerSignatureIn(
    xmlDoc* doc, absl::FunctionRef<bool(const std::string&)> is_registered, absl::Time now,
    const SellerSignatureOptions& options) {
  absl::StatusOr<xmlNode*> found = SignedRoot(doc, "HDon");
  if (!found.ok()) return Unreadable(found.status());
  xmlNode* const root = *found;
  xmlNode* dl = xmlutil::FirstChild(root, "DLHDon");
  const std::string dlhdon_id = xmlutil::Attribute(dl, "Id");
  xmlNode* tt = xmlutil::FirstChild(dl, "TTChung");
  const std::string issue_date = xmlutil::Text(xmlutil::FirstChild(tt, "NLap"));
  const std::string seller_tax_code = xmlutil::Text(xmlutil::FirstChild(
      xmlutil::FirstChild(xmlutil::FirstChild(dl, "NDHDon"), "NBan"), "MST"));
  xmlNode* signature = xmlutil::FirstChildNs(
      xmlutil::FirstChild(xmlutil::FirstChild(root, "DSCKS"), "NBan"), "Signature", xmldsig::kNs);
  return CheckSignature({doc, signature, dlhdon_id, seller_tax_code, issue_date,
                         PathsUnder("HDon/DSCKS/NBan/Signature")},
                        is_registered, now, options);
}

SellerSignatureResult VerifyMessageSignatureIn(
    xmlDoc* doc, absl::FunctionRef<bool(const std::string&)> is_registered, absl::Time now,
    const SellerSignatureOptions& options) {
  absl::StatusOr<xmlNode*> found = SignedRoot(doc, "TDiep");
  if (!found.ok()) return Unreadable(found.status());
  xmlNode* const root = *found;
  const std::string data_id = xmlutil::Attribute(xmlutil::FirstChild(root, "DLieu"), "Id");
  const std::string tax_code =
      xmlutil::Text(xmlutil::FirstChild(xmlutil::FirstChild(root, "TTChung"), "MST"));
  xmlNode* signature =
      xmlutil::FirstChildNs(xmlutil::FirstChild(root, "CKSNNT"), "Signature", xmldsig::kNs);
  return CheckSignature({doc, signature, data_id, tax_code, "",
                         PathsUnder("TDiep/CKSNNT/Signature")},
                        is_registered, now, options);
}

SellerSignatureResult VerifyMessageSignature(
    absl::string_view message_xml,
    const google::protobuf::RepeatedPtrField<std::string>& registered_certificates_der,
    absl::Time now, const SellerSignatureOptions& options) {
  return CheckMessageSignature(
      message_xml,
      [&](const std::string& der) {
        return std::find(registered_certificates_der.begin(), registered_certificates_der.end(),
                         der) != registered_certificates_der.end();
      },
      now, options);
}

SellerSignatureResult VerifySellerSignature(absl::string_view invoice_xml,
                                            absl::Span<const std::string> registered,
                                            absl::Time now,
                                            const SellerSignatureOptions& options) {
  return CheckSellerSignature(
      invoice_xml,
      [&](const std::string& der) {
        return std::find(registered.begin(), registered.end(), der) != registered.end();
      },
      now, options);
}

SellerSignatureResult VerifySellerSignature(
    absl::string_view invoice_xml,
    const google::protobuf::RepeatedPtrField<std::string>& registered_certificates_der,
    absl::Time now, const SellerSignatureOptions& options) {
  return CheckSellerSignature(
      invoice_xml,
      [&](const std::string& der) {
        return std::find(registered_certificates_der.begin(), registered_certificates_der.end(),
                         der) != registered_certificates_der.end();
      },
      now, options);
}

}  // namespace einvoice
