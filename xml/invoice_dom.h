// The DOM-level entry points of xml/: the same checks and builders as the string functions of
// qd1450_format.h, seller_signature.h, coded_invoice.h and tvan_envelope.h, on a document that
// is already parsed, so one submission's bytes are parsed once (qd1450_invoice_document.h,
// tvan_exchange.h) and every step works on that one tree.
//
// This header exposes libxml2 types: it is for xml/ and its tests (like safe_xml.h).
//
// Thread-safety: a document is thread-compatible; the functions keep no state of their own.
#ifndef EINVOICE_XML_INVOICE_DOM_H_
#define EINVOICE_XML_INVOICE_DOM_H_

#include <libxml/tree.h>

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/invoice_document.h"
#include "signer/signer.h"
#include "xml/qd1450_format.h"
#include "xml/safe_xml.h"
#include "xml/seller_signature.h"
#include "xml/tvan_envelope.h"

namespace einvoice {

// ParseInvoiceXml() on an HDon element already parsed (a document's root, or an HDon inside a
// TDiep's DLieu). INVALID_ARGUMENT if `hdon` is not an HDon element.
absl::StatusOr<InvoiceXml> ReadInvoiceNode(xmlNode* hdon, const InvoiceXmlOptions& options = {});

// VerifySellerSignature() on a parsed HDon document. `is_registered` says whether a DER
// certificate is one of the seller's. Registers the document's Ids (idempotent).
SellerSignatureResult VerifySellerSignatureIn(
    xmlDoc* doc, absl::FunctionRef<bool(const std::string&)> is_registered, absl::Time now,
    const SellerSignatureOptions& options);

// VerifyMessageSignature() on a parsed TDiep document.
SellerSignatureResult VerifyMessageSignatureIn(
    xmlDoc* doc, absl::FunctionRef<bool(const std::string&)> is_registered, absl::Time now,
    const SellerSignatureOptions& options);

// BuildCodedInvoiceXml() on a parsed, seller-signed HDon document: adds MCCQT and the
// authority's signature to `doc` itself and returns it serialised. Errors as
// BuildCodedInvoiceXml().
absl::StatusOr<std::string> CodeInvoiceDocument(xmlDoc* doc, absl::string_view authority_code,
                                                absl::Time signing_time, Signer& signer,
                                                absl::string_view key_id,
                                                absl::string_view certificate_der);

// An InvoiceDocument (qd1450_invoice_reader.h) over `hdon`, read where it is. With `owned`,
// the document keeps that tree (and `hdon` must be its root); without, `hdon`'s document must
// outlive it (an HDon inside a 206 envelope). `source_bytes`: the size of what was received,
// the bound of what coding adds to a stored record. INVALID_ARGUMENT if `hdon` is not an HDon.
absl::StatusOr<std::unique_ptr<InvoiceDocument>> ReadInvoiceDocument(
    XmlDocPtr owned, xmlNode* hdon, size_t source_bytes, InvoiceDocumentReader::Purpose purpose,
    const SellerSignatureOptions& signatures);

// A TDiep parsed once: its header, and the element children of DLieu where they are.
struct TDiepDocument {
  XmlDocPtr doc;
  TDiepHeader header;
  // DLieu's Id attribute (what a 206's CKSNNT signature references); "" if none.
  std::string data_id;
  // The element children of DLieu (HDon for 200 and 206), in order; they belong to `doc`.
  std::vector<xmlNode*> payloads;
};

// ParseTDiep() keeping the tree. Errors as ParseTDiep().
absl::StatusOr<TDiepDocument> ParseTDiepDocument(absl::string_view xml);

// `node` (an HDon of an envelope) as a standalone document: the namespaces it uses from the
// envelope are declared on its root; its own declarations are kept as they are, so its
// signatures still verify. RESOURCE_EXHAUSTED if libxml2 cannot allocate the copy.
absl::StatusOr<XmlDocPtr> StandaloneCopy(const xmlNode* node);

}  // namespace einvoice

#endif  // EINVOICE_XML_INVOICE_DOM_H_
