// VAT rates (TSuat) as written on invoices, per the domain brief §1: "0%", "5%", "8%",
// "10%", "KCT" (not subject to VAT), "KKKNT" (not declared or paid) and "KHAC:AB.CD%"
// (another rate: 1–2 integer digits, optionally '.' and 1–2 decimals, e.g. "KHAC:5.26%").
//
// 8% is the temporary reduced rate (a 2-point cut of the 10% rate), allowed only for invoices
// issued inside the windows the decrees opened (kReducedRateWindows): the rule follows the
// invoice's issue date, never today's, so invoices from earlier windows stay valid.
//
// Plain values and pure functions; thread-safe.
#ifndef EINVOICE_RULES_VAT_RATE_H_
#define EINVOICE_RULES_VAT_RATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "rules/decimal.h"

namespace einvoice {

// One window of the reduced rate, inclusive.
struct ReducedRateWindow {
  absl::CivilDay first;
  absl::CivilDay last;
};

// The windows, oldest first:
//   Decree 15/2022/NĐ-CP                          2022-02-01 .. 2022-12-31
//   (none from 2023-01-01 to 2023-06-30)
//   Decree 44/2023/NĐ-CP                          2023-07-01 .. 2023-12-31
//   Decrees 94/2023, 72/2024, 180/2024, 174/2025  2024-01-01 .. 2026-12-31 (back to back)
inline constexpr ReducedRateWindow kReducedRateWindows[] = {
    {absl::CivilDay(2022, 2, 1), absl::CivilDay(2022, 12, 31)},
    {absl::CivilDay(2023, 7, 1), absl::CivilDay(2026, 12, 31)},
};

// The last issue date on which the reduced rate may be used (the end of the last window).
inline constexpr absl::CivilDay kReducedRateLastDay = kReducedRateWindows[1].last;

struct VatRate {
  enum class Kind {
    kStandard,     // "0%", "5%", "8%", "10%"
    kNotSubject,   // "KCT": percentage 0
    kNotDeclared,  // "KKKNT": percentage 0
    kOther,        // "KHAC:AB.CD%"
  };
  Kind kind = Kind::kStandard;
  // The rate in percent (8 for "8%", 5.26 for "KHAC:5.26%", 0 for KCT and KKKNT).
  Decimal percent;
  // The rate as written (the text that was parsed).
  std::string text;

  // True for the temporary reduced rate "8%".
  bool is_reduced_rate() const;

  // Same rate: same kind and percentage ("KHAC:5.2%" equals "KHAC:5.20%"). Text is ignored.
  friend bool operator==(const VatRate& a, const VatRate& b) {
    return a.kind == b.kind && a.percent == b.percent;
  }
};

// Parses an official rate string. InvalidArgument for anything else (lower case, spaces,
// "8" without '%', "7%", "KHAC:100%", ...).
absl::StatusOr<VatRate> ParseVatRate(absl::string_view text);

// True if `rate` may be used on an invoice issued on `issue_date` (only the reduced rate has
// time limits: kReducedRateWindows).
bool VatRateAllowedOn(const VatRate& rate, absl::CivilDay issue_date);

}  // namespace einvoice

#endif  // EINVOICE_RULES_VAT_RATE_H_
