// ReceiveCashRegisterBatch: a batch of cash-register invoices (message 206, or the
// SubmitCashRegisterInvoices rpc) through InvoiceAuthenticator::SubmitCashRegister, one outcome
// per invoice in the batch's order. Each invoice stands alone: a refusal stores nothing for it
// and does not affect the others; a resent batch answers what was already received as replays.
//
// The invoices are prepared (validated, signed) one after another on the calling thread and
// their store writes overlap, so a batch costs about one signature per new invoice and a few
// group commits. ReceiveCashRegisterBatchAsync() returns once every invoice is prepared and
// delivers the outcomes when the last write is durable or refused, without holding the thread;
// ReceiveCashRegisterBatch() waits for them.
//
// Blocking on the signer (both) and the store (the waiting one); call them from a worker pool.
// Thread-safe.
#ifndef EINVOICE_DOMAIN_CASH_REGISTER_BATCH_H_
#define EINVOICE_DOMAIN_CASH_REGISTER_BATCH_H_

#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
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
  // For an HDon of a 206 message: the document read with Purpose::kCashRegister (then
  // `invoice` and `code` are ignored: they come from it).
  InvoiceDocument* document = nullptr;
};

// Receives the outcomes of a batch, one per item, in order; called exactly once, on the calling
// thread before ReceiveCashRegisterBatchAsync() returns or on the store's completion thread
// (so it must be quick, as InvoiceStore::InsertAsync's callbacks).
using BatchCallback = absl::AnyInvocable<void(std::vector<SubmitOutcome>) &&>;

// REQUIRES: items.size() <= kMaxCashRegisterBatch (the adapters refuse larger batches first).
void ReceiveCashRegisterBatchAsync(InvoiceAuthenticator& authenticator, const Caller& caller,
                                   absl::Span<const CashRegisterItem> items, BatchCallback done,
                                   const Abandoned& abandoned = {});

// One SubmitOutcome per item, in order, once every write is durable or refused.
std::vector<SubmitOutcome> ReceiveCashRegisterBatch(InvoiceAuthenticator& authenticator,
                                                    const Caller& caller,
                                                    absl::Span<const CashRegisterItem> items,
                                                    const Abandoned& abandoned = {});

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_CASH_REGISTER_BATCH_H_
