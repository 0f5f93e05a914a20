#include "xml/xml_verifier.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "xml/safe_xml.h"
#include "xml/seller_signature.h"
#include "xml/x509_util.h"
#include "xml/xmldsig.h"

namespace einvoice {
namespace {

bool IsAuthorityCode(absl::string_view code) {
  if (code.size() != 34) return false;
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && !(c >= 'A' && c <= 'F')) {
      return false;
    }
  }
  return true;
}

bool InSubtree(const xmlNode* node, const xmlNode* apex) {
  for (const xmlNode* n = node; n != nullptr; n = n->parent) {
    if (n == apex) return true;
  }
  return false;
}

// Checks the authority's signature; returns "" when valid, else the problem.
std::string CheckAuthoritySignature(xmlDoc* doc, xmlNode* signature, const std::string& dl_id,
                                    const std::string& code_id, const XmlVerifyOptions& options,
                                    XmlVerifyReport* report) {
  absl::StatusOr<xmldsig::SignatureLayout> layout = xmldsig::ReadLayout(signature);
  if (!layout.ok()) return std::string(layout.status().message());
  if (layout->signature_method != xmldsig::kRsaSha256 &&
      layout->signature_method != xmldsig::kEcdsaSha256) {
    return absl::StrCat("signature method not accepted: ", layout->signature_method);
  }
  bool covers_data = false, covers_code = false;
  for (const xmldsig::Reference& ref : layout->references) {
    if (ref.digest_method != xmldsig::kSha256) {
      return absl::StrCat("digest method not accepted: ", ref.digest_method);
    }
    for (const std::string& t : ref.transforms) {
      if (t != xmldsig::kEnveloped && t != xmldsig::kC14n10 && t != xmldsig::kExcC14n) {
        return absl::StrCat("transform not accepted: ", t);
      }
    }
    if (ref.uri.size() < 2 || ref.uri[0] != '#') continue;
    const std::string id = ref.uri.substr(1);
    if (id == dl_id) {
      covers_data = true;
    } else if (!code_id.empty() && id == code_id) {
      covers_code = true;
    } else if (xmlNode* target = xmldsig::ElementById(doc, id);
               target != nullptr && target != signature && InSubtree(target, signature) &&
               !report->authority_signing_time.has_value()) {
      if (std::optional<std::string> t = xmldsig::FindSigningTime(target)) {
        report->authority_signing_time = xmldsig::ParseDateTime(*t);
      }
    }
  }
  if (!covers_data) return absl::StrCat("the signature does not cover #", dl_id, " (DLHDon)");
  if (!covers_code) return "the signature does not cover the MCCQT element";
  if (!report->authority_signing_time.has_value()) {
    return "the signature does not cover a readable SigningTime";
  }
  // The trusted key: a KeyInfo certificate equal to a trusted certificate, or whose public key
  // is a trusted key.
  const std::string* key = nullptr;
  bool key_is_spki = false;
  for (const std::string& der : layout->certificates_der) {
    absl::StatusOr<x509::CertificateInfo> info = x509::ReadCertificate(der);
    const auto& certs = options.authority_certificates_der;
    if (std::find(certs.begin(), certs.end(), der) != certs.end()) {
      key = &der;
    } else if (info.ok()) {
      for (const std::string& spki : options.authority_public_keys_der) {
        if (spki == info->public_key_der) {
          key = &spki;
          key_is_spki = true;
        }
      }
    }
    if (key != nullptr) {
      if (info.ok()) report->authority_certificate_subject = info->subject;
      break;
    }
  }
  if (key == nullptr) {
    if (options.authority_certificates_der.empty() && options.authority_public_keys_der.empty()) {
      return "no trusted authority certificate or key given";
    }
    return "the signing certificate is not a trusted authority certificate";
  }
  xmldsig::VerifyOptions verify;
  verify.signature_methods = {xmldsig::kRsaSha256, xmldsig::kEcdsaSha256};
  absl::Status valid = xmldsig::Verify(doc, signature, *key, verify, key_is_spki);
  if (!valid.ok()) return std::string(valid.message());
  return "";
}

}  // namespace

std::string XmlVerifyReport::Summary() const {
  std::string out = absl::StrCat("seller signature: ", seller_signature_valid ? "VALID" : "INVALID");
  if (!seller_certificate_subject.empty()) {
    absl::StrAppend(&out, " (certificate ", seller_certificate_subject, ")");
  }
  absl::StrAppend(&out, "\n");
  for (const Violation& v : seller_problems) {
    absl::StrAppend(&out, "  ", v.code, " ", v.field, ": ", v.message_en, "\n");
  }
  if (!coded) {
    absl::StrAppend(&out, "authority: not coded (no MCCQT, no authority signature)\n");
    return out;
  }
  absl::StrAppend(&out, "authority code (MCCQT) ", authority_code, ": ",
                  authority_code_valid ? "VALID" : absl::StrCat("INVALID: ", authority_code_problem),
                  "\n");
  absl::StrAppend(&out, "authority signature: ",
                  authority_signature_valid ? "VALID"
                                            : absl::StrCat("INVALID: ", authority_signature_problem));
  if (authority_signature_valid && !authority_certificate_subject.empty()) {
    absl::StrAppend(&out, " (certificate ", authority_certificate_subject, ")");
  }
  absl::StrAppend(&out, "\n");
  return out;
}

absl::StatusOr<XmlVerifyReport> VerifyInvoiceXml(absl::string_view xml,
                                                 const XmlVerifyOptions& options) {
  xmldsig::InitXmlSec();
  absl::StatusOr<XmlDocPtr> parsed = ParseXmlSafely(xml);
  if (!parsed.ok()) return parsed.status();
  xmlDoc* doc = parsed->get();
  xmlNode* root = xmlDocGetRootElement(doc);
  if (!xmlutil::IsElement(root, "HDon")) return absl::InvalidArgumentError("root is not HDon");
  if (absl::Status ids = xmldsig::RegisterIds(doc); !ids.ok()) return ids;

  XmlVerifyReport report;
  SellerSignatureOptions seller_options;
  seller_options.require_registered_certificate = false;
  seller_options.allow_rsa_sha1 = options.allow_rsa_sha1;
  SellerSignatureResult seller =
      VerifySellerSignature(xml, absl::Span<const std::string>(),
                            options.now.value_or(absl::Now()), seller_options);
  report.seller_signature_valid = seller.ok();
  report.seller_problems = std::move(seller.violations);
  report.seller_certificate_subject = std::move(seller.certificate_subject);
  report.seller_signing_time = seller.signing_time;

  xmlNode* dl = xmlutil::FirstChild(root, "DLHDon");
  const std::string dl_id = xmlutil::Attribute(dl, "Id");
  xmlNode* mccqt = xmlutil::FirstChild(root, "MCCQT");
  xmlNode* signature = xmlutil::FirstChildNs(
      xmlutil::FirstChild(xmlutil::FirstChild(root, "DSCKS"), "CQT"), "Signature", xmldsig::kNs);
  report.coded = mccqt != nullptr || signature != nullptr;
  if (!report.coded) return report;

  const std::string code_id = xmlutil::Attribute(mccqt, "Id");
  if (mccqt == nullptr) {
    report.authority_code_problem = "no MCCQT element";
  } else {
    report.authority_code = std::string(absl::StripAsciiWhitespace(xmlutil::Text(mccqt)));
    if (!IsAuthorityCode(report.authority_code)) {
      report.authority_code_problem = "MCCQT must be 34 upper-case hexadecimal characters";
    } else if (code_id.empty()) {
      report.authority_code_problem = "MCCQT has no Id (the authority's signature cannot cover it)";
    } else {
      report.authority_code_valid = true;
    }
  }
  if (signature == nullptr) {
    report.authority_signature_problem = "no authority signature (DSCKS/CQT/Signature)";
  } else if (dl_id.empty()) {
    report.authority_signature_problem = "DLHDon has no Id";
  } else {
    report.authority_signature_problem =
        CheckAuthoritySignature(doc, signature, dl_id, code_id, options, &report);
    report.authority_signature_valid = report.authority_signature_problem.empty();
  }
  return report;
}

}  // namespace einvoice
