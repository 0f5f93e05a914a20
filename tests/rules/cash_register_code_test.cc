// The cash-register invoice code: its grammar, and agreement with the invoice it names.
#include "rules/cash_register_code.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/violation_catalogue.h"
#include "tests/rules/support/test_invoices.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// BaselineInvoice: template 1, issued 2026-11-20.
TEST(CashRegisterCodeTest, Grammar) {
  EXPECT_TRUE(IsCashRegisterCode("M1-26-ABCDE-00000000001"));
  EXPECT_TRUE(IsCashRegisterCode("M2-25-X1Y2Z-00000000070"));
  EXPECT_TRUE(IsCashRegisterCode("M6-99-00000-99999999999"));
  for (const char* bad : {
           "",                           // empty
           "M1-26-ABCDE-0000000001",     // 10 digits
           "M1-26-ABCDE-000000000001",   // 12 digits
           "N1-26-ABCDE-00000000001",    // not M
           "M0-26-ABCDE-00000000001",    // template 0
           "M7-26-ABCDE-00000000001",    // template 7
           "M1-2X-ABCDE-00000000001",    // year not digits
           "M1-26-abcde-00000000001",    // lower case
           "M1-26-AB-DE-00000000001",    // '-' inside the register part
           "M1_26-ABCDE-00000000001",    // wrong separator
           "M1-26-ABCDE-0000000000A",    // letter in the number
           "00FE2FCA280CF74806BE839368A7C4AE25",  // the authority's code
       }) {
    EXPECT_FALSE(IsCashRegisterCode(bad)) << bad;
  }
}

TEST(CashRegisterCodeTest, AMatchingCodeHasNoViolation) {
  EXPECT_THAT(CheckCashRegisterCode("M1-26-ABCDE-00000000001", BaselineInvoice(), "code"),
              IsEmpty());
}

TEST(CashRegisterCodeTest, AMalformedCodeIsAFormatViolationNamingIt) {
  EXPECT_THAT(CheckCashRegisterCode("M1-26-ABC", BaselineInvoice(), "code"),
              ElementsAre(AllOf(Field(&Violation::code, "20309"),
                                Field(&Violation::rule, "cash_register.code_format"),
                                Field(&Violation::field, "code"),
                                Field(&Violation::message_en, HasSubstr("\"M1-26-ABC\"")))));
  // What is echoed is bounded whatever was sent.
  const std::vector<Violation> long_one =
      CheckCashRegisterCode(std::string(10000, 'M'), BaselineInvoice(), "code");
  ASSERT_EQ(long_one.size(), 1u);
  EXPECT_LT(long_one[0].message_en.size(), 200u);
}

TEST(CashRegisterCodeTest, TemplateAndYearMustBeTheInvoices) {
  EXPECT_THAT(CheckCashRegisterCode("M2-26-ABCDE-00000000001", BaselineInvoice(), "code"),
              ElementsAre(AllOf(Field(&Violation::rule, "cash_register.code_mismatch"),
                                Field(&Violation::message_en, HasSubstr("template 2")))));
  EXPECT_THAT(CheckCashRegisterCode("M1-25-ABCDE-00000000001", BaselineInvoice(), "code"),
              ElementsAre(AllOf(Field(&Violation::rule, "cash_register.code_mismatch"),
                                Field(&Violation::message_en, HasSubstr("year 25")))));
  // An unreadable issue date is ValidateInvoice's to report, not this check's.
  v1::Invoice undated = BaselineInvoice();
  undated.set_issue_date("someday");
  EXPECT_THAT(CheckCashRegisterCode("M1-25-ABCDE-00000000001", undated, "code"), IsEmpty());
}

}  // namespace
}  // namespace einvoice
