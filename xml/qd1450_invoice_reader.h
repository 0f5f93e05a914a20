// Qd1450InvoiceReader: the domain's InvoiceDocumentReader (domain/invoice_document.h) for the
// official XML invoice (QĐ1450 `HDon`). A document is parsed once (ParseXmlSafely) and that one
// tree answers everything the submit workflow asks:
//   - invoice() and Explain(): ReadInvoiceNode() -- the mapping and the XML-only format checks
//     -- and MergeRuleViolations() (rule violations by XPath);
//   - CheckSellerSignature(): VerifySellerSignatureIn() with the seller's registered
//     certificates (none for cash-register data: the 206 message is signed as a whole);
//   - Code(): CodeInvoiceDocument() adds MCCQT and the authority's signature to the same tree
//     (none for cash-register data).
//
// Thread-safety: the reader is thread-safe; each document is used by one submission.
#ifndef EINVOICE_XML_QD1450_INVOICE_READER_H_
#define EINVOICE_XML_QD1450_INVOICE_READER_H_

#include <memory>

#include "domain/invoice_document.h"
#include "xml/seller_signature.h"

namespace einvoice {

class Qd1450InvoiceReader final : public InvoiceDocumentReader {
 public:
  // `signatures`: how sellers' signatures are checked (RSA-SHA1 accepted by default).
  explicit Qd1450InvoiceReader(SellerSignatureOptions signatures = {})
      : signatures_(signatures) {}

  absl::StatusOr<std::unique_ptr<InvoiceDocument>> Read(absl::string_view bytes,
                                                        Purpose purpose) const override;
  // UnreadableXmlViolation(): 20001 at "HDon" with the reason.
  Violation Unreadable(const absl::Status& status) const override;

  const SellerSignatureOptions& signatures() const { return signatures_; }

 private:
  const SellerSignatureOptions signatures_;
};

}  // namespace einvoice

#endif  // EINVOICE_XML_QD1450_INVOICE_READER_H_
