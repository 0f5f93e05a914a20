// Reading a submitted XML invoice (QĐ1450 `HDon`): safe parsing, the XML-specific format
// checks, and the mapping to the structured v1::Invoice.
//
// Division of labour (one rule set, not two): this file reports only what the XML form can get
// wrong and the structured form cannot — a missing or misplaced element, an unknown element,
// a repeated element, text where elements belong, integers that do not fit the Invoice's
// integer fields, a missing `DLHDon Id`, authority parts (`MCCQT`, `DSCKS/CQT`) in a
// submission. Everything about values (lengths, code lists, tax codes, decimals with 21 digits
// and 6 decimals, dates, totals) is checked by ValidateInvoice() on the mapped Invoice, and
// MergeRuleViolations() turns its field paths into XPaths, so an XML submission and a
// protobuf submission of the same invoice get the same verdict.
//
// Typical use (the server's SubmitInvoice for `invoice_xml`):
//
//   absl::StatusOr<InvoiceXml> parsed = ParseInvoiceXml(xml);
//   if (!parsed.ok()) reject with {UnreadableXmlViolation(parsed.status())};
//   std::vector<Violation> all =
//       MergeRuleViolations(*parsed, ValidateInvoice(parsed->invoice, today));
//   ... plus VerifySellerSignature(xml, ...) (seller_signature.h)
//
// Every format violation has code 20001 ("Sai định dạng dữ liệu"), a rule from the catalogue
// (format.required, format.pattern, format.unique, format.code_list), `field` = the XPath of
// the element ("HDon/DLHDon/NDHDon/NMua/CCCDan"; repeated elements with a 1-based index,
// "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[2]/TChat") and a detail in both languages.
//
// Pure functions; thread-safe.
#ifndef EINVOICE_XML_QD1450_FORMAT_H_
#define EINVOICE_XML_QD1450_FORMAT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "einvoice/v1/invoice.pb.h"
#include "rules/violation.h"

namespace einvoice {

struct InvoiceXmlOptions {
  // False (default, a submission): `MCCQT` and a signature in `DSCKS/CQT` are format errors,
  // since only the authority adds them. True (reading a coded invoice, e.g. in the verifier):
  // they are accepted.
  bool allow_authority_parts = false;
  // True for cash-register data (message 206): `MCCQT` holds the code the seller's register
  // made and must be there (format.required otherwise); DLHDon needs no Id (nothing signs the
  // invoice itself); a `DSCKS/CQT` signature is still refused.
  bool cash_register = false;
};

struct InvoiceXml {
  // The invoice as mapped from `HDon/DLHDon` (best effort: fields whose XML was unusable are
  // left empty / zero and listed in `reported_fields`).
  v1::Invoice invoice;
  // The `Id` attribute of `DLHDon` (what signatures reference); "" if absent (reported).
  std::string dlhdon_id;
  // `MCCQT` text and its `Id`, when present (coded invoices only).
  std::string authority_code;
  std::string authority_code_id;
  // XML-specific format violations (code 20001, field = XPath).
  std::vector<Violation> violations;
  // Rule field paths (or prefixes: "seller", "lines[1].nature", "*" for everything) whose
  // problems `violations` already reports; MergeRuleViolations() drops rule violations on
  // them so one broken thing yields one violation.
  std::vector<std::string> reported_fields;
};

// Parses `xml` safely (safe_xml.h: ≤ 2 MB, no DOCTYPE, depth ≤ 64, UTF-8, well-formed) and, if
// that succeeds, checks the structure and maps it. INVALID_ARGUMENT (message says why) when
// the document is refused or is not an `HDon`; format problems inside a readable `HDon` are
// `violations`, not an error status.
absl::StatusOr<InvoiceXml> ParseInvoiceXml(absl::string_view xml,
                                           const InvoiceXmlOptions& options = {});

// The 20001 violation (field "HDon") for a document ParseInvoiceXml() refused, carrying the
// status message as detail, for a rejection that lists it like any other violation.
Violation UnreadableXmlViolation(const absl::Status& status);

// `parsed.violations` followed by `rule_violations` (from ValidateInvoice(parsed.invoice, …)
// or any other check on the mapped Invoice) minus those on `parsed.reported_fields`, with
// every rule field path turned into its XPath (FieldPathToXPath()). Linear in the number of
// violations and reported fields (and their lengths); `lookups`, when given, receives the
// number of reported-field lookups made (tests hold it to that bound).
std::vector<Violation> MergeRuleViolations(const InvoiceXml& parsed,
                                           std::vector<Violation> rule_violations,
                                           size_t* lookups = nullptr);

}  // namespace einvoice

#endif  // EINVOICE_XML_QD1450_FORMAT_H_
