#include "rules/vat_rate.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::StatusIs;

Decimal D(absl::string_view s) { return Decimal::Parse(s).value(); }

TEST(VatRateTest, OfficialRates) {
  struct Case {
    const char* text;
    VatRate::Kind kind;
    const char* percent;
  };
  const Case cases[] = {
      {"0%", VatRate::Kind::kStandard, "0"},
      {"5%", VatRate::Kind::kStandard, "5"},
      {"8%", VatRate::Kind::kStandard, "8"},
      {"10%", VatRate::Kind::kStandard, "10"},
      {"KCT", VatRate::Kind::kNotSubject, "0"},
      {"KKKNT", VatRate::Kind::kNotDeclared, "0"},
      {"KHAC:5.26%", VatRate::Kind::kOther, "5.26"},
      {"KHAC:12.5%", VatRate::Kind::kOther, "12.5"},
      {"KHAC:7%", VatRate::Kind::kOther, "7"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<VatRate> rate = ParseVatRate(c.text);
    ASSERT_TRUE(rate.ok()) << c.text << ": " << rate.status();
    EXPECT_EQ(rate->kind, c.kind) << c.text;
    EXPECT_EQ(rate->percent, D(c.percent)) << c.text;
    EXPECT_EQ(rate->text, c.text);
  }
}

TEST(VatRateTest, UnknownRates) {
  for (const char* bad : {"", "8", "7%", "8 %", " 8%", "8.0%", "kct", "KHAC", "KHAC:", "KHAC:%",
                          "KHAC:5.266%", "KHAC:100%", "KHAC:-5%", "KHAC:-0%", "KHAC:5,26%",
                          "KHAC:5.26", "10%%", "KKKNT "}) {
    EXPECT_THAT(ParseVatRate(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(VatRateTest, EqualityIgnoresSpelling) {
  EXPECT_EQ(ParseVatRate("KHAC:5.2%").value(), ParseVatRate("KHAC:5.20%").value());
  EXPECT_FALSE(ParseVatRate("KCT").value() == ParseVatRate("KKKNT").value());
  EXPECT_FALSE(ParseVatRate("KCT").value() == ParseVatRate("0%").value());
  EXPECT_FALSE(ParseVatRate("KHAC:8%").value() == ParseVatRate("8%").value());
}

TEST(VatRateTest, ReducedRateInForceThrough2026) {
  const VatRate eight = ParseVatRate("8%").value();
  EXPECT_TRUE(eight.is_reduced_rate());
  EXPECT_TRUE(VatRateAllowedOn(eight, absl::CivilDay(2026, 12, 31)));
  EXPECT_FALSE(VatRateAllowedOn(eight, absl::CivilDay(2027, 1, 1)));
  // The windows the decrees opened, and the gap between them.
  EXPECT_FALSE(VatRateAllowedOn(eight, absl::CivilDay(2022, 1, 31)));
  EXPECT_TRUE(VatRateAllowedOn(eight, absl::CivilDay(2022, 2, 1)));
  EXPECT_TRUE(VatRateAllowedOn(eight, absl::CivilDay(2022, 12, 31)));
  EXPECT_FALSE(VatRateAllowedOn(eight, absl::CivilDay(2023, 1, 1)));
  EXPECT_FALSE(VatRateAllowedOn(eight, absl::CivilDay(2023, 6, 30)));
  EXPECT_TRUE(VatRateAllowedOn(eight, absl::CivilDay(2023, 7, 1)));
  EXPECT_TRUE(VatRateAllowedOn(eight, absl::CivilDay(2024, 6, 30)));
  EXPECT_TRUE(VatRateAllowedOn(eight, absl::CivilDay(2025, 7, 1)));
  const VatRate ten = ParseVatRate("10%").value();
  EXPECT_FALSE(ten.is_reduced_rate());
  EXPECT_TRUE(VatRateAllowedOn(ten, absl::CivilDay(2030, 1, 1)));
  EXPECT_FALSE(ParseVatRate("KHAC:8%").value().is_reduced_rate());
}

}  // namespace
}  // namespace einvoice
