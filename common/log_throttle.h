// LogThrottle: lets at most `lines_per_minute` log lines through per rolling minute (a token
// bucket refilled continuously), so input an attacker controls -- failed TLS handshakes,
// undecodable requests, anything a library logs per connection -- cannot flood the log. It
// counts what it held back, so the next line let through can say how many were suppressed.
//
// Thread-safe.
#ifndef EINVOICE_COMMON_LOG_THROTTLE_H_
#define EINVOICE_COMMON_LOG_THROTTLE_H_

#include <cstdint>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace einvoice {

class LogThrottle {
 public:
  // REQUIRES: lines_per_minute >= 1; `clock` outlives the throttle.
  LogThrottle(int lines_per_minute, const Clock* clock);

  // nullopt: drop this line. Otherwise log it; the value is how many lines were dropped since
  // the last one let through (0 usually).
  std::optional<uint64_t> Admit();

 private:
  const double capacity_;
  const Clock* const clock_;
  absl::Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_);
  absl::Time refilled_ ABSL_GUARDED_BY(mu_);
  uint64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace einvoice

#endif  // EINVOICE_COMMON_LOG_THROTTLE_H_
