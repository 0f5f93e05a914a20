// Clock: the seam to wall-clock time, so tests can pin "now" (FakeClock in tests/).
// Implementations must be thread-safe.
#ifndef EINVOICE_COMMON_CLOCK_H_
#define EINVOICE_COMMON_CLOCK_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace einvoice {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override;
};

// Vietnam time (GMT+7, no daylight saving): invoice dates and statistics days use it.
absl::TimeZone VietnamTimeZone();

// The calendar day in Vietnam at `t`.
absl::CivilDay VietnamDay(absl::Time t);

// Formats a day as "YYYY-MM-DD".
std::string FormatDay(absl::CivilDay day);

// Parses exactly "YYYY-MM-DD" (a real calendar date); false otherwise.
bool ParseDay(absl::string_view text, absl::CivilDay* day);

// An optional "YYYY-MM-DD" request field: empty leaves `*day` unset; otherwise INVALID_ARGUMENT
// "<field>: "<text>" is not a date YYYY-MM-DD" (the text escaped, at most 40 bytes of it).
absl::Status ParseOptionalDay(absl::string_view field, absl::string_view text,
                              std::optional<absl::CivilDay>* day);

}  // namespace einvoice

#endif  // EINVOICE_COMMON_CLOCK_H_
