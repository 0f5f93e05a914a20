// examples/invoice.json is what docs/cli.md tells people to submit: it must stay valid.
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/decimal.h"
#include "rules/invoice_validator.h"
#include "rules/tax_code.h"
#include "rules/totals_calculator.h"
#include "tests/testing/status_matchers.h"
#include "tools/cli/proto_io.h"

namespace einvoice {
namespace {

TEST(ExampleInvoiceTest, ValidatesWithoutViolations) {
  ASSERT_OK_AND_ASSIGN(v1::Invoice invoice, cli::ReadInvoiceJson(EINVOICE_EXAMPLE_INVOICE));
  const std::vector<Violation> violations = ValidateInvoice(invoice, absl::CivilDay(2026, 11, 22));
  for (const Violation& violation : violations) ADD_FAILURE() << DebugString(violation);
  EXPECT_TRUE(violations.empty());
}

TEST(ExampleInvoiceTest, HasWhatTheDocsPromise) {
  ASSERT_OK_AND_ASSIGN(v1::Invoice invoice, cli::ReadInvoiceJson(EINVOICE_EXAMPLE_INVOICE));
  EXPECT_EQ(invoice.issue_date(), "2026-11-20");
  EXPECT_EQ(invoice.symbol(), "C26TAA");
  EXPECT_EQ(invoice.template_code(), "1");
  EXPECT_EQ(invoice.currency(), "VND");
  EXPECT_EQ(invoice.seller().tax_code().size(), 10u);
  std::set<std::string> rates;
  for (const v1::LineItem& line : invoice.lines()) rates.insert(line.vat_rate());
  EXPECT_EQ(rates, (std::set<std::string>{"0%", "8%", "10%"}));
}

TEST(ExampleInvoiceTest, TotalsAreExactlyWhatTheLinesImply) {
  // Exact, not within the validator's rounding tolerance.
  ASSERT_OK_AND_ASSIGN(v1::Invoice invoice, cli::ReadInvoiceJson(EINVOICE_EXAMPLE_INVOICE));
  v1::Invoice recomputed = invoice;
  ASSERT_OK(FillTotals(&recomputed));
  EXPECT_EQ(recomputed.SerializeAsString(), invoice.SerializeAsString())
      << "FillTotals would write:\n"
      << recomputed.totals().DebugString();
}

}  // namespace
}  // namespace einvoice
