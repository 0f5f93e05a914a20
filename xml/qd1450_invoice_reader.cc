#include "xml/qd1450_invoice_reader.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "xml/invoice_dom.h"
#include "xml/qd1450_format.h"
#include "xml/safe_xml.h"

namespace einvoice {
namespace {

// Room in a stored invoice for what coding adds to the seller's XML: MCCQT and the
// authority's XMLDSig with its certificate.
constexpr size_t kCodedXmlAllowance = 16 * 1024;

class Qd1450InvoiceDocument final : public InvoiceDocument {
 public:
  Qd1450InvoiceDocument(XmlDocPtr owned, xmlNode* hdon, InvoiceXml parsed, size_t source_bytes,
                        InvoiceDocumentReader::Purpose purpose,
                        const SellerSignatureOptions& signatures)
      : owned_(std::move(owned)),
        hdon_(hdon),
        parsed_(std::move(parsed)),
        source_bytes_(source_bytes),
        purpose_(purpose),
        signatures_(signatures) {}

  const v1::Invoice& invoice() const override { return parsed_.invoice; }

  absl::string_view carried_code() const override {
    return cash_register() ? absl::string_view(parsed_.authority_code) : absl::string_view();
  }

  std::vector<Violation> Explain(std::vector<Violation> rule_violations) const override {
    return MergeRuleViolations(parsed_, std::move(rule_violations));
  }

  std::vector<Violation> CheckSellerSignature(const v1::Seller& seller,
                                              absl::Time now) const override {
    if (cash_register()) return {};  // the 206 message is signed as a whole
    const auto& registered = seller.certificates_der();
    return VerifySellerSignatureIn(
               hdon_->doc,
               [&](const std::string& der) {
                 return std::find(registered.begin(), registered.end(), der) != registered.end();
               },
               now, signatures_)
        .violations;
  }

  size_t CodedSizeBound() const override {
    return cash_register() ? 0 : source_bytes_ + kCodedXmlAllowance;
  }

  absl::StatusOr<std::string> Code(const CodingStamp& stamp) override {
    if (cash_register()) return std::string();  // the seller coded it; nothing to send back
    if (coded_) return absl::InternalError("the document was already coded");
    coded_ = true;
    absl::StatusOr<std::string> coded =
        CodeInvoiceDocument(hdon_->doc, stamp.authority_code, stamp.issued_at, *stamp.signer,
                            stamp.key_id, stamp.certificate_der);
    if (!coded.ok() && coded.status().code() != absl::StatusCode::kUnavailable) {
      return absl::InternalError(
          absl::StrCat("building the coded XML: ", coded.status().message()));
    }
    return coded;
  }

 private:
  bool cash_register() const {
    return purpose_ == InvoiceDocumentReader::Purpose::kCashRegister;
  }

  const XmlDocPtr owned_;  // null when the HDon sits in a tree someone else keeps
  xmlNode* const hdon_;
  const InvoiceXml parsed_;
  const size_t source_bytes_;
  const InvoiceDocumentReader::Purpose purpose_;
  const SellerSignatureOptions signatures_;
  bool coded_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<InvoiceDocument>> ReadInvoiceDocument(
    XmlDocPtr owned, xmlNode* hdon, size_t source_bytes, InvoiceDocumentReader::Purpose purpose,
    const SellerSignatureOptions& signatures) {
  InvoiceXmlOptions options;
  options.cash_register = purpose == InvoiceDocumentReader::Purpose::kCashRegister;
  absl::StatusOr<InvoiceXml> parsed = ReadInvoiceNode(hdon, options);
  if (!parsed.ok()) return parsed.status();
  return std::make_unique<Qd1450InvoiceDocument>(std::move(owned), hdon, *std::move(parsed),
                                                 source_bytes, purpose, signatures);
}

absl::StatusOr<std::unique_ptr<InvoiceDocument>> Qd1450InvoiceReader::Read(
    absl::string_view bytes, Purpose purpose) const {
  absl::StatusOr<XmlDocPtr> doc = ParseXmlSafely(bytes);
  if (!doc.ok()) return doc.status();
  xmlNode* root = xmlDocGetRootElement(doc->get());
  return ReadInvoiceDocument(*std::move(doc), root, bytes.size(), purpose, signatures_);
}

Violation Qd1450InvoiceReader::Unreadable(const absl::Status& status) const {
  return UnreadableXmlViolation(status);
}

}  // namespace einvoice
