// GatedInvoiceStore -- FOR TESTS ONLY: an InvoiceStore whose InsertAsync() writes are held
// until the test releases them, standing in for a store whose durable write (fsync) is still
// in flight. Everything else, and the held writes once released, go to an inner store.
//
// Insert() (the blocking form) is not gated: it goes straight to the inner store.
//
// Thread-safety: every method may be called concurrently from any thread. Release() and
// FailAll() run the held callbacks on the calling thread.
#ifndef EINVOICE_TESTS_STORAGE_SUPPORT_GATED_INVOICE_STORE_H_
#define EINVOICE_TESTS_STORAGE_SUPPORT_GATED_INVOICE_STORE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/invoice_store.h"

namespace einvoice::testing {

class GatedInvoiceStore final : public InvoiceStore {
 public:
  // REQUIRES: `inner` outlives this store.
  explicit GatedInvoiceStore(InvoiceStore* inner) : inner_(inner) {}

  // Holds the write; `done` runs when Release() or FailAll() is called.
  void InsertAsync(NewInvoice invoice, InsertCallback done) override;
  // Inserts still held.
  size_t held() const;
  // Blocks until at least `n` inserts are held; false if that has not happened within
  // `timeout` (the code under test never got that far).
  [[nodiscard]] bool AwaitHeld(size_t n, absl::Duration timeout = absl::Seconds(60)) const;
  // Writes every held insert to the inner store, in arrival order, and runs its callback with
  // the inner store's answer.
  void Release();
  // Runs every held insert's callback with `status`, writing nothing. REQUIRES: !status.ok().
  void FailAll(const absl::Status& status);

  absl::StatusOr<InsertResult> Insert(const NewInvoice& invoice) override {
    return inner_->Insert(invoice);
  }
  absl::StatusOr<std::optional<std::string>> GetByCode(absl::string_view code) override {
    return inner_->GetByCode(code);
  }
  absl::StatusOr<std::optional<InvoiceRef>> FindByKey(const v1::InvoiceKey& key) override {
    return inner_->FindByKey(key);
  }
  absl::StatusOr<std::optional<InvoiceRef>> FindByIdempotencyKey(
      absl::string_view seller_tax_code, absl::string_view idempotency_key) override {
    return inner_->FindByIdempotencyKey(seller_tax_code, idempotency_key);
  }
  absl::StatusOr<SearchPage> Search(const SearchQuery& query) override {
    return inner_->Search(query);
  }
  absl::StatusOr<std::string> GreatestAuthorityCode() override {
    return inner_->GreatestAuthorityCode();
  }
  absl::Status CountRejection(absl::CivilDay day, const std::vector<std::string>& rules) override {
    return inner_->CountRejection(day, rules);
  }
  absl::StatusOr<std::vector<DayCount>> CountsByDay(absl::CivilDay from,
                                                    absl::CivilDay to) override {
    return inner_->CountsByDay(from, to);
  }

 private:
  struct Held {
    NewInvoice invoice;
    InsertCallback done;
  };
  std::vector<Held> TakeHeld();

  InvoiceStore* const inner_;
  mutable absl::Mutex mu_;
  std::vector<Held> held_ ABSL_GUARDED_BY(mu_);
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_STORAGE_SUPPORT_GATED_INVOICE_STORE_H_
