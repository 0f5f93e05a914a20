#include "rules/vat_rate.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace einvoice {

bool VatRate::is_reduced_rate() const {
  return kind == Kind::kStandard && percent == Decimal::FromInt(8);
}

absl::StatusOr<VatRate> ParseVatRate(absl::string_view text) {
  VatRate rate;
  rate.text = std::string(text);
  if (text == "0%" || text == "5%" || text == "8%" || text == "10%") {
    rate.kind = VatRate::Kind::kStandard;
    rate.percent = Decimal::FromInt(text == "0%" ? 0 : text == "5%" ? 5 : text == "8%" ? 8 : 10);
    return rate;
  }
  if (text == "KCT") {
    rate.kind = VatRate::Kind::kNotSubject;
    return rate;
  }
  if (text == "KKKNT") {
    rate.kind = VatRate::Kind::kNotDeclared;
    return rate;
  }
  constexpr absl::string_view kOtherPrefix = "KHAC:";
  if (absl::StartsWith(text, kOtherPrefix) && absl::EndsWith(text, "%")) {
    const absl::string_view number =
        text.substr(kOtherPrefix.size(), text.size() - kOtherPrefix.size() - 1);
    absl::StatusOr<Decimal> percent = Decimal::Parse(
        number, DecimalFormat{.max_digits = 4, .max_integer_digits = 2, .max_fraction_digits = 2});
    if (percent.ok() && !absl::StartsWith(number, "-")) {
      rate.kind = VatRate::Kind::kOther;
      rate.percent = *percent;
      return rate;
    }
  }
  std::string shown(text.substr(0, 40));
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown VAT rate \"", shown,
      "\": expected 0%, 5%, 8%, 10%, KCT, KKKNT or KHAC:AB.CD%"));
}

bool VatRateAllowedOn(const VatRate& rate, absl::CivilDay issue_date) {
  if (!rate.is_reduced_rate()) return true;
  for (const ReducedRateWindow& window : kReducedRateWindows) {
    if (issue_date >= window.first && issue_date <= window.last) return true;
  }
  return false;
}

}  // namespace einvoice
