#include "rules/totals_calculator.h"

#include "common/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/invoice_validator.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::kBaselineToday;
using ::einvoice::testing::RandomValidInvoice;
using ::einvoice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Decimal D(absl::string_view s) { return Decimal::Parse(s).value(); }

TEST(TotalsCalculatorTest, CurrencyPrecision) {
  EXPECT_EQ(CurrencyDecimals("VND"), 0);
  EXPECT_EQ(CurrencyDecimals("USD"), 2);
  EXPECT_EQ(CurrencyUnit("VND"), D("1"));
  EXPECT_EQ(CurrencyUnit("EUR"), D("0.01"));
}

TEST(TotalsCalculatorTest, LineAmount) {
  EXPECT_EQ(ComputeLineAmount(D("10"), D("85000"), D("0"), 0).value(), D("850000"));
  EXPECT_EQ(ComputeLineAmount(D("3"), D("1000"), D("500"), 0).value(), D("2500"));
  EXPECT_EQ(ComputeLineAmount(D("1.5"), D("333"), D("0"), 0).value(), D("500"));  // 499.5
  EXPECT_EQ(ComputeLineAmount(D("2.5"), D("10.25"), D("0"), 2).value(), D("25.63"));
}

TEST(TotalsCalculatorTest, ComputesBaselineTotals) {
  ASSERT_OK_AND_ASSIGN(ComputedTotals t, ComputeTotals(BaselineInvoice()));
  ASSERT_EQ(t.rates.size(), 3u);
  EXPECT_EQ(t.rates[0].rate.text, "8%");
  EXPECT_EQ(t.rates[0].taxable, D("850000"));
  EXPECT_EQ(t.rates[0].tax, D("68000"));
  EXPECT_EQ(t.rates[1].tax, D("120000"));
  EXPECT_EQ(t.rates[2].rate.text, "KCT");
  EXPECT_EQ(t.rates[2].tax, D("0"));
  EXPECT_EQ(t.total_before_tax, D("2186500"));
  EXPECT_EQ(t.total_tax, D("188000"));
  EXPECT_EQ(t.total_payable, D("2374500"));
  EXPECT_EQ(t.total_trade_discount, D("0"));
}

TEST(TotalsCalculatorTest, FillTotalsReproducesTheBaseline) {
  const v1::Invoice baseline = BaselineInvoice();
  v1::Invoice invoice = baseline;
  invoice.clear_totals();
  for (auto& line : *invoice.mutable_lines()) line.clear_amount();
  ASSERT_OK(FillTotals(&invoice));
  EXPECT_EQ(invoice.SerializeAsString(), baseline.SerializeAsString())
      << invoice.DebugString();
}

TEST(TotalsCalculatorTest, TradeDiscountLinesAreSubtractedAndNotesIgnored) {
  v1::Invoice invoice = BaselineInvoice();
  v1::LineItem* discount = invoice.add_lines();
  discount->set_nature(v1::LINE_NATURE_TRADE_DISCOUNT);
  discount->set_name("Chiết khấu thương mại");
  discount->set_amount("200000");
  discount->set_vat_rate("10%");
  v1::LineItem* note = invoice.add_lines();
  note->set_nature(v1::LINE_NATURE_NOTE);
  note->set_name("Ghi chú");
  note->set_amount("999999");  // ignored
  ASSERT_OK(FillTotals(&invoice));
  const v1::Totals& t = invoice.totals();
  ASSERT_EQ(t.rate_summaries_size(), 3);
  EXPECT_EQ(t.rate_summaries(1).taxable_amount(), "1000000");
  EXPECT_EQ(t.rate_summaries(1).tax_amount(), "100000");
  EXPECT_EQ(t.total_before_tax(), "1986500");
  EXPECT_EQ(t.total_tax(), "168000");
  EXPECT_EQ(t.total_trade_discount(), "200000");
  EXPECT_EQ(t.total_payable(), "2154500");
  EXPECT_THAT(ValidateInvoice(invoice, kBaselineToday), IsEmpty());
}

// Fees (DSLPhi/LPhi) count in the total payable; FillTotals keeps them as inputs.
TEST(TotalsCalculatorTest, FeesCountInThePayableTotalAndAreKept) {
  v1::Invoice invoice = BaselineInvoice();
  v1::Fee* fee = invoice.mutable_totals()->add_fees();
  fee->set_name("Phí bảo vệ môi trường");
  fee->set_amount("20000.5");
  ASSERT_OK_AND_ASSIGN(ComputedTotals t, ComputeTotals(invoice));
  EXPECT_EQ(t.total_fees, D("20000.5"));
  EXPECT_EQ(t.total_payable, D("2394500.5"));
  ASSERT_OK(FillTotals(&invoice));
  ASSERT_EQ(invoice.totals().fees_size(), 1);
  EXPECT_EQ(invoice.totals().fees(0).name(), "Phí bảo vệ môi trường");
  EXPECT_EQ(invoice.totals().total_payable(), "2394500.5");
  invoice.mutable_totals()->mutable_fees(0)->set_amount("x");
  EXPECT_THAT(ComputeTotals(invoice).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("totals.fees[0].amount")));
}

TEST(TotalsCalculatorTest, ForeignCurrencyRoundsToCents) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.set_currency("USD");
  invoice.set_exchange_rate("25400");
  invoice.mutable_lines(0)->set_quantity("2.5");
  invoice.mutable_lines(0)->set_unit_price("10.25");
  ASSERT_OK(FillTotals(&invoice));
  EXPECT_EQ(invoice.lines(0).amount(), "25.63");
  EXPECT_EQ(invoice.totals().rate_summaries(0).tax_amount(), "2.05");  // 2.0504
  EXPECT_THAT(invoice.totals().total_payable_in_words(), HasSubstr("USD"));
  EXPECT_THAT(ValidateInvoice(invoice, kBaselineToday), IsEmpty());
}

TEST(TotalsCalculatorTest, ErrorsNameTheField) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_lines(1)->set_vat_rate("9%");
  EXPECT_THAT(FillTotals(&invoice),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("lines[1].vat_rate")));
  invoice = BaselineInvoice();
  invoice.mutable_lines(2)->set_unit_price("1e5");
  EXPECT_THAT(FillTotals(&invoice),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("lines[2].unit_price")));
  invoice = BaselineInvoice();
  invoice.mutable_lines(0)->set_quantity("999999999999999999999");
  invoice.mutable_lines(0)->set_unit_price("999999999999999999999");
  EXPECT_THAT(FillTotals(&invoice), StatusIs(absl::StatusCode::kOutOfRange));
}

TEST(TotalsCalculatorTest, RandomValidInvoicesAreValidAndDeterministic) {
  for (uint64_t seed = 0; seed < 300; ++seed) {
    const v1::Invoice invoice = RandomValidInvoice(seed);
    ASSERT_GE(invoice.lines_size(), 1);
    ASSERT_LE(invoice.lines_size(), 21);
    EXPECT_THAT(ValidateInvoice(invoice, kBaselineToday), IsEmpty()) << invoice.DebugString();
    EXPECT_EQ(invoice.SerializeAsString(), RandomValidInvoice(seed).SerializeAsString());
  }
  // After the reduced rate ends the generator stops using 8%.
  testing::RandomInvoiceOptions options;
  options.issue_day = absl::CivilDay(2027, 3, 1);
  for (uint64_t seed = 0; seed < 100; ++seed) {
    const v1::Invoice invoice = RandomValidInvoice(seed, options);
    EXPECT_EQ(invoice.symbol().substr(0, 3), "C27");
    EXPECT_THAT(ValidateInvoice(invoice, absl::CivilDay(2027, 3, 1)), IsEmpty())
        << invoice.DebugString();
  }
}

struct WordsCase {
  const char* amount;
  const char* currency;
  const char* words;
};

TEST(AmountInWordsTest, Vietnamese) {
  const WordsCase cases[] = {
      {"0", "VND", "Không đồng"},
      {"5", "VND", "Năm đồng"},
      {"10", "VND", "Mười đồng"},
      {"15", "VND", "Mười lăm đồng"},
      {"21", "VND", "Hai mươi mốt đồng"},
      {"24", "VND", "Hai mươi tư đồng"},
      {"25", "VND", "Hai mươi lăm đồng"},
      {"105", "VND", "Một trăm linh năm đồng"},
      {"110", "VND", "Một trăm mười đồng"},
      {"10000", "VND", "Mười nghìn đồng"},
      {"1200000", "VND", "Một triệu hai trăm nghìn đồng"},
      {"2374500", "VND", "Hai triệu ba trăm bảy mươi tư nghìn năm trăm đồng"},
      {"1000005", "VND", "Một triệu không trăm linh năm đồng"},
      {"2050000", "VND", "Hai triệu không trăm năm mươi nghìn đồng"},
      {"1000000000", "VND", "Một tỷ đồng"},
      {"1001000000000", "VND", "Một nghìn không trăm linh một tỷ đồng"},
      {"1000000000000000", "VND", "Một triệu tỷ đồng"},
      {"3000000001", "VND", "Ba tỷ không trăm linh một đồng"},
      {"-5000", "VND", "Âm năm nghìn đồng"},
      {"12.5", "USD", "Mười hai phẩy năm USD"},
      {"12.05", "USD", "Mười hai phẩy không năm USD"},
      {"0.75", "EUR", "Không phẩy bảy mươi lăm EUR"},
  };
  for (const WordsCase& c : cases) {
    EXPECT_EQ(AmountInWords(D(c.amount), c.currency), c.words) << c.amount;
  }
}

}  // namespace
}  // namespace einvoice
