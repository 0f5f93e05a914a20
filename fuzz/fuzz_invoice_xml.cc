// A submitted XML invoice: safe parsing, the QĐ1450 format checks and mapping, the rule set on
// the mapped invoice, and the merge of both (what SubmitInvoice does with invoice_xml before the
// seller's signature).
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "rules/invoice_validator.h"
#include "xml/qd1450_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view xml(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<einvoice::InvoiceXml> parsed = einvoice::ParseInvoiceXml(xml);
  if (!parsed.ok()) return 0;
  einvoice::MergeRuleViolations(
      *parsed, einvoice::ValidateInvoice(parsed->invoice, absl::CivilDay(2026, 11, 22)));
  return 0;
}
