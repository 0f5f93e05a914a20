#include "domain/cash_register_batch.h"

#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace einvoice {

std::vector<SubmitOutcome> ReceiveCashRegisterBatch(InvoiceAuthenticator& authenticator,
                                                    const Caller& caller,
                                                    absl::Span<const CashRegisterItem> items,
                                                    const Abandoned& abandoned) {
  // Outcomes arrive on this thread or on the store's completion thread, in any order.
  struct Pending {
    absl::Mutex mu;
    std::vector<SubmitOutcome> outcomes ABSL_GUARDED_BY(mu);
    size_t left ABSL_GUARDED_BY(mu) = 0;
  } pending;
  {
    absl::MutexLock lock(&pending.mu);
    pending.outcomes.resize(items.size());
    pending.left = items.size();
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const CashRegisterItem& item = items[i];
    SubmitCallback done = [&pending, i](SubmitOutcome outcome) {
      absl::MutexLock lock(&pending.mu);
      pending.outcomes[i] = std::move(outcome);
      --pending.left;
    };
    if (item.xml != nullptr) {
      authenticator.SubmitCashRegisterXmlAsync(caller, *item.xml, item.xml_text,
                                               item.idempotency_key, std::move(done), abandoned);
    } else {
      authenticator.SubmitCashRegisterAsync(caller, *item.invoice, item.code,
                                            item.idempotency_key, std::move(done), abandoned);
    }
  }
  absl::MutexLock lock(&pending.mu);
  pending.mu.Await(absl::Condition(
      +[](size_t* left) { return *left == 0; }, &pending.left));
  return std::move(pending.outcomes);
}

}  // namespace einvoice
