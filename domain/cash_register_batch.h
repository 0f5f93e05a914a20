// ReceiveCashRegisterBatch: a batch of cash-register invoices (message 206, or the
// SubmitCashRegisterInvoices rpc) through InvoiceAuthenticator::SubmitCashRegister, one outcome
// per invoice in the batch's order. Each invoice stands alone: a refusal stores nothing for it
// and does not affect the others; a resent batch answers what was already received as replays.
//
// The invoices are prepared (validated, signed) one after another on the calling thread and
// their store writes overlap, so a batch costs about one signature per new invoice and a few
// group commits; the call returns once every write is durable or refused.
//
// Blocking (the signer and the store); call it from a worker pool. Thread-safe.
#ifndef EINVOICE_DOMAIN_CASH_REGISTER_BATCH_H_
#define EINVOICE_DOMAIN_CASH_REGISTER_BATCH_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "domain/caller.h"
#include "domain/invoice_authenticator.h"
#include "einvoice/v1/invoice.pb.h"

namespace einvoice {

// Most invoices one batch may carry (real 206 messages carry up to about 100).
inline constexpr size_t kMaxCashRegisterBatch = 1000;

// One invoice of a batch; the pointed-to data need only live until the call returns.
struct CashRegisterItem {
  const v1::Invoice* invoice = nullptr;
  std::string code;             // the seller's code, "M1-26-ABCDE-00000000001"
  std::string idempotency_key;  // optional
  // For an HDon of a 206 message: what ParseInvoiceXml(…, cash_register) made of `xml_text`
  // (then `invoice` and `code` are ignored: they come from it).
  const InvoiceXml* xml = nullptr;
  absl::string_view xml_text;
};

// One SubmitOutcome per item, in order. REQUIRES: items.size() <= kMaxCashRegisterBatch (the
// adapters refuse larger batches first).
std::vector<SubmitOutcome> ReceiveCashRegisterBatch(InvoiceAuthenticator& authenticator,
                                                    const Caller& caller,
                                                    absl::Span<const CashRegisterItem> items,
                                                    const Abandoned& abandoned = {});

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_CASH_REGISTER_BATCH_H_
