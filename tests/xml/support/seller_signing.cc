#include "tests/xml/support/seller_signing.h"

#include <xmlsec/xmlsec.h>
#include <xmlsec/keys.h>
#include <xmlsec/openssl/app.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmltree.h>

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "xml/invoice_xml_mapping.h"
#include "xml/safe_xml.h"
#include "xml/xmldsig.h"

namespace einvoice::testing {
namespace {

struct DSigCtxFree {
  void operator()(xmlSecDSigCtx* ctx) const { xmlSecDSigCtxDestroy(ctx); }
};

// Fills in the Signature template with Id `signature_id` in `xml`, signing with `credential`'s
// key and attaching its certificate (xmlsec1); the signed document.
absl::StatusOr<std::string> SignTemplate(const std::string& xml, absl::string_view signature_id,
                                         const TestCredential& credential) {
  absl::StatusOr<XmlDocPtr> doc = ParseXmlSafely(xml);
  if (!doc.ok()) return doc.status();
  if (absl::Status s = xmldsig::RegisterIds(doc->get()); !s.ok()) return s;
  xmlNode* signature = xmldsig::ElementById(doc->get(), signature_id);
  std::unique_ptr<xmlSecDSigCtx, DSigCtxFree> ctx(xmlSecDSigCtxCreate(nullptr));
  if (ctx == nullptr || signature == nullptr) return absl::InternalError("xmlsec context");
  ctx->signKey = xmlSecOpenSSLAppKeyLoadMemory(
      reinterpret_cast<const xmlSecByte*>(credential.private_key_pem.data()),
      static_cast<xmlSecSize>(credential.private_key_pem.size()), xmlSecKeyDataFormatPem,
      nullptr, nullptr, nullptr);
  if (ctx->signKey == nullptr) return absl::InternalError("cannot load the signer's key");
  if (xmlSecOpenSSLAppKeyCertLoadMemory(
          ctx->signKey, reinterpret_cast<const xmlSecByte*>(credential.certificate_der.data()),
          static_cast<xmlSecSize>(credential.certificate_der.size()),
          xmlSecKeyDataFormatCertDer) < 0) {
    return absl::InternalError("cannot attach the signer's certificate");
  }
  if (xmlSecDSigCtxSign(ctx.get(), signature) < 0) return absl::InternalError("xmlsec sign failed");
  return xmlutil::Serialize(doc->get());
}

}  // namespace

absl::StatusOr<std::string> SignAsSeller(absl::string_view unsigned_hdon_xml,
                                         const TestCredential& credential,
                                         const SellerSignOptions& options) {
  xmldsig::InitXmlSec();
  absl::StatusOr<XmlDocPtr> probe = ParseXmlSafely(unsigned_hdon_xml);
  if (!probe.ok()) return probe.status();
  const std::string dlhdon_id = xmlutil::Attribute(
      xmlutil::FirstChild(xmlDocGetRootElement(probe->get()), "DLHDon"), "Id");

  const bool ec = credential.key_type == TestKeyType::kEcP256;
  const char* method = ec ? xmldsig::kEcdsaSha256
                          : (options.rsa_sha1 ? xmldsig::kRsaSha1 : xmldsig::kRsaSha256);
  const char* digest = options.rsa_sha1 && !ec ? xmldsig::kSha1 : xmldsig::kSha256;
  const std::string time_ref =
      options.reference_signing_time
          ? absl::StrCat("<Reference URI=\"#SigningTime-NBan\"><DigestMethod Algorithm=\"", digest,
                         "\"/><DigestValue/></Reference>")
          : "";
  const std::string tmpl = absl::StrCat(
      "<NBan><Signature xmlns=\"", xmldsig::kNs, "\" Id=\"NBan-Sig\"><SignedInfo>",
      "<CanonicalizationMethod Algorithm=\"", xmldsig::kC14n10, "\"/>",
      "<SignatureMethod Algorithm=\"", method, "\"/>",
      "<Reference URI=\"#", dlhdon_id, "\"><Transforms><Transform Algorithm=\"",
      xmldsig::kEnveloped, "\"/></Transforms><DigestMethod Algorithm=\"", digest,
      "\"/><DigestValue/></Reference>", time_ref, "</SignedInfo><SignatureValue/>",
      "<KeyInfo><X509Data><X509SubjectName/><X509Certificate/></X509Data></KeyInfo>",
      "<Object Id=\"SigningTime-NBan\"><SignatureProperties><SignatureProperty Target=\"#NBan-Sig\">",
      "<SigningTime>", xmldsig::FormatDateTime(options.signing_time), "</SigningTime>",
      "</SignatureProperty></SignatureProperties></Object></Signature></NBan>");
  std::string xml(unsigned_hdon_xml);
  const size_t at = xml.rfind("<NBan/>");
  if (at == std::string::npos) return absl::InvalidArgumentError("no empty <NBan/> in DSCKS");
  xml.replace(at, 7, tmpl);

  return SignTemplate(xml, "NBan-Sig", credential);
}

absl::StatusOr<std::string> SignedInvoiceXml(const v1::Invoice& invoice,
                                             const TestCredential& credential,
                                             const SellerSignOptions& options,
                                             absl::string_view dlhdon_id) {
  return SignAsSeller(InvoiceToXml(invoice, dlhdon_id), credential, options);
}

absl::StatusOr<std::string> CodeLikeRealAuthority(absl::string_view seller_signed_xml,
                                                  absl::string_view authority_code,
                                                  const TestCredential& authority,
                                                  absl::Time signing_time) {
  xmldsig::InitXmlSec();
  std::string xml(seller_signed_xml);
  const std::string dl_id = [&] {
    const size_t at = xml.find("<DLHDon Id=\"") + 12;
    return xml.substr(at, xml.find('"', at) - at);
  }();
  const size_t dl_end = xml.find("</DLHDon>");
  const size_t cqt = xml.find("<CQT/>");
  if (dl_end == std::string::npos || cqt == std::string::npos) {
    return absl::InvalidArgumentError("need </DLHDon> and an empty <CQT/>");
  }
  const std::string sig_id = "Tct-06EC6B10A3B84E2B9D3F0C1A5E7D9B21";
  const std::string time_id = "SigningTime-8F1E2D3C4B5A69788796A5B4C3D2E1F0";
  const std::string code_id = "Id-3A5F7C9E1B2D4F6A8C0E2B4D6F8A0C2E";
  auto ref = [](const std::string& id) {
    return absl::StrCat("<Reference URI=\"#", id, "\"><DigestMethod Algorithm=\"",
                        xmldsig::kSha256, "\"/><DigestValue/></Reference>");
  };
  const std::string tmpl = absl::StrCat(
      "<CQT><Signature xmlns=\"", xmldsig::kNs, "\" Id=\"", sig_id, "\"><SignedInfo>",
      "<CanonicalizationMethod Algorithm=\"", xmldsig::kC14n10, "\"/>",
      "<SignatureMethod Algorithm=\"", xmldsig::kRsaSha256, "\"/>", ref(dl_id), ref(code_id),
      ref(time_id), "</SignedInfo><SignatureValue/>",
      "<KeyInfo><X509Data><X509SubjectName/><X509Certificate/></X509Data></KeyInfo>",
      "<Object Id=\"", time_id, "\"><SignatureProperties><SignatureProperty Target=\"#", sig_id,
      "\"><SigningTime>", xmldsig::FormatDateTime(signing_time),
      "</SigningTime></SignatureProperty></SignatureProperties></Object></Signature></CQT>");
  xml.replace(cqt, 6, tmpl);
  xml.insert(dl_end + 9, absl::StrCat("<MCCQT Id=\"", code_id, "\">", authority_code, "</MCCQT>"));

  return SignTemplate(xml, sig_id, authority);
}

absl::StatusOr<std::string> SignedCashRegisterMessage(
    const std::vector<CashRegisterEntry>& entries, const TestCredential& credential,
    absl::string_view sender, absl::string_view tax_code, absl::string_view message_id,
    const SellerSignOptions& options) {
  xmldsig::InitXmlSec();
  const std::string data_id = "_0123456789ABCDEF0123456789ABCDEF";
  std::string invoices;
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string hdon = InvoiceToXml(entries[i].invoice, absl::StrCat("DLHDon-", i + 1));
    if (hdon.rfind("<?xml", 0) == 0) hdon = hdon.substr(hdon.find("?>") + 2);
    const size_t end = hdon.find("</DLHDon>");
    if (end == std::string::npos) return absl::InternalError("no </DLHDon>");
    hdon.insert(end + 9, absl::StrCat("<MCCQT>", entries[i].code, "</MCCQT>"));
    absl::StrAppend(&invoices, hdon);
  }
  const bool ec = credential.key_type == TestKeyType::kEcP256;
  const char* method = ec ? xmldsig::kEcdsaSha256 : xmldsig::kRsaSha256;
  const std::string xml = absl::StrCat(
      "<TDiep><TTChung><PBan>2.1.0</PBan><MNGui>", sender, "</MNGui><MNNhan>TCT</MNNhan>",
      "<MLTDiep>206</MLTDiep><MTDiep>", message_id, "</MTDiep><MTDTChieu></MTDTChieu><MST>",
      tax_code, "</MST><SLuong>", entries.size(), "</SLuong></TTChung>",
      "<DLieu Id=\"", data_id, "\">", invoices, "</DLieu>",
      "<CKSNNT><Signature xmlns=\"", xmldsig::kNs, "\" Id=\"NNT-Sig\"><SignedInfo>",
      "<CanonicalizationMethod Algorithm=\"", xmldsig::kC14n10, "\"/>",
      "<SignatureMethod Algorithm=\"", method, "\"/>",
      "<Reference URI=\"#", data_id, "\"><DigestMethod Algorithm=\"", xmldsig::kSha256,
      "\"/><DigestValue/></Reference>",
      "<Reference URI=\"#SigningTime-NNT\"><DigestMethod Algorithm=\"", xmldsig::kSha256,
      "\"/><DigestValue/></Reference></SignedInfo><SignatureValue/>",
      "<KeyInfo><X509Data><X509SubjectName/><X509Certificate/></X509Data></KeyInfo>",
      "<Object Id=\"SigningTime-NNT\"><SignatureProperties><SignatureProperty "
      "Target=\"#NNT-Sig\"><SigningTime>", xmldsig::FormatDateTime(options.signing_time),
      "</SigningTime></SignatureProperty></SignatureProperties></Object></Signature></CKSNNT>",
      "</TDiep>");
  return SignTemplate(xml, "NNT-Sig", credential);
}

}  // namespace einvoice::testing
