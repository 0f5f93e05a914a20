#include "common/clock.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace einvoice {

absl::Time SystemClock::Now() const { return absl::Now(); }

absl::TimeZone VietnamTimeZone() { return absl::FixedTimeZone(7 * 60 * 60); }

absl::CivilDay VietnamDay(absl::Time t) {
  return absl::ToCivilDay(t, VietnamTimeZone());
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  auto number = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const int y = number(0, 4), m = number(5, 2), d = number(8, 2);
  const absl::CivilDay parsed(y, m, d);
  // CivilDay normalises out-of-range fields (2026-02-30 -> 2026-03-02); reject those.
  if (parsed.year() != y || parsed.month() != m || parsed.day() != d || y < 1) return false;
  *day = parsed;
  return true;
}

absl::Status ParseOptionalDay(absl::string_view field, absl::string_view text,
                              std::optional<absl::CivilDay>* day) {
  if (text.empty()) return absl::OkStatus();
  absl::CivilDay parsed;
  if (!ParseDay(text, &parsed)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": \"", absl::CHexEscape(text.substr(0, 40)), "\" is not a date YYYY-MM-DD"));
  }
  *day = parsed;
  return absl::OkStatus();
}

}  // namespace einvoice
