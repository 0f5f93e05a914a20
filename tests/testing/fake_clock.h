// FakeClock: a Clock that stands still until told to move. Thread-safe.
#ifndef EINVOICE_TESTS_TESTING_FAKE_CLOCK_H_
#define EINVOICE_TESTS_TESTING_FAKE_CLOCK_H_

#include "absl/synchronization/mutex.h"
#include "common/clock.h"

namespace einvoice::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time now) : now_(now) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time now) {
    absl::MutexLock lock(&mu_);
    now_ = now;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_;
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_TESTING_FAKE_CLOCK_H_
