#include "domain/rate_limiter.h"

#include <algorithm>

namespace einvoice {

RateLimiter::RateLimiter(RateLimit limit, const Clock* clock) : limit_(limit), clock_(clock) {}

void RateLimiter::Refill(Bucket& bucket, absl::Time now) const {
  const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket.updated));
  bucket.tokens = std::min(limit_.burst, bucket.tokens + elapsed * limit_.rate);
  bucket.updated = std::max(bucket.updated, now);
}

void RateLimiter::DropFullBuckets(absl::Time now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    if (it->second.tokens >= limit_.burst) {
      buckets_.erase(it++);
    } else {
      ++it;
    }
  }
}

std::optional<absl::Duration> RateLimiter::Admit(const Caller& caller, double cost) {
  if (limit_.rate <= 0 || caller.is_local_operator()) return std::nullopt;
  const absl::Time now = clock_->Now();
  const std::string& key = caller.identity().fingerprint;
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= limit_.max_callers) {
      // At most one sweep a second, so a full map of busy callers costs no more than that.
      if (now - last_sweep_ >= absl::Seconds(1)) {
        last_sweep_ = now;
        DropFullBuckets(now);
      }
      if (buckets_.size() >= limit_.max_callers) return std::nullopt;
    }
    it = buckets_.emplace(key, Bucket{limit_.burst, now}).first;
  } else {
    Refill(it->second, now);
  }
  Bucket& bucket = it->second;
  const double charge = std::min(cost, limit_.burst);
  if (bucket.tokens >= charge) {
    bucket.tokens -= charge;
    return std::nullopt;
  }
  return absl::Seconds((charge - bucket.tokens) / limit_.rate);
}

size_t RateLimiter::tracked() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

}  // namespace einvoice
