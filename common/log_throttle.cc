#include "common/log_throttle.h"

#include <algorithm>

namespace einvoice {

LogThrottle::LogThrottle(int lines_per_minute, const Clock* clock)
    : capacity_(std::max(1, lines_per_minute)),
      clock_(clock),
      tokens_(capacity_),
      refilled_(clock->Now()) {}

std::optional<uint64_t> LogThrottle::Admit() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  if (now > refilled_) {
    tokens_ = std::min(capacity_,
                       tokens_ + capacity_ * absl::ToDoubleSeconds(now - refilled_) / 60.0);
    refilled_ = now;
  }
  if (tokens_ < 1.0) {
    ++dropped_;
    return std::nullopt;
  }
  tokens_ -= 1.0;
  const uint64_t dropped = dropped_;
  dropped_ = 0;
  return dropped;
}

}  // namespace einvoice
