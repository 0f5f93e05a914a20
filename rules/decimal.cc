#include "rules/decimal.h"

#include <algorithm>
#include <ostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace einvoice {
namespace {

using absl::uint128;

constexpr uint64_t kPow10[] = {1ull,
                               10ull,
                               100ull,
                               1000ull,
                               10000ull,
                               100000ull,
                               1000000ull,
                               10000000ull,
                               100000000ull,
                               1000000000ull,
                               10000000000ull,
                               100000000000ull,
                               1000000000000ull,
                               10000000000000ull,
                               100000000000000ull,
                               1000000000000000ull,
                               10000000000000000ull,
                               100000000000000000ull,
                               1000000000000000000ull};

constexpr uint64_t kScale = kPow10[Decimal::kFractionDigits];

// Largest magnitude in millionths: 10^33 (10^27 units). A multiple of kScale, so rounding
// never leaves the range.
uint128 MaxMagnitude() {
  static const uint128 max = uint128(kPow10[18]) * kPow10[15];
  return max;
}

uint128 Magnitude(absl::int128 v) {
  return v < 0 ? uint128(0) - static_cast<uint128>(v) : static_cast<uint128>(v);
}

absl::int128 Signed(uint128 magnitude, bool negative) {
  // REQUIRES: magnitude <= MaxMagnitude(), so the conversion is exact.
  const absl::int128 v = static_cast<absl::int128>(magnitude);
  return negative ? -v : v;
}

// 256-bit unsigned value, least significant limb first.
struct U256 {
  uint64_t w[4] = {0, 0, 0, 0};
};

U256 Multiply128(uint128 a, uint128 b) {
  const uint64_t a0 = absl::Uint128Low64(a), a1 = absl::Uint128High64(a);
  const uint64_t b0 = absl::Uint128Low64(b), b1 = absl::Uint128High64(b);
  const uint128 p00 = uint128(a0) * b0, p01 = uint128(a0) * b1;
  const uint128 p10 = uint128(a1) * b0, p11 = uint128(a1) * b1;
  U256 r;
  r.w[0] = absl::Uint128Low64(p00);
  const uint128 mid = uint128(absl::Uint128High64(p00)) + absl::Uint128Low64(p01) +
                      absl::Uint128Low64(p10);
  r.w[1] = absl::Uint128Low64(mid);
  const uint128 mid2 = uint128(absl::Uint128High64(mid)) + absl::Uint128High64(p01) +
                       absl::Uint128High64(p10) + absl::Uint128Low64(p11);
  r.w[2] = absl::Uint128Low64(mid2);
  r.w[3] = absl::Uint128High64(mid2) + absl::Uint128High64(p11);
  return r;
}

// |a| × |b| / divisor rounded half away from zero, as a magnitude; false on overflow of
// `limit`.
bool MulDivRound(uint128 a, uint128 b, uint64_t divisor, uint128 limit, uint128* out) {
  const U256 p = Multiply128(a, b);
  U256 q;
  uint64_t rem = 0;
  for (int i = 3; i >= 0; --i) {
    const uint128 cur = (uint128(rem) << 64) | p.w[i];
    q.w[i] = absl::Uint128Low64(cur / divisor);
    rem = absl::Uint128Low64(cur % divisor);
  }
  if (q.w[3] != 0 || q.w[2] != 0) return false;
  uint128 result = absl::MakeUint128(q.w[1], q.w[0]);
  if (uint128(rem) * 2 >= divisor) result += 1;  // cannot wrap: result < 2^128 - 1 here
  if (result > limit) return false;
  *out = result;
  return true;
}

absl::Status OutOfRange(absl::string_view what) {
  return absl::OutOfRangeError(absl::StrCat("decimal ", what, " out of range (|x| > 10^27)"));
}

std::string Quote(absl::string_view text) {
  constexpr size_t kMax = 40;
  if (text.size() <= kMax) return absl::StrCat("\"", text, "\"");
  return absl::StrCat("\"", text.substr(0, kMax), "...\"");
}

std::string Uint128ToString(uint128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v != 0) {
    s.push_back(static_cast<char>('0' + absl::Uint128Low64(v % 10)));
    v /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

}  // namespace

absl::StatusOr<Decimal> Decimal::Parse(absl::string_view text, const DecimalFormat& format) {
  auto error = [&](absl::string_view reason) {
    return absl::InvalidArgumentError(absl::StrCat("invalid decimal ", Quote(text), ": ", reason));
  };
  if (text.empty()) return error("empty");
  size_t pos = 0;
  bool negative = false;
  if (text[0] == '+') return error("'+' sign is not allowed");
  if (text[0] == '-') {
    negative = true;
    pos = 1;
  }
  int integer_digits = 0, fraction_digits = 0;
  bool seen_point = false;
  uint128 integer = 0, fraction = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      if (seen_point) {
        ++fraction_digits;
        if (fraction_digits <= kFractionDigits) fraction = fraction * 10 + (c - '0');
      } else {
        ++integer_digits;
        if (integer_digits <= 21) integer = integer * 10 + (c - '0');
      }
      continue;
    }
    if (c == '.') {
      if (seen_point) return error("more than one '.'");
      if (integer_digits == 0) return error("digits are required before '.'");
      seen_point = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\xC2' /* NBSP lead */) {
      return error("spaces are not allowed");
    }
    if (c == ',') {
      return error("',' is not allowed: use '.' as the decimal separator, no thousands "
                   "separators");
    }
    if (c == 'e' || c == 'E') return error("exponent notation is not allowed");
    if (c == '+' || c == '-') return error("sign is only allowed as a leading '-'");
    return error(absl::StrCat("unexpected character at position ", i + 1));
  }
  if (integer_digits == 0) return error("no digits");
  if (seen_point && fraction_digits == 0) return error("'.' must be followed by digits");
  const int max_fraction = std::min(format.max_fraction_digits, kFractionDigits);
  if (fraction_digits > max_fraction) {
    return error(absl::StrCat("at most ", max_fraction, " digits after '.', got ",
                              fraction_digits));
  }
  if (integer_digits > format.max_integer_digits) {
    return error(absl::StrCat("at most ", format.max_integer_digits, " digits before '.', got ",
                              integer_digits));
  }
  if (integer_digits + fraction_digits > format.max_digits) {
    return error(absl::StrCat("at most ", format.max_digits, " digits in all, got ",
                              integer_digits + fraction_digits));
  }
  if (integer_digits > 21) return error("too many digits");  // custom formats above 21
  for (int i = fraction_digits; i < kFractionDigits; ++i) fraction *= 10;
  const uint128 magnitude = integer * kScale + fraction;  // <= 10^27: fits, in range
  return Decimal(Signed(magnitude, negative));
}

Decimal Decimal::FromInt(int64_t value) { return Decimal(absl::int128(value) * kScale); }

std::string Decimal::ToString() const {
  const uint128 m = Magnitude(raw_);
  std::string s = raw_ < 0 ? "-" : "";
  absl::StrAppend(&s, Uint128ToString(m / kScale));
  uint64_t frac = absl::Uint128Low64(m % kScale);
  if (frac != 0) {
    std::string digits(kFractionDigits, '0');
    for (int i = kFractionDigits - 1; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    while (digits.back() == '0') digits.pop_back();
    absl::StrAppend(&s, ".", digits);
  }
  return s;
}

absl::StatusOr<Decimal> Decimal::Add(const Decimal& a, const Decimal& b) {
  const absl::int128 sum = a.raw_ + b.raw_;  // |a|,|b| <= 10^33: no int128 overflow
  if (Magnitude(sum) > MaxMagnitude()) return OutOfRange("sum");
  return Decimal(sum);
}

absl::StatusOr<Decimal> Decimal::Subtract(const Decimal& a, const Decimal& b) {
  const absl::int128 diff = a.raw_ - b.raw_;
  if (Magnitude(diff) > MaxMagnitude()) return OutOfRange("difference");
  return Decimal(diff);
}

absl::StatusOr<Decimal> Decimal::Multiply(const Decimal& a, const Decimal& b, int decimals) {
  decimals = std::clamp(decimals, 0, kFractionDigits);
  const uint64_t rescale = kPow10[kFractionDigits - decimals];
  uint128 q;
  if (!MulDivRound(Magnitude(a.raw_), Magnitude(b.raw_), kScale * rescale,
                   MaxMagnitude() / rescale, &q)) {
    return OutOfRange("product");
  }
  return Decimal(Signed(q * rescale, (a.raw_ < 0) != (b.raw_ < 0)));
}

absl::StatusOr<Decimal> Decimal::Percent(const Decimal& amount, const Decimal& percent,
                                         int decimals) {
  decimals = std::clamp(decimals, 0, kFractionDigits);
  const uint64_t rescale = kPow10[kFractionDigits - decimals];
  uint128 q;
  if (!MulDivRound(Magnitude(amount.raw_), Magnitude(percent.raw_), kScale * 100 * rescale,
                   MaxMagnitude() / rescale, &q)) {
    return OutOfRange("percentage");
  }
  return Decimal(Signed(q * rescale, (amount.raw_ < 0) != (percent.raw_ < 0)));
}

Decimal Decimal::RoundHalfAwayFromZero(int decimals) const {
  decimals = std::clamp(decimals, 0, kFractionDigits);
  const uint64_t unit = kPow10[kFractionDigits - decimals];
  const uint128 m = Magnitude(raw_);
  uint128 q = m / unit;
  if ((m % unit) * 2 >= unit) q += 1;
  return Decimal(Signed(q * unit, raw_ < 0));
}

Decimal Decimal::Abs() const { return Decimal(raw_ < 0 ? -raw_ : raw_); }

Decimal Decimal::operator-() const { return Decimal(-raw_); }

bool Decimal::is_integer() const { return raw_ % absl::int128(kScale) == 0; }

std::ostream& operator<<(std::ostream& os, const Decimal& d) { return os << d.ToString(); }

}  // namespace einvoice
