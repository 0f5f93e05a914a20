// The mapping between the official XML (QĐ1450 `HDon`) and the structured v1::Invoice, in the
// direction Invoice → XML, plus the translation of rule field paths into XPaths.
//
// The direction XML → Invoice (with the format checks) is ParseInvoiceXml() in
// qd1450_format.h. Field-by-field correspondence: docs/xml.md and the comments of
// proto/einvoice/v1/invoice.proto. The mapping is lossless: every element QĐ1450 v2.1.0
// defines for the invoice data has a field, so ParseInvoiceXml(InvoiceToXml(i, id)).invoice == i
// for every invoice that sets seller-only Party fields (fax, website, store_*) only on the
// seller and buyer-only ones (personal_name, citizen_id, passport, customer_code,
// budget_unit_code) only on the buyer (tests pin it with an invoice using every field).
//
// Pure functions; thread-safe.
#ifndef EINVOICE_XML_INVOICE_XML_MAPPING_H_
#define EINVOICE_XML_INVOICE_XML_MAPPING_H_

#include <string>

#include "absl/strings/string_view.h"
#include "einvoice/v1/invoice.pb.h"

namespace einvoice {

// An unsigned `HDon` document (UTF-8, with an XML declaration, no indentation) for `invoice`:
// `DLHDon Id="<dlhdon_id>"` with TTChung / NDHDon in the official element order, and an empty
// `DSCKS` (`NBan`, `NMua`, `CQT`, `CCKSKhac`) where the seller's software puts its signature.
// Empty strings, zero numbers and empty repeated fields are omitted (absent element), except
// the groups NMua, DSHHDVu and TToan, which are always written; an invoice without the v2.1.0
// fields is written exactly as before they existed. For test material, the benchmark harness and
// tools; the service itself never re-serialises a seller's invoice.
// REQUIRES: `dlhdon_id` is an XML NCName (e.g. "data" or "DLHDon-1").
std::string InvoiceToXml(const v1::Invoice& invoice, absl::string_view dlhdon_id);

// The XPath of the XML element a rule field path (rules/violation.h: "seller.tax_code",
// "lines[2].amount", "totals.rate_summaries[0].tax_amount") maps to:
// "HDon/DLHDon/NDHDon/NBan/MST", "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[3]/ThTien",
// "HDon/DLHDon/NDHDon/TToan/THTTLTSuat/LTSuat[1]/TThue". Repeated elements carry a 1-based
// index. "" (the invoice as a whole) maps to "HDon/DLHDon". A path with no XML counterpart is
// returned unchanged.
std::string FieldPathToXPath(absl::string_view field_path);

}  // namespace einvoice

#endif  // EINVOICE_XML_INVOICE_XML_MAPPING_H_
