#include "domain/cash_register_batch.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace einvoice {

void ReceiveCashRegisterBatchAsync(InvoiceAuthenticator& authenticator, const Caller& caller,
                                   absl::Span<const CashRegisterItem> items, BatchCallback done,
                                   const Abandoned& abandoned) {
  // Outcomes arrive on this thread or on the store's completion thread, in any order; whoever
  // delivers the last one answers the batch.
  struct Pending {
    absl::Mutex mu;
    std::vector<SubmitOutcome> outcomes ABSL_GUARDED_BY(mu);
    size_t left ABSL_GUARDED_BY(mu) = 0;
    BatchCallback done;
  };
  auto pending = std::make_shared<Pending>();
  pending->done = std::move(done);
  {
    absl::MutexLock lock(&pending->mu);
    pending->outcomes.resize(items.size());
    // One more than the items: the batch is not answered before every item was handed on.
    pending->left = items.size() + 1;
  }
  auto finish_one = [](const std::shared_ptr<Pending>& batch, size_t i,
                       std::optional<SubmitOutcome> outcome) {
    std::vector<SubmitOutcome> outcomes;
    {
      absl::MutexLock lock(&batch->mu);
      if (outcome.has_value()) batch->outcomes[i] = *std::move(outcome);
      if (--batch->left > 0) return;
      outcomes = std::move(batch->outcomes);
    }
    std::move(batch->done)(std::move(outcomes));
  };
  for (size_t i = 0; i < items.size(); ++i) {
    const CashRegisterItem& item = items[i];
    SubmitCallback on_outcome = [pending, i, finish_one](SubmitOutcome outcome) {
      finish_one(pending, i, std::move(outcome));
    };
    if (item.document != nullptr) {
      authenticator.SubmitCashRegisterDocumentAsync(caller, *item.document, item.idempotency_key,
                                                    std::move(on_outcome), abandoned);
    } else {
      authenticator.SubmitCashRegisterAsync(caller, *item.invoice, item.code,
                                            item.idempotency_key, std::move(on_outcome),
                                            abandoned);
    }
  }
  finish_one(pending, 0, std::nullopt);
}

std::vector<SubmitOutcome> ReceiveCashRegisterBatch(InvoiceAuthenticator& authenticator,
                                                    const Caller& caller,
                                                    absl::Span<const CashRegisterItem> items,
                                                    const Abandoned& abandoned) {
  std::vector<SubmitOutcome> result;
  absl::Notification answered;
  ReceiveCashRegisterBatchAsync(
      authenticator, caller, items,
      [&](std::vector<SubmitOutcome> outcomes) {
        result = std::move(outcomes);
        answered.Notify();
      },
      abandoned);
  answered.WaitForNotification();
  return result;
}

}  // namespace einvoice
