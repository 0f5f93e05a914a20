#include "rules/invoice_symbol.h"

#include "gtest/gtest.h"

namespace einvoice {
namespace {

TEST(InvoiceSymbolTest, BriefExamplesAreValid) {
  for (const char* s : {"C25TQD", "C26THH", "C25TAA", "C26TYY", "C26M01"}) {
    EXPECT_EQ(CheckInvoiceSymbol(s), SymbolProblem::kOk) << s;
  }
}

TEST(InvoiceSymbolTest, EveryKindLetter) {
  for (char kind : std::string("TDLMNBGHX")) {
    std::string s = "C26TAA";
    s[3] = kind;
    EXPECT_EQ(CheckInvoiceSymbol(s), SymbolProblem::kOk) << s;
  }
  for (char kind : std::string("ACEFZtx1")) {
    std::string s = "C26TAA";
    s[3] = kind;
    EXPECT_EQ(CheckInvoiceSymbol(s), SymbolProblem::kBadKind) << s;
  }
}

TEST(InvoiceSymbolTest, Problems) {
  EXPECT_EQ(CheckInvoiceSymbol("K26TAA"), SymbolProblem::kNotCoded);
  EXPECT_EQ(CheckInvoiceSymbol("A26TAA"), SymbolProblem::kBadFirstLetter);
  EXPECT_EQ(CheckInvoiceSymbol("c26TAA"), SymbolProblem::kBadFirstLetter);
  EXPECT_EQ(CheckInvoiceSymbol("C2ATAA"), SymbolProblem::kBadYear);
  EXPECT_EQ(CheckInvoiceSymbol("C26Taa"), SymbolProblem::kBadSuffix);
  EXPECT_EQ(CheckInvoiceSymbol("C26TA-"), SymbolProblem::kBadSuffix);
  EXPECT_EQ(CheckInvoiceSymbol("C26TA"), SymbolProblem::kBadLength);
  EXPECT_EQ(CheckInvoiceSymbol("C26TAAA"), SymbolProblem::kBadLength);
  EXPECT_EQ(CheckInvoiceSymbol(""), SymbolProblem::kBadLength);
}

TEST(InvoiceSymbolTest, Year) {
  EXPECT_EQ(SymbolYear("C26TAA"), 26);
  EXPECT_EQ(SymbolYear("C05TAA"), 5);
  EXPECT_FALSE(SymbolYear("CXXTAA").has_value());
  EXPECT_TRUE(SymbolYearMatches("C26TAA", 2026));
  EXPECT_FALSE(SymbolYearMatches("C26TAA", 2027));
  EXPECT_TRUE(SymbolYearMatches("C00TAA", 2100));
}

TEST(InvoiceSymbolTest, KindLetterAndTemplate) {
  // Every (letter, template) pair against the table in invoice_symbol.h.
  for (char kind : std::string("TDLMNBGHX")) {
    for (char t = '1'; t <= '7'; ++t) {
      std::string symbol = "C26TAA";
      symbol[3] = kind;
      const bool delivery_note = kind == 'N' || kind == 'B';
      bool fits = delivery_note == (t == '6');
      if ((t == '3' || t == '4') && kind != 'D') fits = false;
      if (kind == 'M' && t != '1' && t != '2') fits = false;
      EXPECT_EQ(SymbolKindFitsTemplate(symbol, std::string(1, t)), fits) << symbol << " " << t;
    }
  }
  EXPECT_FALSE(SymbolKindFitsTemplate("C26NAA", "1"));
  EXPECT_TRUE(SymbolKindFitsTemplate("C26NAA", "6"));
  EXPECT_TRUE(SymbolKindFitsTemplate("C26DAA", "3"));
  // Malformed inputs are other rules' business.
  EXPECT_TRUE(SymbolKindFitsTemplate("C26NA", "1"));
  EXPECT_TRUE(SymbolKindFitsTemplate("C26NAA", "8"));
  EXPECT_TRUE(SymbolKindFitsTemplate("C26NAA", ""));
}

TEST(InvoiceSymbolTest, Descriptions) {
  EXPECT_FALSE(SymbolProblemDescription(SymbolProblem::kBadKind).empty());
  EXPECT_FALSE(SymbolProblemDescriptionVi(SymbolProblem::kBadKind).empty());
}

}  // namespace
}  // namespace einvoice
