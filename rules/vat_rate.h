// VAT rates (TSuat) as written on invoices, per the domain brief §1: "0%", "5%", "8%",
// "10%", "KCT" (not subject to VAT), "KKKNT" (not declared or paid) and "KHAC:AB.CD%"
// (another rate: 1–2 integer digits, optionally '.' and 1–2 decimals, e.g. "KHAC:5.26%").
//
// 8% is the temporary reduced rate, in force through 2026-12-31 (kReducedRateLastDay).
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

// The last issue date on which the temporary reduced rate of 8% may be used.
inline constexpr absl::CivilDay kReducedRateLastDay(2026, 12, 31);

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
// a time limit).
bool VatRateAllowedOn(const VatRate& rate, absl::CivilDay issue_date);

}  // namespace einvoice

#endif  // EINVOICE_RULES_VAT_RATE_H_
