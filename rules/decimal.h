// Decimal: an exact signed decimal number with 6 fraction digits, for money, quantities and
// rates on invoices (never binary floating point).
//
// Values are stored as an absl::int128 count of millionths. Every Decimal has at most 27
// integer digits (|value| <= 10^27); every operation that could leave that range reports it
// (absl::StatusCode::kOutOfRange) instead of wrapping, so arithmetic on untrusted input is
// never undefined behaviour. Parsed values have at most 21 digits, so sums of millions of
// parsed values stay far inside the range; products of two parsed values may not.
//
// Plain value type; thread-compatible (const methods may be called concurrently).
#ifndef EINVOICE_RULES_DECIMAL_H_
#define EINVOICE_RULES_DECIMAL_H_

#include <cstdint>
#include <iosfwd>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace einvoice {

// Limits of the textual format accepted by Decimal::Parse. The defaults are the official
// number format of the invoice (domain brief §1): at most 21 digits, at most 6 after the '.'.
struct DecimalFormat {
  // Maximum number of digits in all (integer + fraction part, leading zeros included).
  int max_digits = 21;
  // Maximum number of digits before the '.'.
  int max_integer_digits = 21;
  // Maximum number of digits after the '.' (0..6).
  int max_fraction_digits = 6;
};

class Decimal {
 public:
  // Number of fraction digits kept exactly.
  static constexpr int kFractionDigits = 6;

  // Zero.
  constexpr Decimal() = default;

  // Parses the official number format: an optional '-', one or more digits, and optionally a
  // '.' followed by 1..`format.max_fraction_digits` digits; at most `format.max_digits` digits
  // in all. Rejects (InvalidArgument, with a message naming the problem) an empty string, a
  // '+' sign, spaces, ',' (neither thousands separators nor a decimal comma), exponents
  // ("1e5"), a missing integer part (".5"), a dangling '.' ("5."), too many fraction digits,
  // too many digits, and any other character. "-0" parses as 0.
  static absl::StatusOr<Decimal> Parse(absl::string_view text, const DecimalFormat& format = {});

  // An integer value (always in range).
  static Decimal FromInt(int64_t value);

  // The canonical text: '-' for negatives, no leading zeros, no trailing fraction zeros and
  // no '.' for integers ("1200000", "0.5", "-3.25", "0"). Parse(ToString()) == *this.
  std::string ToString() const;

  // Exact sum / difference. OutOfRange if the result leaves the range.
  static absl::StatusOr<Decimal> Add(const Decimal& a, const Decimal& b);
  static absl::StatusOr<Decimal> Subtract(const Decimal& a, const Decimal& b);

  // a × b, rounded half away from zero to `decimals` (0..6) fraction digits in one step (no
  // double rounding). OutOfRange if the result leaves the range.
  static absl::StatusOr<Decimal> Multiply(const Decimal& a, const Decimal& b,
                                          int decimals = kFractionDigits);

  // `percent` % of `amount` (amount × percent / 100), rounded half away from zero to
  // `decimals` (0..6) fraction digits in one step. E.g. Percent(850000, 8, 0) == 68000.
  static absl::StatusOr<Decimal> Percent(const Decimal& amount, const Decimal& percent,
                                         int decimals = kFractionDigits);

  // This value rounded half away from zero to `decimals` (0..6) fraction digits
  // (2.5 -> 3, -2.5 -> -3). Never leaves the range.
  Decimal RoundHalfAwayFromZero(int decimals) const;

  // |value| and -value. Never leave the range (it is symmetric).
  Decimal Abs() const;
  Decimal operator-() const;

  // -1, 0 or 1.
  int sign() const { return raw_ < 0 ? -1 : (raw_ > 0 ? 1 : 0); }
  bool is_zero() const { return raw_ == 0; }
  bool is_negative() const { return raw_ < 0; }
  // True if the value has no fraction part.
  bool is_integer() const;

  // The value in millionths (exact).
  absl::int128 micros() const { return raw_; }

  friend bool operator==(const Decimal& a, const Decimal& b) { return a.raw_ == b.raw_; }
  friend bool operator!=(const Decimal& a, const Decimal& b) { return a.raw_ != b.raw_; }
  friend bool operator<(const Decimal& a, const Decimal& b) { return a.raw_ < b.raw_; }
  friend bool operator<=(const Decimal& a, const Decimal& b) { return a.raw_ <= b.raw_; }
  friend bool operator>(const Decimal& a, const Decimal& b) { return a.raw_ > b.raw_; }
  friend bool operator>=(const Decimal& a, const Decimal& b) { return a.raw_ >= b.raw_; }

 private:
  explicit Decimal(absl::int128 raw) : raw_(raw) {}

  absl::int128 raw_ = 0;
};

// For gtest and logging: prints ToString().
std::ostream& operator<<(std::ostream& os, const Decimal& d);

}  // namespace einvoice

#endif  // EINVOICE_RULES_DECIMAL_H_
