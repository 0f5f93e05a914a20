// The invoice's arithmetic (domain brief §1 "Totals"), shared by the validator (compare what
// the seller wrote with what it should be) and by invoice generators (tests, benchmarks) that
// need invoices whose totals add up.
//
//   line amount      = quantity × unit_price − discount_amount   (rounded to the currency)
//   taxable per rate = Σ amounts of the lines at that rate, trade-discount lines (nature 3)
//                      subtracted, note lines (nature 4) ignored
//   tax per rate     = taxable × rate, rounded half away from zero to the currency's
//                      precision (0 decimals for VND, 2 otherwise)
//   total_before_tax = Σ taxable;   total_tax = Σ tax
//   total_payable    = before + tax + Σ totals.fees[].amount   (DSLPhi/LPhi, v2.1.0)
//   total_trade_discount = Σ amounts of trade-discount lines
//
// Pure functions; thread-safe.
#ifndef EINVOICE_RULES_TOTALS_CALCULATOR_H_
#define EINVOICE_RULES_TOTALS_CALCULATOR_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "einvoice/v1/invoice.pb.h"
#include "rules/decimal.h"
#include "rules/vat_rate.h"

namespace einvoice {

// Fraction digits amounts are rounded to: 0 for "VND", 2 for any other currency.
int CurrencyDecimals(absl::string_view currency);

// The smallest amount of the currency: 1 for VND, 0.01 otherwise (the rounding tolerance).
Decimal CurrencyUnit(absl::string_view currency);

// quantity × unit_price − discount_amount, rounded to `decimals`. OutOfRange on overflow.
absl::StatusOr<Decimal> ComputeLineAmount(const Decimal& quantity, const Decimal& unit_price,
                                          const Decimal& discount_amount, int decimals);

// The summary of one VAT rate.
struct RateTotal {
  VatRate rate;          // text = as first written on a line
  Decimal taxable;       // Σ line amounts at this rate (trade discounts subtracted)
  Decimal tax;           // taxable × rate, rounded to the currency
  int line_count = 0;    // lines at this rate (trade-discount lines included, notes not)
};

struct ComputedTotals {
  std::vector<RateTotal> rates;  // in order of first use by a line
  Decimal total_before_tax;
  Decimal total_tax;
  Decimal total_trade_discount;
  Decimal total_fees;  // Σ totals.fees[].amount
  Decimal total_payable;
};

// Computes the totals from the lines' `amount` and `vat_rate` fields and the fees' `amount`
// as written (it does not recompute line amounts). InvalidArgument if a non-note line has an
// unparseable amount or rate, or an unknown nature, or a fee an unparseable amount;
// OutOfRange on overflow.
absl::StatusOr<ComputedTotals> ComputeTotals(const v1::Invoice& invoice);

// For generators: sets each non-note line's `amount` from quantity, unit_price and
// discount_amount when quantity and unit_price are both given, then replaces `totals` (all but
// its `fees`, which are kept as inputs) with ComputeTotals() (one summary per rate in order of first use, canonical decimal strings,
// total_trade_discount always set, total_payable_in_words from AmountInWords()). Errors as
// ComputeTotals(); `invoice` is unspecified after an error.
absl::Status FillTotals(v1::Invoice* invoice);

// An amount in Vietnamese words, capitalised, as invoices print it:
//   1200000 VND -> "Một triệu hai trăm nghìn đồng"
//   2374500 VND -> "Hai triệu ba trăm bảy mươi tư nghìn năm trăm đồng"
//   -5000 VND   -> "Âm năm nghìn đồng"
//   12.5 USD    -> "Mười hai phẩy năm USD"
// "VND" is read "đồng"; other currencies keep their code.
std::string AmountInWords(const Decimal& amount, absl::string_view currency);

}  // namespace einvoice

#endif  // EINVOICE_RULES_TOTALS_CALCULATOR_H_
