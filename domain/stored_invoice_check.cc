#include "domain/stored_invoice_check.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "domain/invoice_verifier.h"

namespace einvoice {

RecordFacts InspectStoredInvoice(absl::string_view code, absl::string_view bytes,
                                 const std::vector<v1::SigningKey>& keys) {
  RecordFacts facts;
  v1::AuthenticatedInvoice invoice;
  if (!invoice.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    facts.problem = "does not parse as an AuthenticatedInvoice";
    return facts;
  }
  const InvoiceVerification verification = VerifyAuthenticatedInvoice(invoice, keys);
  if (!verification.valid) {
    facts.problem = absl::StrCat("not genuine: ", verification.problems.empty()
                                                      ? std::string("invalid")
                                                      : verification.problems.front());
    return facts;
  }
  const v1::Invoice& inv = verification.record.invoice();
  facts.authority_code = invoice.authority_code();
  facts.key.set_seller_tax_code(inv.seller().tax_code());
  facts.key.set_template_code(inv.template_code());
  facts.key.set_symbol(inv.symbol());
  facts.key.set_number(inv.number());
  facts.buyer_tax_code = inv.buyer().tax_code();
  facts.content_sha256 = verification.record.invoice_sha256();
  if (!ParseDay(inv.issue_date(), &facts.issue_date)) {
    facts.problem = absl::StrCat("issue date \"", inv.issue_date(), "\" is not a date");
  }
  return facts;
}

}  // namespace einvoice
