// RateLimiter: a token bucket per caller, so one caller's burst (a seller's month end, a
// T-VAN's backlog) cannot starve everyone else. Each call takes one token; a caller's bucket
// holds at most `burst` tokens and refills at `rate` tokens a second. A caller over its rate is
// told how long until a token is there (the server answers RESOURCE_EXHAUSTED with that as a
// google.rpc.RetryInfo).
//
// Callers are keyed by their certificate fingerprint. The local operator (development mode) is
// not limited. Memory is bounded: at most `max_callers` buckets are kept; when the map is full,
// buckets that have refilled (indistinguishable from a new caller) are dropped, and if none
// has, the call is let through unmetered rather than growing the map (a flood of distinct
// certificates needs a CA's cooperation and is visible in the audit trail). Sweeps run at most
// once a second.
//
// Thread-safety: Admit() may be called concurrently; one mutex, held for a hash lookup.
#ifndef EINVOICE_DOMAIN_RATE_LIMITER_H_
#define EINVOICE_DOMAIN_RATE_LIMITER_H_

#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "domain/caller.h"

namespace einvoice {

struct RateLimit {
  // Tokens per second per caller; 0 = no limit.
  double rate = 0;
  // Most tokens a caller can save up (its largest burst). REQUIRES: >= 1 when rate > 0.
  double burst = 1;
  // Most callers tracked at once.
  size_t max_callers = 100000;
};

class RateLimiter {
 public:
  // REQUIRES: `clock` outlives this object.
  RateLimiter(RateLimit limit, const Clock* clock);

  // nullopt: go ahead (`cost` tokens were taken). Otherwise how long until the caller has
  // them. A cost above the burst is charged as a full bucket (it could never be saved up).
  // REQUIRES: cost >= 1.
  std::optional<absl::Duration> Admit(const Caller& caller, double cost = 1);

  // Buckets tracked now (tests).
  size_t tracked() const;

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
  };
  // Refills `bucket` up to `now`.
  void Refill(Bucket& bucket, absl::Time now) const;
  // Drops every bucket that has refilled to the brim.
  void DropFullBuckets(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RateLimit limit_;
  const Clock* const clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  absl::Time last_sweep_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_RATE_LIMITER_H_
