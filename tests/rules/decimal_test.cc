#include "rules/decimal.h"

#include <cstdint>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::StatusIs;
using ::testing::HasSubstr;

Decimal D(absl::string_view text) {
  absl::StatusOr<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status();
  return d.value_or(Decimal());
}

TEST(DecimalParseTest, AcceptsOfficialFormat) {
  EXPECT_EQ(D("0").ToString(), "0");
  EXPECT_EQ(D("-0").ToString(), "0");
  EXPECT_EQ(D("123").ToString(), "123");
  EXPECT_EQ(D("-1.5").ToString(), "-1.5");
  EXPECT_EQ(D("0.000001").ToString(), "0.000001");
  EXPECT_EQ(D("007").ToString(), "7");
  EXPECT_EQ(D("1.500000").ToString(), "1.5");
  EXPECT_EQ(D("123456789012345678901").ToString(), "123456789012345678901");  // 21 digits
  EXPECT_EQ(D("-123456789012345.123456").ToString(), "-123456789012345.123456");
}

struct BadCase {
  const char* text;
  const char* message;
};

TEST(DecimalParseTest, RejectsEverythingElseWithASpecificMessage) {
  const BadCase cases[] = {
      {"", "empty"},
      {"+1", "'+' sign"},
      {" 1", "spaces"},
      {"1 000", "spaces"},
      {"1,000", "','"},
      {"1,5", "','"},
      {"1e5", "exponent"},
      {"1E5", "exponent"},
      {".5", "before '.'"},
      {"5.", "followed by digits"},
      {"1.2.3", "more than one '.'"},
      {"1.1234567", "at most 6 digits after '.'"},
      {"1234567890123456789012", "at most 21 digits"},
      {"123456789012345678.1234", "at most 21 digits in all"},
      {"-", "no digits"},
      {"--1", "sign"},
      {"1-", "sign"},
      {"abc", "unexpected character"},
      {"1\xC2\xA0" "000", "spaces"},
  };
  for (const BadCase& c : cases) {
    EXPECT_THAT(Decimal::Parse(c.text),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.text;
  }
}

TEST(DecimalParseTest, CustomFormatLimits) {
  const DecimalFormat rate{.max_digits = 9, .max_integer_digits = 7, .max_fraction_digits = 2};
  EXPECT_TRUE(Decimal::Parse("1234567.89", rate).ok());
  EXPECT_THAT(Decimal::Parse("12345678", rate),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("before '.'")));
  EXPECT_THAT(Decimal::Parse("1.234", rate),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("after '.'")));
}

TEST(DecimalTest, ToStringRoundTrips) {
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 1000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const std::string text = (i % 2 ? "-" : "") + std::to_string(x % 1000000000000ull) + "." +
                             std::to_string(x % 999983 + 1);
    const Decimal d = D(text);
    EXPECT_EQ(D(d.ToString()), d) << text;
  }
}

TEST(DecimalTest, AddAndSubtract) {
  EXPECT_EQ(Decimal::Add(D("1.25"), D("2.75")).value(), D("4"));
  EXPECT_EQ(Decimal::Subtract(D("1"), D("2.5")).value(), D("-1.5"));
  EXPECT_EQ(Decimal::Add(D("-0.000001"), D("0.000001")).value().ToString(), "0");
}

TEST(DecimalTest, OverflowIsReportedNotUndefined) {
  const Decimal big = D("999999999999999999999");  // 21 nines
  EXPECT_THAT(Decimal::Multiply(big, big), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(Decimal::Multiply(big, -big), StatusIs(absl::StatusCode::kOutOfRange));
  // 10^27 is the largest magnitude.
  const Decimal max = Decimal::Multiply(D("100000000000000000000"), D("10000000")).value();
  EXPECT_EQ(max.ToString(), "1000000000000000000000000000");
  EXPECT_THAT(Decimal::Add(max, D("0.000001")), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(Decimal::Subtract(-max, D("1")), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_TRUE(Decimal::Subtract(max, D("1")).ok());
  EXPECT_THAT(Decimal::Percent(max, D("200")), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_EQ(max.RoundHalfAwayFromZero(0), max);
  EXPECT_EQ((-max).Abs(), max);
}

TEST(DecimalTest, MultiplyRoundsOnceHalfAwayFromZero) {
  EXPECT_EQ(Decimal::Multiply(D("1.5"), D("2")).value(), D("3"));
  EXPECT_EQ(Decimal::Multiply(D("10"), D("85000.1")).value(), D("850001"));
  EXPECT_EQ(Decimal::Multiply(D("0.000001"), D("0.000001")).value(), D("0"));
  EXPECT_EQ(Decimal::Multiply(D("0.000005"), D("0.1")).value(), D("0.000001"));
  EXPECT_EQ(Decimal::Multiply(D("-0.000005"), D("0.1")).value(), D("-0.000001"));
  EXPECT_EQ(Decimal::Multiply(D("2.5"), D("1"), 0).value(), D("3"));
  EXPECT_EQ(Decimal::Multiply(D("-2.5"), D("1"), 0).value(), D("-3"));
  EXPECT_EQ(Decimal::Multiply(D("2.5"), D("10.25"), 2).value(), D("25.63"));
  // One rounding step, not two: 0.4999995 rounds to 0, not (0.500000 ->) 1.
  EXPECT_EQ(Decimal::Multiply(D("0.999999"), D("0.5"), 0).value(), D("0"));  // 0.4999995
}

TEST(DecimalTest, Percent) {
  EXPECT_EQ(Decimal::Percent(D("850000"), D("8"), 0).value(), D("68000"));
  EXPECT_EQ(Decimal::Percent(D("1234567"), D("5.26"), 0).value(), D("64938"));
  EXPECT_EQ(Decimal::Percent(D("12345"), D("10"), 0).value(), D("1235"));  // 1234.5
  EXPECT_EQ(Decimal::Percent(D("-12345"), D("10"), 0).value(), D("-1235"));
  EXPECT_EQ(Decimal::Percent(D("99.99"), D("8"), 2).value(), D("8"));  // 7.9992
  EXPECT_EQ(Decimal::Percent(D("1"), D("0")).value(), D("0"));
}

TEST(DecimalTest, RoundHalfAwayFromZero) {
  EXPECT_EQ(D("2.5").RoundHalfAwayFromZero(0), D("3"));
  EXPECT_EQ(D("-2.5").RoundHalfAwayFromZero(0), D("-3"));
  EXPECT_EQ(D("2.499999").RoundHalfAwayFromZero(0), D("2"));
  EXPECT_EQ(D("1.005").RoundHalfAwayFromZero(2), D("1.01"));
  EXPECT_EQ(D("-1.005").RoundHalfAwayFromZero(2), D("-1.01"));
  EXPECT_EQ(D("1.004999").RoundHalfAwayFromZero(2), D("1"));
  EXPECT_EQ(D("7").RoundHalfAwayFromZero(6), D("7"));
}

TEST(DecimalTest, ComparisonSignAbs) {
  EXPECT_LT(D("-1"), D("0"));
  EXPECT_LT(D("0.000001"), D("0.00001"));
  EXPECT_GT(D("10"), D("9.999999"));
  EXPECT_EQ(D("1.0"), D("1"));
  EXPECT_NE(D("1"), D("-1"));
  EXPECT_EQ(D("-3.5").Abs(), D("3.5"));
  EXPECT_EQ(-D("3.5"), D("-3.5"));
  EXPECT_EQ(D("-3.5").sign(), -1);
  EXPECT_EQ(D("0").sign(), 0);
  EXPECT_TRUE(D("3").is_integer());
  EXPECT_FALSE(D("3.1").is_integer());
  EXPECT_EQ(Decimal::FromInt(-42).ToString(), "-42");
}

}  // namespace
}  // namespace einvoice
