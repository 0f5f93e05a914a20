#include "tests/storage/support/gated_invoice_store.h"

namespace einvoice::testing {

void GatedInvoiceStore::InsertAsync(NewInvoice invoice, InsertCallback done) {
  absl::MutexLock lock(&mu_);
  held_.push_back(Held{std::move(invoice), std::move(done)});
}

size_t GatedInvoiceStore::held() const {
  absl::MutexLock lock(&mu_);
  return held_.size();
}

bool GatedInvoiceStore::AwaitHeld(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return held_.size() >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

std::vector<GatedInvoiceStore::Held> GatedInvoiceStore::TakeHeld() {
  absl::MutexLock lock(&mu_);
  std::vector<Held> held;
  held.swap(held_);
  return held;
}

void GatedInvoiceStore::Release() {
  for (Held& h : TakeHeld()) std::move(h.done)(inner_->Insert(h.invoice));
}

void GatedInvoiceStore::FailAll(const absl::Status& status) {
  for (Held& h : TakeHeld()) std::move(h.done)(status);
}

}  // namespace einvoice::testing
