// InvoiceDocument: one submitted invoice in the form it arrived in, read once -- the port
// through which the domain sees a form it does not know how to read (the official XML), so the
// submit workflow has one path for every form and domain/ never links an XML library.
//
// A form is read once, by whoever knows it (xml/ reads QĐ1450 XML; StructuredInvoice wraps a
// v1::Invoice that gRPC already parsed). The document then answers everything the workflow
// asks of it, without reading the bytes again:
//   - invoice():              the invoice mapped to the structured model, which the rule set
//                             (rules/invoice_validator.h) checks whatever the form;
//   - Explain():              the form's own problems (an element missing, unknown or
//                             repeated) followed by the rule violations found on invoice(),
//                             restated in the form's own terms (an XPath for XML) and minus
//                             those the form's problems already explain -- one broken thing,
//                             one violation;
//   - CheckSellerSignature(): the seller's signature carried by the document, checked against
//                             the seller's registered certificates (none for forms that carry
//                             no per-invoice signature);
//   - Code():                 after the authority's record is signed, the document as the
//                             authority sends it back (the coded XML, message 202), or "" for
//                             forms that have none.
//
// InvoiceDocumentReader is the reader of one form, configured at the composition root
// (server/einvoice_server.cc) and handed to InvoiceAuthenticator (Options::xml_reader).
//
// Thread-safety: a document is used by one submission at a time (thread-compatible); a reader
// is thread-safe.
#ifndef EINVOICE_DOMAIN_INVOICE_DOCUMENT_H_
#define EINVOICE_DOMAIN_INVOICE_DOCUMENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "einvoice/v1/invoice.pb.h"
#include "einvoice/v1/tax_officer.pb.h"
#include "rules/violation.h"
#include "signer/signer.h"

namespace einvoice {

// What the authority adds when it codes a document: its code, when, and the key that signs.
struct CodingStamp {
  std::string authority_code;
  absl::Time issued_at;
  std::string key_id;
  // The key's X.509 certificate (DER), carried in an XML signature's KeyInfo.
  std::string certificate_der;
  // Signs with `key_id`; the key never leaves the token.
  Signer* signer = nullptr;
};

class InvoiceDocument {
 public:
  virtual ~InvoiceDocument() = default;

  // The invoice as mapped from the document (best effort where the form was unusable: those
  // fields are empty and Explain() says why).
  virtual const v1::Invoice& invoice() const = 0;

  // The invoice's code as the document carries it: the code a seller's cash register made
  // (MCCQT of a 206's HDon); "" for a request for a code.
  virtual absl::string_view carried_code() const = 0;

  // The document's own problems, then `rule_violations` (found on invoice(), field paths as in
  // rules/violation.h) restated in the form's terms, minus those the form's problems explain.
  // Linear in the number of violations.
  virtual std::vector<Violation> Explain(std::vector<Violation> rule_violations) const = 0;

  // The seller's signature on the document, checked against `seller`'s registered certificates
  // at `now`: one violation per failed check (codes 209xx, rules/signature_violations.h),
  // empty when it holds or when the form carries no per-invoice signature.
  virtual std::vector<Violation> CheckSellerSignature(const v1::Seller& seller,
                                                      absl::Time now) const = 0;

  // Bytes Code() will add to the stored record at most, known before the HSM is asked, so an
  // invoice too large to be fetched back is refused before anything is signed. 0 when the
  // form has no coded document.
  virtual size_t CodedSizeBound() const = 0;

  // The document as the authority sends it back, with `stamp`'s code and a signature made
  // through stamp.signer; "" for forms that have none (structured data, cash-register data).
  // Called at most once, after the record is signed (it may change the document).
  // UNAVAILABLE when the signer is down (retryable); INTERNAL for anything else (a document
  // that was accepted must be codable).
  virtual absl::StatusOr<std::string> Code(const CodingStamp& stamp) = 0;
};

// Reads documents of one form.
class InvoiceDocumentReader {
 public:
  // What the document is for.
  enum class Purpose {
    // A request for a code (message 200, SubmitInvoice's invoice_xml): signed by the seller;
    // the authority's code and signature must not be there yet.
    kCodeRequest,
    // Cash-register data (an HDon of message 206): carries the seller's code, no per-invoice
    // signature (the message is signed as a whole).
    kCashRegister,
  };

  virtual ~InvoiceDocumentReader() = default;

  // Reads `bytes` once. INVALID_ARGUMENT (the message says why) when the document cannot be
  // read at all -- not well-formed, too large or deep, a DOCTYPE, not an invoice; problems
  // inside a readable invoice are the document's Explain(), not an error.
  virtual absl::StatusOr<std::unique_ptr<InvoiceDocument>> Read(absl::string_view bytes,
                                                                Purpose purpose) const = 0;

  // The violation that reports a document Read() refused, as a rejection lists it.
  virtual Violation Unreadable(const absl::Status& status) const = 0;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_INVOICE_DOCUMENT_H_
