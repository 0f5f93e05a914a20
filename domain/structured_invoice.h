// StructuredInvoice: an invoice submitted as structured data (v1::Invoice, already parsed by
// gRPC) seen as an InvoiceDocument (domain/invoice_document.h), so the submit workflow treats
// it like any other form: nothing of its own to explain (rule violations keep their field
// paths), no per-invoice signature (the caller's TLS certificate identifies who sent it), and no
// coded document (the answer is the signed record itself).
//
// Holds a pointer to the invoice: REQUIRES the invoice outlives it. Thread-compatible.
#ifndef EINVOICE_DOMAIN_STRUCTURED_INVOICE_H_
#define EINVOICE_DOMAIN_STRUCTURED_INVOICE_H_

#include <string>
#include <vector>

#include "domain/invoice_document.h"

namespace einvoice {

class StructuredInvoice final : public InvoiceDocument {
 public:
  // `code`: the seller's code of a cash-register invoice; "" for a request for a code.
  explicit StructuredInvoice(const v1::Invoice* invoice, absl::string_view code = {})
      : invoice_(invoice), code_(code) {}

  const v1::Invoice& invoice() const override { return *invoice_; }
  absl::string_view carried_code() const override { return code_; }
  std::vector<Violation> Explain(std::vector<Violation> rule_violations) const override {
    return rule_violations;
  }
  std::vector<Violation> CheckSellerSignature(const v1::Seller&, absl::Time) const override {
    return {};
  }
  size_t CodedSizeBound() const override { return 0; }
  absl::StatusOr<std::string> Code(const CodingStamp&) override { return std::string(); }

 private:
  const v1::Invoice* const invoice_;
  const std::string code_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_STRUCTURED_INVOICE_H_
