#include "xml/coded_invoice.h"

#include <libxml/tree.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "signer/digest.h"
#include "xml/authority_signature.h"
#include "xml/invoice_dom.h"
#include "xml/safe_xml.h"
#include "xml/xmldsig.h"

namespace einvoice {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

}  // namespace

absl::StatusOr<std::string> BuildCodedInvoiceXml(absl::string_view seller_xml,
                                                 absl::string_view authority_code,
                                                 absl::Time signing_time, Signer& signer,
                                                 absl::string_view key_id,
                                                 absl::string_view certificate_der) {
  if (authority_code.empty()) return absl::InvalidArgumentError("empty authority code");
  absl::StatusOr<XmlDocPtr> parsed = ParseXmlSafely(seller_xml);
  if (!parsed.ok()) return parsed.status();
  return CodeInvoiceDocument(parsed->get(), authority_code, signing_time, signer, key_id,
                             certificate_der);
}

absl::StatusOr<std::string> CodeInvoiceDocument(xmlDoc* doc, absl::string_view authority_code,
                                                absl::Time signing_time, Signer& signer,
                                                absl::string_view key_id,
                                                absl::string_view certificate_der) {
  if (authority_code.empty()) return absl::InvalidArgumentError("empty authority code");
  xmlNode* root = xmlDocGetRootElement(doc);
  if (!xmlutil::IsElement(root, "HDon")) return absl::InvalidArgumentError("root is not HDon");
  xmlNode* dl = xmlutil::FirstChild(root, "DLHDon");
  const std::string dl_id = xmlutil::Attribute(dl, "Id");
  if (dl == nullptr || dl_id.empty()) return absl::InvalidArgumentError("no DLHDon with an Id");
  if (xmlutil::FirstChild(root, "MCCQT") != nullptr) {
    return absl::InvalidArgumentError("the invoice already has an MCCQT");
  }
  xmlNode* dscks = xmlutil::FirstChild(root, "DSCKS");
  xmlNode* cqt = xmlutil::FirstChild(dscks, "CQT");
  if (xmlutil::HasChildElements(cqt)) {
    return absl::InvalidArgumentError("the invoice already has an authority signature");
  }
  xmldsig::InitXmlSec();
  if (absl::Status ids = xmldsig::RegisterIds(doc); !ids.ok()) return ids;

  // The Ids are derived from the code, so they are unique per invoice and stable for a code.
  const std::string code(authority_code);
  const std::string h = Sha256(absl::StrCat("einvoice/coded-invoice/ids\n", code, "\n", dl_id));
  const std::string mccqt_id = AuthorityId("Id-", h);
  const AuthoritySignatureIds ids{AuthorityId("Tct-", h.substr(16)),
                                  AuthorityId("SigningTime-", Sha256(h))};
  if (xmldsig::ElementById(doc, mccqt_id) != nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("the invoice already uses Id ", mccqt_id));
  }

  // MCCQT right after DLHDon.
  xmlNode* mccqt = xmlNewDocNode(doc, nullptr, X("MCCQT"), nullptr);
  xmlNodeAddContent(mccqt, X(code.c_str()));
  xmlNewProp(mccqt, X("Id"), X(mccqt_id.c_str()));
  xmlAddNextSibling(dl, mccqt);

  // DSCKS/CQT in its place: after NBan/NMua, before CCKSKhac.
  if (dscks == nullptr) dscks = xmlNewChild(root, nullptr, X("DSCKS"), nullptr);
  if (cqt == nullptr) {
    cqt = xmlNewDocNode(doc, nullptr, X("CQT"), nullptr);
    if (xmlNode* other = xmlutil::FirstChild(dscks, "CCKSKhac")) {
      xmlAddPrevSibling(other, cqt);
    } else {
      xmlAddChild(dscks, cqt);
    }
  } else {
    // An empty <CQT/> or one holding only whitespace: start clean.
    while (cqt->children != nullptr) {
      xmlNode* c = cqt->children;
      xmlUnlinkNode(c);
      xmlFreeNode(c);
    }
  }
  xmlNode* const signed_elements[] = {dl, mccqt};
  const AuthoritySigningKey key{&signer, std::string(key_id), std::string(certificate_der),
                                signing_time};
  if (absl::Status s = AppendAuthoritySignature(doc, cqt, signed_elements, key, ids); !s.ok()) {
    return s;
  }
  return xmlutil::Serialize(doc);
}

}  // namespace einvoice
