#include "rules/tax_code.h"

#include <string>

#include "gtest/gtest.h"

namespace einvoice {
namespace {

TEST(TaxCodeTest, BriefWorkedExamplesAreValid) {
  EXPECT_EQ(CheckTaxCode("0100047516"), TaxCodeProblem::kOk);
  EXPECT_EQ(CheckTaxCode("0101243150"), TaxCodeProblem::kOk);
  EXPECT_EQ(TaxCodeCheckDigit("010004751"), '6');
  EXPECT_EQ(TaxCodeCheckDigit("010124315"), '0');  // remainder 10 -> check digit 0
}

TEST(TaxCodeTest, WrongCheckDigit) {
  EXPECT_EQ(CheckTaxCode("0100047517"), TaxCodeProblem::kBadCheckDigit);
  EXPECT_EQ(CheckTaxCode("0101243151"), TaxCodeProblem::kBadCheckDigit);
}

TEST(TaxCodeTest, RemainderZeroMeansNoValidCode) {
  // Find nine digits whose weighted sum is divisible by 11: no tenth digit makes them valid.
  std::string nine;
  for (int n = 1010000; n < 1100000; ++n) {
    const std::string candidate = "01" + std::to_string(n);
    if (!TaxCodeCheckDigit(candidate).has_value()) {
      nine = candidate;
      break;
    }
  }
  ASSERT_EQ(nine.size(), 9u);
  for (char d = '0'; d <= '9'; ++d) {
    EXPECT_EQ(CheckTaxCode(nine + d), TaxCodeProblem::kBadCheckDigit) << nine << d;
  }
  EXPECT_FALSE(CompleteTaxCode(nine).has_value());
}

TEST(TaxCodeTest, BranchCodes) {
  EXPECT_EQ(CheckTaxCode("0100109106-001"), TaxCodeProblem::kOk);
  EXPECT_EQ(ClassifyTaxCode("0100109106-001"), TaxCodeKind::kBranch);
  EXPECT_EQ(CheckTaxCode("0100109106-000"), TaxCodeProblem::kBadBranch);
  EXPECT_EQ(CheckTaxCode("0100109107-001"), TaxCodeProblem::kBadCheckDigit);
  EXPECT_EQ(CheckTaxCode("0100109106-01"), TaxCodeProblem::kBadFormat);
  EXPECT_EQ(CheckTaxCode("0100109106_001"), TaxCodeProblem::kBadFormat);
  EXPECT_EQ(CheckTaxCode("0100109106-0a1"), TaxCodeProblem::kBadFormat);
}

TEST(TaxCodeTest, PersonalIdsAreAcceptedWithoutCheckDigit) {
  EXPECT_EQ(CheckTaxCode("001234567890"), TaxCodeProblem::kOk);
  EXPECT_EQ(CheckTaxCode("079123456789"), TaxCodeProblem::kOk);
  EXPECT_EQ(ClassifyTaxCode("079123456789"), TaxCodeKind::kPersonalId);
  EXPECT_EQ(CheckTaxCode("07912345678a"), TaxCodeProblem::kBadFormat);
}

TEST(TaxCodeTest, ProvinceAndSequenceMustNotBeZero) {
  EXPECT_EQ(CheckTaxCode("0000047516"), TaxCodeProblem::kBadProvince);
  EXPECT_EQ(CheckTaxCode("0100000000"), TaxCodeProblem::kBadSequence);
  EXPECT_EQ(CheckTaxCode("0100000007"), TaxCodeProblem::kBadSequence);
  // A personal id's 3-digit province code is never 000 (issue #10: 000000000000 registered).
  EXPECT_EQ(CheckTaxCode("000000000000"), TaxCodeProblem::kBadProvince);
  EXPECT_EQ(CheckTaxCode("000123456789"), TaxCodeProblem::kBadProvince);
  EXPECT_EQ(CheckTaxCode("001000000000"), TaxCodeProblem::kOk);
}

TEST(TaxCodeTest, Format) {
  for (const char* bad : {"", "010004751", "01000475161", "01000475a6", " 0100047516",
                          "0100047516 ", "0100047516-", "01000475160000"}) {
    EXPECT_EQ(CheckTaxCode(bad), TaxCodeProblem::kBadFormat) << bad;
  }
  EXPECT_EQ(ClassifyTaxCode("0100047516"), TaxCodeKind::kEnterprise);
  EXPECT_FALSE(ClassifyTaxCode("0100047517").has_value());
}

TEST(TaxCodeTest, CompleteTaxCodeMakesValidCodes) {
  EXPECT_EQ(CompleteTaxCode("010004751"), "0100047516");
  int made = 0;
  for (int n = 0; n < 500; ++n) {
    const std::string nine = "99" + std::to_string(1000000 + n * 7919);
    if (std::optional<std::string> code = CompleteTaxCode(nine)) {
      EXPECT_EQ(CheckTaxCode(*code), TaxCodeProblem::kOk) << *code;
      ++made;
    }
  }
  EXPECT_GT(made, 400);  // about 10 in 11 prefixes have a check digit
  EXPECT_FALSE(CompleteTaxCode("001234567").has_value());  // province 00
  EXPECT_FALSE(CompleteTaxCode("12345678").has_value());
}

TEST(TaxCodeTest, Descriptions) {
  EXPECT_EQ(TaxCodeProblemDescription(TaxCodeProblem::kBadCheckDigit),
            "check digit does not match");
  EXPECT_FALSE(TaxCodeProblemDescriptionVi(TaxCodeProblem::kBadProvince).empty());
}

TEST(CitizenIdTest, TwelveDigits) {
  EXPECT_TRUE(IsValidCitizenId("001234567890"));
  EXPECT_FALSE(IsValidCitizenId("12345678901"));
  EXPECT_FALSE(IsValidCitizenId("1234567890123"));
  EXPECT_FALSE(IsValidCitizenId("00123456789a"));
  EXPECT_FALSE(IsValidCitizenId(""));
}

}  // namespace
}  // namespace einvoice
