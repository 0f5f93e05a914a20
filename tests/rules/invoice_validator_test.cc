// One valid baseline invoice; each test changes exactly one thing and expects exactly one
// violation (code, rule and field), or none where the change must be accepted.
#include "rules/invoice_validator.h"

#include "rules/invoice_symbol.h"

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/invoice_symbol.h"
#include "rules/totals_calculator.h"
#include "rules/violation_catalogue.h"
#include "tests/rules/support/test_invoices.h"

namespace einvoice {

void PrintTo(const Violation& v, std::ostream* os) { *os << DebugString(v); }

namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::BaselineSellerTaxCode;
using ::einvoice::testing::kBaselineToday;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

MATCHER_P2(Violates, type, field, "") {
  return arg.code == type.code && arg.rule == type.rule && arg.field == field &&
         !arg.message_vi.empty() && !arg.message_en.empty();
}

std::vector<Violation> Validate(const v1::Invoice& invoice,
                                absl::CivilDay today = kBaselineToday) {
  return ValidateInvoice(invoice, today);
}

// The baseline after `mutate`.
template <typename F>
v1::Invoice Baseline(F mutate) {
  v1::Invoice invoice = BaselineInvoice();
  mutate(invoice);
  return invoice;
}

// The baseline after `mutate`, with line amounts and totals recomputed.
template <typename F>
v1::Invoice Refilled(F mutate) {
  v1::Invoice invoice = BaselineInvoice();
  mutate(invoice);
  EXPECT_TRUE(FillTotals(&invoice).ok());
  return invoice;
}

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s.data(), s.size());
  return out;
}

// ---- the baseline ----------------------------------------------------------------------------

TEST(ValidatorBaselineTest, BaselineIsValid) { EXPECT_THAT(Validate(BaselineInvoice()), IsEmpty()); }

// ---- general information ---------------------------------------------------------------------

TEST(ValidatorGeneralTest, VersionRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.clear_version(); })),
              ElementsAre(Violates(kFormatRequired, "version")));
}

TEST(ValidatorGeneralTest, VersionFromCodeList) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_version("2.0.2"); })),
              ElementsAre(Violates(kFormatCodeList, "version")));
  for (const char* v : {"2.0.0", "2.0.1", "2.1.0"}) {
    EXPECT_THAT(Validate(Baseline([&](auto& i) { i.set_version(v); })), IsEmpty()) << v;
  }
}

TEST(ValidatorGeneralTest, InvoiceNameRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.clear_invoice_name(); })),
              ElementsAre(Violates(kFormatRequired, "invoice_name")));
}

TEST(ValidatorGeneralTest, InvoiceNameLengthCountsCharactersNotBytes) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_invoice_name(Repeat("đ", 100)); })),
              IsEmpty());
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_invoice_name(Repeat("đ", 101)); })),
              ElementsAre(Violates(kFormatMaxLength, "invoice_name")));
}

TEST(ValidatorGeneralTest, TemplateCodeOneToSeven) {
  // (Templates 2 and 6 carry no VAT, so the VAT baseline is not one of them:
  // ASalesInvoiceCarriesNoVat, ADeliveryNoteCarriesNoVat.)
  // Each with a kind letter its template allows (SymbolKindFitsTemplate).
  for (const auto& pair : std::vector<std::pair<const char*, const char*>>{
           {"1", "C26TAA"}, {"3", "C26DAA"}, {"4", "C26DAA"}, {"5", "C26TAA"},
           {"7", "C26TAA"}}) {
    // (Not a structured binding: clang 14 cannot capture one in a lambda.)
    const char* t = pair.first;
    const char* symbol = pair.second;
    EXPECT_THAT(Validate(Baseline([&](auto& i) {
                  i.set_template_code(t);
                  i.set_symbol(symbol);
                })),
                IsEmpty())
        << t;
  }
  for (const char* t : {"0", "8", "01", "A"}) {
    EXPECT_THAT(Validate(Baseline([&](auto& i) { i.set_template_code(t); })),
                ElementsAre(Violates(kTemplateCodeUnknown, "template_code")))
        << t;
  }
}

TEST(ValidatorGeneralTest, SymbolRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.clear_symbol(); })),
              ElementsAre(Violates(kFormatRequired, "symbol")));
}

TEST(ValidatorGeneralTest, SymbolStartingWithKIsNotCodable) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_symbol("K26TAA"); })),
              ElementsAre(Violates(kSymbolNotCoded, "symbol")));
}

TEST(ValidatorGeneralTest, SymbolYearMustMatchIssueYear) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_symbol("C25TAA"); })),
              ElementsAre(Violates(kSymbolYearMismatch, "symbol")));
}

TEST(ValidatorGeneralTest, SymbolKindLetter) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_symbol("C26ZAA"); })),
              ElementsAre(Violates(kSymbolKind, "symbol")));
}

TEST(ValidatorGeneralTest, CashRegisterSymbolsAreNotCodedOneByOne) {
  // Kind letter M: made by a cash register, sent afterwards as message 206, never as a 200.
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_symbol("C26MLT"); })),
              ElementsAre(Violates(kSymbolCashRegister, "symbol")));
  EXPECT_TRUE(IsCashRegisterSymbol("C25MLT"));
  EXPECT_FALSE(IsCashRegisterSymbol("C26TAA"));
  EXPECT_FALSE(IsCashRegisterSymbol("C26MA"));  // malformed: symbol.format says so instead
  // Every other kind letter is coded as before.
  // (N and B are delivery notes, template 6: SymbolLetterAndTemplateGoTogether.)
  for (const char* s : {"C26TAA", "C26DAA", "C26LAA", "C26GAA", "C26HAA", "C26XAA"}) {
    EXPECT_THAT(Validate(Baseline([&](auto& i) { i.set_symbol(s); })), IsEmpty()) << s;
  }
}

TEST(ValidatorGeneralTest, CashRegisterDataMustCarryACashRegisterSymbol) {
  // Message 206 is the other way round: only M symbols, and the same rules otherwise.
  const auto as_206 = [](const v1::Invoice& invoice) {
    return ValidateInvoice(invoice, kBaselineToday, Intake::kCashRegister);
  };
  EXPECT_THAT(as_206(Baseline([](auto& i) { i.set_symbol("C26MLT"); })), IsEmpty());
  EXPECT_THAT(as_206(Baseline([](auto& i) { i.set_symbol("C26TAA"); })),
              ElementsAre(Violates(kSymbolNotCashRegister, "symbol")));
  EXPECT_THAT(as_206(Baseline([](auto& i) {
                i.set_symbol("C26MLT");
                i.set_number(0);
              })),
              ElementsAre(Violates(kNumberOutOfRange, "number")));
}

// Where the standard ties a symbol's kind letter to the template (20312): N/B <=> 6, 3/4 => D,
// M => 1/2; one violation, at the symbol, naming both.
TEST(ValidatorGeneralTest, SymbolLetterAndTemplateGoTogether) {
  const auto with = [](const char* template_code, const char* symbol) {
    // Template 6 carries no VAT: start from a delivery note there.
    v1::Invoice i = std::string(template_code) == "6" ? testing::DeliveryNoteInvoice()
                                                      : BaselineInvoice();
    i.set_template_code(template_code);
    i.set_symbol(symbol);
    return i;
  };
  for (const auto& [t, symbol] : std::vector<std::pair<const char*, const char*>>{
           {"1", "C26NAA"}, {"1", "C26BAA"}, {"7", "C26NAA"},   // a delivery note's letter
           {"6", "C26TAA"}, {"6", "C26DAA"},                    // template 6 without N/B
           {"3", "C26TAA"}, {"4", "C26LAA"}, {"3", "C26NAA"}}) {  // 3 and 4 use D
    const std::vector<Violation> v = Validate(with(t, symbol));
    ASSERT_THAT(v, ElementsAre(Violates(kSymbolTemplateMismatch, "symbol"))) << t << symbol;
    EXPECT_EQ(v[0].message_en,
              absl::StrCat("The invoice symbol's kind letter does not go with the template code: "
                           "letter ", std::string(1, symbol[3]), ", template ", t));
  }
  // M (cash register) only with templates 1 and 2: checked on cash-register data.
  const auto as_206 = [](const v1::Invoice& invoice) {
    return ValidateInvoice(invoice, kBaselineToday, Intake::kCashRegister);
  };
  EXPECT_THAT(as_206(with("5", "C26MAA")),
              ElementsAre(Violates(kSymbolTemplateMismatch, "symbol")));
  EXPECT_THAT(as_206(with("1", "C26MAA")), IsEmpty());
  // No tie: D with template 1 (simplified contents), T/L/G/H/X with 1, 5 or 7.
  for (const auto& [t, symbol] : std::vector<std::pair<const char*, const char*>>{
           {"1", "C26DAA"}, {"5", "C26GAA"}, {"7", "C26XAA"}, {"6", "C26BAA"}}) {
    EXPECT_THAT(Validate(with(t, symbol)), IsEmpty()) << t << symbol;
  }
  // An unknown template or a malformed symbol is its own rule's business, not this one's.
  EXPECT_THAT(Validate(with("9", "C26NAA")),
              ElementsAre(Violates(kTemplateCodeUnknown, "template_code")));
}

// Template 2: a sales invoice, no VAT on it.
v1::Invoice SalesInvoice() {
  v1::Invoice invoice = BaselineInvoice();
  invoice.set_template_code("2");
  for (v1::LineItem& line : *invoice.mutable_lines()) line.clear_vat_rate();
  v1::Totals* totals = invoice.mutable_totals();
  totals->clear_rate_summaries();
  totals->clear_total_tax();
  totals->set_total_payable(totals->total_before_tax());
  return invoice;
}

TEST(ValidatorGeneralTest, ASalesInvoiceCarriesNoVat) {
  EXPECT_THAT(Validate(SalesInvoice()), IsEmpty());
  v1::Invoice zero_tax = SalesInvoice();
  zero_tax.mutable_totals()->set_total_tax("0");
  EXPECT_THAT(Validate(zero_tax), IsEmpty());

  v1::Invoice with_rate = SalesInvoice();
  with_rate.mutable_lines(0)->set_vat_rate("10%");
  EXPECT_THAT(Validate(with_rate),
              ElementsAre(Violates(kSalesInvoiceVatRate, "lines[0].vat_rate")));
  v1::Invoice with_summary = SalesInvoice();
  v1::RateSummary* summary = with_summary.mutable_totals()->add_rate_summaries();
  summary->set_vat_rate("10%");
  summary->set_taxable_amount("0");
  summary->set_tax_amount("0");
  EXPECT_THAT(Validate(with_summary),
              ElementsAre(Violates(kRateSummaryExtra, "totals.rate_summaries[0]")));
  v1::Invoice with_tax = SalesInvoice();
  with_tax.mutable_totals()->set_total_tax("1000");
  EXPECT_THAT(Validate(with_tax), Contains(Violates(kTotalTaxMismatch, "totals.total_tax")));
  // The same invoice as template 1 needs its rates.
  v1::Invoice as_vat_invoice = SalesInvoice();
  as_vat_invoice.set_template_code("1");
  EXPECT_THAT(Validate(as_vat_invoice), Contains(Violates(kFormatRequired, "lines[0].vat_rate")));
}

TEST(ValidatorGeneralTest, SymbolGrammar) {
  for (const char* s : {"C26TA", "C26TAAA", "A26TAA", "C2XTAA", "C26Taa"}) {
    EXPECT_THAT(Validate(Baseline([&](auto& i) { i.set_symbol(s); })),
                ElementsAre(Violates(kSymbolFormat, "symbol")))
        << s;
  }
}

TEST(ValidatorGeneralTest, NumberZeroRejected) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_number(0); })),
              ElementsAre(Violates(kNumberOutOfRange, "number")));
}

TEST(ValidatorGeneralTest, NumberAboveEightDigitsRejected) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_number(100000000); })),
              ElementsAre(Violates(kNumberOutOfRange, "number")));
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_number(99999999); })), IsEmpty());
}

TEST(ValidatorGeneralTest, IssueDateRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.clear_issue_date(); })),
              ElementsAre(Violates(kFormatRequired, "issue_date")));
}

TEST(ValidatorGeneralTest, IssueDateInTheFutureRejected) {
  // Issued on the 20th, today is the 19th.
  EXPECT_THAT(Validate(BaselineInvoice(), absl::CivilDay(2026, 11, 19)),
              ElementsAre(Violates(kIssueDateInFuture, "issue_date")));
}

TEST(ValidatorGeneralTest, IssueDateTomorrowRejected) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_issue_date("2026-11-23"); })),
              ElementsAre(Violates(kIssueDateInFuture, "issue_date")));
}

TEST(ValidatorGeneralTest, ControlCharactersInTextAreRejected) {
  for (const std::string& bad : {std::string("Công ty\0 A", 11), std::string("A\nB"),
                                std::string("A\x1b[31mB"), std::string("A\x7f")}) {
    EXPECT_THAT(Validate(Baseline([&](auto& i) { i.mutable_seller()->set_name(bad); })),
                ElementsAre(Violates(kFormatPattern, "seller.name")));
    EXPECT_THAT(Validate(Baseline([&](auto& i) { i.mutable_lines(0)->set_name(bad); })),
                ElementsAre(Violates(kFormatPattern, "lines[0].name")));
  }
}

TEST(ValidatorGeneralTest, IssueDateBefore2018Rejected) {
  for (const char* day : {"1926-05-01", "0001-01-01", "2017-12-31"}) {
    EXPECT_THAT(Validate(Baseline([&](auto& i) { i.set_issue_date(day); })),
                Contains(Violates(kIssueDateBeforeEinvoices, "issue_date")))
        << day;
  }
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_issue_date("2018-01-01"); })),
              Not(Contains(Violates(kIssueDateBeforeEinvoices, "issue_date"))));
}

TEST(ValidatorGeneralTest, IssueDateTodayAccepted) {
  EXPECT_THAT(Validate(BaselineInvoice(), absl::CivilDay(2026, 11, 20)), IsEmpty());
}

TEST(ValidatorGeneralTest, IssueDateMustBeARealDate) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_issue_date("2026-02-30"); })),
              ElementsAre(Violates(kDateInvalid, "issue_date")));
}

TEST(ValidatorGeneralTest, IssueDateFormat) {
  for (const char* d : {"20/11/2026", "2026-11-20T00:00:00", "2026-1-20"}) {
    EXPECT_THAT(Validate(Baseline([&](auto& i) { i.set_issue_date(d); })),
                ElementsAre(Violates(kDateInvalid, "issue_date")))
        << d;
  }
}

TEST(ValidatorGeneralTest, CurrencyRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.clear_currency(); })),
              ElementsAre(Violates(kFormatRequired, "currency")));
}

TEST(ValidatorGeneralTest, CurrencyShape) {
  for (const char* c : {"vnd", "VN", "VNDX", "V1D"}) {
    EXPECT_THAT(Validate(Baseline([&](auto& i) { i.set_currency(c); })),
                ElementsAre(Violates(kCurrencyInvalid, "currency")))
        << c;
  }
}

TEST(ValidatorGeneralTest, NonVndWithoutExchangeRateRejected) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_currency("USD"); })),
              ElementsAre(Violates(kExchangeRateRequired, "exchange_rate")));
}

TEST(ValidatorGeneralTest, NonVndWithExchangeRateAccepted) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.set_currency("USD");
                i.set_exchange_rate("25400.50");
              })),
              IsEmpty());
}

TEST(ValidatorGeneralTest, ExchangeRateMustBePositive) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.set_currency("USD");
                i.set_exchange_rate("0");
              })),
              ElementsAre(Violates(kExchangeRateNotPositive, "exchange_rate")));
}

TEST(ValidatorGeneralTest, ExchangeRateIsDecimalSevenTwo) {
  for (const char* r : {"12345678", "25400.123", "25,400"}) {
    EXPECT_THAT(Validate(Baseline([&](auto& i) {
                  i.set_currency("USD");
                  i.set_exchange_rate(r);
                })),
                ElementsAre(Violates(kFormatDecimal, "exchange_rate")))
        << r;
  }
}

TEST(ValidatorGeneralTest, PaymentMethodLength) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.set_payment_method(Repeat("x", 51)); })),
              ElementsAre(Violates(kFormatMaxLength, "payment_method")));
}

TEST(ValidatorGeneralTest, OtherInfoValueLength) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                v1::OtherInfo* o = i.add_other_info();
                o->set_field("GhiChu");
                o->set_data_type("string");
                o->set_value(Repeat("ô", 501));
              })),
              ElementsAre(Violates(kFormatMaxLength, "other_info[0].value")));
}

// ---- parties ---------------------------------------------------------------------------------

TEST(ValidatorPartyTest, SellerNameRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_seller()->clear_name(); })),
              ElementsAre(Violates(kFormatRequired, "seller.name")));
}

TEST(ValidatorPartyTest, SellerNameTooLong) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_seller()->set_name(Repeat("Ư", 401)); })),
              ElementsAre(Violates(kFormatMaxLength, "seller.name")));
}

TEST(ValidatorPartyTest, SellerAddressRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_seller()->clear_address(); })),
              ElementsAre(Violates(kFormatRequired, "seller.address")));
}

TEST(ValidatorPartyTest, SellerTaxCodeRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_seller()->clear_tax_code(); })),
              ElementsAre(Violates(kFormatRequired, "seller.tax_code")));
}

TEST(ValidatorPartyTest, SellerTaxCodeBadCheckDigit) {
  std::string code = BaselineSellerTaxCode();
  code[9] = code[9] == '9' ? '0' : static_cast<char>(code[9] + 1);
  EXPECT_THAT(Validate(Baseline([&](auto& i) { i.mutable_seller()->set_tax_code(code); })),
              ElementsAre(Violates(kTaxCodeCheckDigit, "seller.tax_code")));
}

TEST(ValidatorPartyTest, SellerTaxCodeProvince00) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_seller()->set_tax_code("0012345678"); })),
              ElementsAre(Violates(kTaxCodeProvince, "seller.tax_code")));
}

TEST(ValidatorPartyTest, SellerTaxCodeSequenceZero) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_seller()->set_tax_code("9900000001"); })),
              ElementsAre(Violates(kTaxCodeSequence, "seller.tax_code")));
}

TEST(ValidatorPartyTest, SellerBranchCodeAccepted) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_seller()->set_tax_code(BaselineSellerTaxCode() + "-001");
              })),
              IsEmpty());
}

TEST(ValidatorPartyTest, SellerBranch000Rejected) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_seller()->set_tax_code(BaselineSellerTaxCode() + "-000");
              })),
              ElementsAre(Violates(kTaxCodeBranch, "seller.tax_code")));
}

TEST(ValidatorPartyTest, PersonalIdAcceptedAsSellerAndBuyerTaxCode) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_seller()->set_tax_code("001234567890");
                i.mutable_buyer()->set_tax_code("079123456789");
              })),
              IsEmpty());
}

TEST(ValidatorPartyTest, TaxCodeShape) {
  for (const char* code : {"12345", "0100047516-01", "01000475161"}) {
    EXPECT_THAT(Validate(Baseline([&](auto& i) { i.mutable_seller()->set_tax_code(code); })),
                ElementsAre(Violates(kFormatPattern, "seller.tax_code")))
        << code;
  }
}

TEST(ValidatorPartyTest, BuyerTaxCodeBadCheckDigit) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_buyer()->set_tax_code("0100047517"); })),
              ElementsAre(Violates(kTaxCodeCheckDigit, "buyer.tax_code")));
}

TEST(ValidatorPartyTest, AnonymousBuyerAccepted) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_buyer()->Clear();
                i.mutable_buyer()->set_personal_name("Khách lẻ");
              })),
              IsEmpty());
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.clear_buyer(); })), IsEmpty());
}

TEST(ValidatorPartyTest, OrganisationBuyerNeedsName) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_buyer()->clear_name(); })),
              ElementsAre(Violates(kFormatRequired, "buyer.name")));
}

TEST(ValidatorPartyTest, BuyerCitizenIdMustBe12Digits) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_buyer()->set_citizen_id("12345678901"); })),
              ElementsAre(Violates(kFormatPattern, "buyer.citizen_id")));
  EXPECT_THAT(
      Validate(Baseline([](auto& i) { i.mutable_buyer()->set_citizen_id("001234567890"); })),
      IsEmpty());
}

TEST(ValidatorPartyTest, BuyerEmailLength) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_buyer()->set_email(Repeat("a", 45) + "@x.vn");  // 50: fine
              })),
              IsEmpty());
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_buyer()->set_email(Repeat("a", 46) + "@x.vn");
              })),
              ElementsAre(Violates(kFormatMaxLength, "buyer.email")));
}

// ---- lines -----------------------------------------------------------------------------------

TEST(ValidatorLineTest, AtLeastOneLine) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.clear_lines(); })),
              ElementsAre(Violates(kFormatRequired, "lines")));
}

TEST(ValidatorLineTest, NatureRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(1)->clear_nature(); })),
              ElementsAre(Violates(kFormatCodeList, "lines[1].nature")));
}

TEST(ValidatorLineTest, LineNumbersUnique) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(2)->set_line_no(1); })),
              ElementsAre(Violates(kFormatUnique, "lines[2].line_no")));
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                for (auto& line : *i.mutable_lines()) line.clear_line_no();
              })),
              IsEmpty());
}

TEST(ValidatorLineTest, NameRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->clear_name(); })),
              ElementsAre(Violates(kFormatRequired, "lines[0].name")));
}

TEST(ValidatorLineTest, NameLength) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->set_name(Repeat("ă", 501)); })),
              ElementsAre(Violates(kFormatMaxLength, "lines[0].name")));
}

TEST(ValidatorLineTest, AmountRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->clear_amount(); })),
              ElementsAre(Violates(kFormatRequired, "lines[0].amount")));
}

TEST(ValidatorLineTest, VatRateRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(1)->clear_vat_rate(); })),
              ElementsAre(Violates(kFormatRequired, "lines[1].vat_rate")));
}

TEST(ValidatorLineTest, QuantityNeedsUnitPrice) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->clear_unit_price(); })),
              ElementsAre(Violates(kUnitPriceMissing, "lines[0].unit_price")));
}

TEST(ValidatorLineTest, LineWithoutQuantityAndPriceAccepted) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_lines(1)->clear_quantity();
                i.mutable_lines(1)->clear_unit_price();
              })),
              IsEmpty());
}

TEST(ValidatorLineTest, NoteLineNeedsNoAmountOrRate) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                v1::LineItem* note = i.add_lines();
                note->set_nature(v1::LINE_NATURE_NOTE);
                note->set_name("Ghi chú: giao hàng tại kho");
              })),
              IsEmpty());
}

TEST(ValidatorLineTest, DecimalWithSevenFractionDigits) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->set_quantity("10.0000001"); })),
              ElementsAre(Violates(kFormatDecimal, "lines[0].quantity")));
}

TEST(ValidatorLineTest, DecimalWith22Digits) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_lines(0)->set_amount("1234567890123456789012");
              })),
              ElementsAre(Violates(kFormatDecimal, "lines[0].amount")));
}

TEST(ValidatorLineTest, DecimalWithExponent) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(1)->set_unit_price("1.2e6"); })),
              ElementsAre(Violates(kFormatDecimal, "lines[1].unit_price")));
}

TEST(ValidatorLineTest, DecimalWithThousandsSeparator) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(1)->set_amount("1,200,000"); })),
              ElementsAre(Violates(kFormatDecimal, "lines[1].amount")));
}

TEST(ValidatorLineTest, NegativePriceOnNormalInvoiceRejected) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->set_unit_price("-85000"); })),
              ElementsAre(Violates(kNegativeAmount, "lines[0].unit_price")));
}

TEST(ValidatorLineTest, NegativeQuantityOnNormalInvoiceRejected) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->set_quantity("-10"); })),
              ElementsAre(Violates(kNegativeAmount, "lines[0].quantity")));
}

TEST(ValidatorLineTest, NegativeAmountsOnAdjustmentAccepted) {
  EXPECT_THAT(Validate(Refilled([](auto& i) {
                v1::RelatedInvoice* r = i.mutable_related();
                r->set_relation(v1::RELATION_KIND_ADJUSTMENT);
                r->set_original_kind(1);
                r->set_template_code("1");
                r->set_symbol("C26TAA");
                r->set_number(7);
                r->set_issue_date("2026-11-01");
                i.mutable_lines(0)->set_unit_price("-85000");
              })),
              IsEmpty());
}

TEST(ValidatorLineTest, DiscountRateAbove100) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->set_discount_rate("100.5"); })),
              ElementsAre(Violates(kDiscountRateRange, "lines[0].discount_rate")));
}

TEST(ValidatorLineTest, UnknownVatRate) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(1)->set_vat_rate("11%"); })),
              ElementsAre(Violates(kVatRateUnknown, "lines[1].vat_rate")));
}

TEST(ValidatorLineTest, OtherRateAccepted) {
  EXPECT_THAT(Validate(Refilled([](auto& i) { i.mutable_lines(0)->set_vat_rate("KHAC:5.26%"); })),
              IsEmpty());
}

TEST(ValidatorLineTest, ReducedRateOnLastDayAccepted) {
  EXPECT_THAT(Validate(Refilled([](auto& i) { i.set_issue_date("2026-12-31"); }),
                       absl::CivilDay(2027, 1, 2)),
              IsEmpty());
}

TEST(ValidatorLineTest, ReducedRateIn2027Rejected) {
  EXPECT_THAT(Validate(Refilled([](auto& i) {
                         i.set_issue_date("2027-01-05");
                         i.set_symbol("C27TAA");
                       }),
                       absl::CivilDay(2027, 1, 6)),
              ElementsAre(Violates(kVatRateReducedExpired, "lines[0].vat_rate")));
}

TEST(ValidatorLineTest, LineArithmeticOffByTwoRejected) {
  // 10 × 85 000.2 = 850 002, amount says 850 000.
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->set_unit_price("85000.2"); })),
              ElementsAre(Violates(kLineAmountMismatch, "lines[0].amount")));
}

TEST(ValidatorLineTest, LineArithmeticOffByOneAccepted) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->set_unit_price("85000.1"); })),
              IsEmpty());
}

TEST(ValidatorLineTest, LineDiscountAmountIsSubtracted) {
  EXPECT_THAT(Validate(Refilled([](auto& i) { i.mutable_lines(0)->set_discount_amount("50000"); })),
              IsEmpty());
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_lines(0)->set_discount_amount("50000"); })),
              ElementsAre(Violates(kLineAmountMismatch, "lines[0].amount")));
}

TEST(ValidatorLineTest, HugeProductReportedNotOverflowed) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_lines(0)->set_quantity("999999999999999999999");
                i.mutable_lines(0)->set_unit_price("999999999999999999999");
              })),
              ElementsAre(Violates(kAmountOutOfRange, "lines[0].amount")));
}

TEST(ValidatorLineTest, ForeignCurrencyToleranceIsOneCent) {
  v1::Invoice invoice = Refilled([](auto& i) {
    i.set_currency("USD");
    i.set_exchange_rate("25400");
    i.mutable_lines(0)->set_unit_price("10.25");
  });  // amount 102.5
  EXPECT_THAT(Validate(invoice), IsEmpty());
  invoice.mutable_lines(0)->set_unit_price("10.251");  // 102.51: off by one cent
  EXPECT_THAT(Validate(invoice), IsEmpty());
  invoice.mutable_lines(0)->set_unit_price("10.252");  // 102.52: off by two cents
  EXPECT_THAT(Validate(invoice), ElementsAre(Violates(kLineAmountMismatch, "lines[0].amount")));
}

// ---- totals ----------------------------------------------------------------------------------

TEST(ValidatorTotalsTest, TotalsRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.clear_totals(); })),
              ElementsAre(Violates(kFormatRequired, "totals")));
}

TEST(ValidatorTotalsTest, MissingRateSummary) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_totals()->mutable_rate_summaries()->RemoveLast(); })),
              ElementsAre(Violates(kRateSummaryMissing, "totals.rate_summaries")));
}

TEST(ValidatorTotalsTest, ExtraRateSummary) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                v1::RateSummary* s = i.mutable_totals()->add_rate_summaries();
                s->set_vat_rate("5%");
                s->set_taxable_amount("0");
                s->set_tax_amount("0");
              })),
              ElementsAre(Violates(kRateSummaryExtra, "totals.rate_summaries[3]")));
}

TEST(ValidatorTotalsTest, DuplicateRateSummary) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                *i.mutable_totals()->add_rate_summaries() = i.totals().rate_summaries(0);
              })),
              ElementsAre(Violates(kRateSummaryDuplicate, "totals.rate_summaries[3]")));
}

TEST(ValidatorTotalsTest, UnknownRateInSummary) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_totals()->mutable_rate_summaries(2)->set_vat_rate("K C T");
              })),
              ElementsAre(Violates(kVatRateUnknown, "totals.rate_summaries[2].vat_rate")));
}

TEST(ValidatorTotalsTest, WrongRateTaxableAmount) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_totals()->mutable_rate_summaries(0)->set_taxable_amount("850001");
              })),
              ElementsAre(Violates(kRateTaxableMismatch, "totals.rate_summaries[0].taxable_amount")));
}

TEST(ValidatorTotalsTest, RateTaxOffByTwoRejected) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_totals()->mutable_rate_summaries(0)->set_tax_amount("68002");
              })),
              ElementsAre(Violates(kRateTaxMismatch, "totals.rate_summaries[0].tax_amount")));
}

TEST(ValidatorTotalsTest, RateTaxOffByOnePerLineAccepted) {
  EXPECT_THAT(Validate(Baseline([](auto& i) {
                i.mutable_totals()->mutable_rate_summaries(0)->set_tax_amount("68001");
              })),
              IsEmpty());
}

TEST(ValidatorTotalsTest, WrongTotalBeforeTax) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_totals()->set_total_before_tax("2186000"); })),
              ElementsAre(Violates(kTotalBeforeTaxMismatch, "totals.total_before_tax")));
}

TEST(ValidatorTotalsTest, WrongTotalTax) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_totals()->set_total_tax("190000"); })),
              ElementsAre(Violates(kTotalTaxMismatch, "totals.total_tax")));
}

TEST(ValidatorTotalsTest, WrongTotalTradeDiscount) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_totals()->set_total_trade_discount("5"); })),
              ElementsAre(Violates(kTotalTradeDiscountMismatch, "totals.total_trade_discount")));
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_totals()->clear_total_trade_discount(); })),
              IsEmpty());
}

TEST(ValidatorTotalsTest, WrongGrandTotal) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_totals()->set_total_payable("2374501"); })),
              ElementsAre(Violates(kTotalPayableMismatch, "totals.total_payable")));
}

TEST(ValidatorTotalsTest, GrandTotalRequired) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_totals()->clear_total_payable(); })),
              ElementsAre(Violates(kFormatRequired, "totals.total_payable")));
}

TEST(ValidatorTotalsTest, TotalInWordsRequired) {
  EXPECT_THAT(
      Validate(Baseline([](auto& i) { i.mutable_totals()->clear_total_payable_in_words(); })),
      ElementsAre(Violates(kAmountInWordsMissing, "totals.total_payable_in_words")));
}

TEST(ValidatorTotalsTest, UnparseableTotalReportedOnce) {
  EXPECT_THAT(Validate(Baseline([](auto& i) { i.mutable_totals()->set_total_tax("188 000"); })),
              ElementsAre(Violates(kFormatDecimal, "totals.total_tax")));
}

// ---- related invoice -------------------------------------------------------------------------

v1::Invoice Replacement() {
  return Baseline([](auto& i) {
    v1::RelatedInvoice* r = i.mutable_related();
    r->set_relation(v1::RELATION_KIND_REPLACEMENT);
    r->set_original_kind(1);
    r->set_template_code("1");
    r->set_symbol("C26TAA");
    r->set_number(5);
    r->set_issue_date("2026-11-02");
    r->set_note("Thay thế hóa đơn sai tên người mua");
  });
}

TEST(ValidatorRelatedTest, CompleteReplacementAccepted) { EXPECT_THAT(Validate(Replacement()), IsEmpty()); }

TEST(ValidatorRelatedTest, RelationRequired) {
  v1::Invoice invoice = Replacement();
  invoice.mutable_related()->clear_relation();
  EXPECT_THAT(Validate(invoice), ElementsAre(Violates(kRelatedIncomplete, "related.relation")));
}

TEST(ValidatorRelatedTest, NumberRequired) {
  v1::Invoice invoice = Replacement();
  invoice.mutable_related()->clear_number();
  EXPECT_THAT(Validate(invoice), ElementsAre(Violates(kRelatedIncomplete, "related.number")));
}

TEST(ValidatorRelatedTest, SymbolRequired) {
  v1::Invoice invoice = Replacement();
  invoice.mutable_related()->clear_symbol();
  EXPECT_THAT(Validate(invoice), ElementsAre(Violates(kRelatedIncomplete, "related.symbol")));
}

TEST(ValidatorRelatedTest, TemplateCodeChecked) {
  v1::Invoice invoice = Replacement();
  invoice.mutable_related()->set_template_code("9");
  EXPECT_THAT(Validate(invoice),
              ElementsAre(Violates(kTemplateCodeUnknown, "related.template_code")));
}

TEST(ValidatorRelatedTest, DateMustBeReal) {
  v1::Invoice invoice = Replacement();
  invoice.mutable_related()->set_issue_date("2026-11-31");
  EXPECT_THAT(Validate(invoice), ElementsAre(Violates(kDateInvalid, "related.issue_date")));
}

TEST(ValidatorRelatedTest, DateNotAfterThisInvoice) {
  v1::Invoice invoice = Replacement();
  invoice.mutable_related()->set_issue_date("2026-11-21");
  EXPECT_THAT(Validate(invoice),
              ElementsAre(Violates(kRelatedDateAfterInvoice, "related.issue_date")));
  invoice.mutable_related()->set_issue_date("2026-11-20");  // same day is fine
  EXPECT_THAT(Validate(invoice), IsEmpty());
}

TEST(ValidatorRelatedTest, NegativeAmountsOnReplacementRejected) {
  v1::Invoice invoice = Replacement();
  invoice.mutable_lines(0)->set_quantity("-10");
  EXPECT_THAT(Validate(invoice), ElementsAre(Violates(kNegativeAmount, "lines[0].quantity")));
}

// ---- several problems at once ----------------------------------------------------------------

TEST(ValidatorMultipleTest, ReportsEveryViolationInFieldOrder) {
  std::string code = BaselineSellerTaxCode();
  code[9] = code[9] == '9' ? '0' : static_cast<char>(code[9] + 1);
  const v1::Invoice invoice = Baseline([&](auto& i) {
    i.set_symbol("K26TAA");
    i.mutable_seller()->set_tax_code(code);
    i.mutable_totals()->set_total_payable("1");
  });
  EXPECT_THAT(Validate(invoice), ElementsAre(Violates(kSymbolNotCoded, "symbol"),
                                             Violates(kTaxCodeCheckDigit, "seller.tax_code"),
                                             Violates(kTotalPayableMismatch, "totals.total_payable")));
}

TEST(ValidatorMultipleTest, EmptyInvoiceDoesNotCrash) {
  const std::vector<Violation> violations = Validate(v1::Invoice());
  EXPECT_GE(violations.size(), 8u);
  for (const Violation& v : violations) EXPECT_EQ(v.code.size(), 5u) << DebugString(v);
}

// Hostile input: random junk in random fields never crashes and always yields well-formed
// violations (run under ASan/UBSan in the sanitizer build).
TEST(ValidatorMultipleTest, RandomJunkNeverCrashes) {
  static constexpr const char* kJunk[] = {
      "", "-", ".", "1e5", "999999999999999999999", "-999999999999999999999", "0.000001",
      "-0", "KHAC:99.99%", "8%", "2026-02-29", "2024-02-29", "\xC3\x28", "C26TAA", "K",
      "100000000", "abc", " ", "0100047516", "00000000000000"};
  uint64_t x = 0x2545F4914F6CDD1Dull;
  auto next = [&x]() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int round = 0; round < 2000; ++round) {
    v1::Invoice invoice = BaselineInvoice();
    for (int k = 0; k < 3; ++k) {
      const std::string junk = kJunk[next() % (sizeof(kJunk) / sizeof(kJunk[0]))];
      v1::LineItem* line = invoice.mutable_lines(static_cast<int>(next() % 3));
      v1::RateSummary* summary =
          invoice.mutable_totals()->mutable_rate_summaries(static_cast<int>(next() % 3));
      switch (next() % 12) {
        case 0: line->set_quantity(junk); break;
        case 1: line->set_unit_price(junk); break;
        case 2: line->set_amount(junk); break;
        case 3: line->set_vat_rate(junk); break;
        case 4: line->set_discount_amount(junk); break;
        case 5: summary->set_taxable_amount(junk); break;
        case 6: summary->set_tax_amount(junk); break;
        case 7: summary->set_vat_rate(junk); break;
        case 8: invoice.mutable_totals()->set_total_payable(junk); break;
        case 9: invoice.set_issue_date(junk); break;
        case 10: invoice.set_symbol(junk); break;
        default: invoice.mutable_related()->set_issue_date(junk); break;
      }
    }
    for (const Violation& v : Validate(invoice)) {
      ASSERT_EQ(v.code.size(), 5u) << DebugString(v);
      ASSERT_FALSE(v.rule.empty());
    }
  }
}

TEST(ValidatorMultipleTest, MessagesCarryDetails) {
  const std::vector<Violation> violations =
      Validate(Baseline([](auto& i) { i.mutable_totals()->set_total_tax("190000"); }));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].message_en,
            "The total tax is not the sum of the per-rate tax amounts: expected 188000, got 190000");
  EXPECT_EQ(violations[0].message_vi,
            "Tổng tiền thuế không đúng: giá trị đúng 188000, giá trị ghi 190000");
  const v1::Violation proto = ToProto(violations[0]);
  EXPECT_EQ(proto.code(), "20710");
  EXPECT_EQ(proto.rule(), "totals.total_tax_mismatch");
  EXPECT_EQ(proto.field(), "totals.total_tax");
  EXPECT_EQ(proto.message(), violations[0].message_vi);
}


// ---- QĐ1450 v2.1.0 elements ------------------------------------------------------------------

using ::einvoice::testing::FullV210Invoice;

// FullV210Invoice() after `mutate`.
template <typename F>
v1::Invoice Full(F mutate) {
  v1::Invoice invoice = FullV210Invoice();
  mutate(invoice);
  return invoice;
}

TEST(ValidatorV210Test, EveryElementFilledIsValid) {
  EXPECT_THAT(Validate(FullV210Invoice()), IsEmpty());
}

// One field of the full invoice broken at a time: exactly its violation.
struct BrokenField {
  const char* name;
  void (*mutate)(v1::Invoice&);
  const ViolationType* type;
  const char* field;
};

void SetOtherInfoValue(v1::OtherInfo* o) { o->set_value(Repeat("x", kMaxOtherInfoValueLength + 1)); }

const BrokenField kBrokenFields[] = {
    {"dossier_code", [](v1::Invoice& i) { i.set_dossier_code(Repeat("x", 21)); },
     &kFormatMaxLength, "dossier_code"},
    {"non_tariff_zone", [](v1::Invoice& i) { i.set_non_tariff_zone("2"); }, &kFormatCodeList,
     "non_tariff_zone"},
    {"list_number", [](v1::Invoice& i) { i.set_list_number(Repeat("x", 51)); },
     &kFormatMaxLength, "list_number"},
    {"list_date", [](v1::Invoice& i) { i.set_list_date("2026-02-30"); }, &kDateInvalid,
     "list_date"},
    {"issuer_tax_code", [](v1::Invoice& i) { i.set_issuer_tax_code("0100047517"); },
     &kTaxCodeCheckDigit, "issuer_tax_code"},
    {"issuer_tax_code_length", [](v1::Invoice& i) { i.set_issuer_tax_code(Repeat("1", 15)); },
     &kFormatMaxLength, "issuer_tax_code"},
    {"issuer_name", [](v1::Invoice& i) { i.set_issuer_name(Repeat("đ", 401)); },
     &kFormatMaxLength, "issuer_name"},
    {"issuer_address", [](v1::Invoice& i) { i.set_issuer_address(Repeat("đ", 401)); },
     &kFormatMaxLength, "issuer_address"},
    {"hdcttchinh", [](v1::Invoice& i) { i.set_hdcttchinh("yes"); }, &kFormatCodeList,
     "hdcttchinh"},
    {"related_list_number",
     [](v1::Invoice& i) { i.mutable_related()->set_list_number(Repeat("x", 51)); },
     &kFormatMaxLength, "related.list_number"},
    {"related_list_date", [](v1::Invoice& i) { i.mutable_related()->set_list_date("15/11/2026"); },
     &kDateInvalid, "related.list_date"},
    {"seller_fax", [](v1::Invoice& i) { i.mutable_seller()->set_fax(Repeat("1", 21)); },
     &kFormatMaxLength, "seller.fax"},
    {"seller_website", [](v1::Invoice& i) { i.mutable_seller()->set_website(Repeat("w", 101)); },
     &kFormatMaxLength, "seller.website"},
    {"seller_store_code",
     [](v1::Invoice& i) { i.mutable_seller()->set_store_code(Repeat("c", 51)); },
     &kFormatMaxLength, "seller.store_code"},
    {"seller_store_name",
     [](v1::Invoice& i) { i.mutable_seller()->set_store_name(Repeat("n", 401)); },
     &kFormatMaxLength, "seller.store_name"},
    {"seller_store_name_control",
     [](v1::Invoice& i) { i.mutable_seller()->set_store_name("Cửa hàng\n1"); }, &kFormatPattern,
     "seller.store_name"},
    {"buyer_budget_unit_short",
     [](v1::Invoice& i) { i.mutable_buyer()->set_budget_unit_code("123456"); }, &kFormatPattern,
     "buyer.budget_unit_code"},
    {"buyer_budget_unit_symbol",
     [](v1::Invoice& i) { i.mutable_buyer()->set_budget_unit_code("12345-7"); }, &kFormatPattern,
     "buyer.budget_unit_code"},
    {"seller_other_info",
     [](v1::Invoice& i) { SetOtherInfoValue(i.mutable_seller()->mutable_other_info(0)); },
     &kFormatMaxLength, "seller.other_info[0].value"},
    {"buyer_other_info",
     [](v1::Invoice& i) {
       i.mutable_buyer()->mutable_other_info(0)->set_field(Repeat("f", kMaxOtherInfoFieldLength + 1));
     },
     &kFormatMaxLength, "buyer.other_info[0].field"},
    {"line_tax_amount", [](v1::Invoice& i) { i.mutable_lines(0)->set_tax_amount("68,000"); },
     &kFormatDecimal, "lines[0].tax_amount"},
    {"line_tax_amount_negative",
     [](v1::Invoice& i) {
       i.clear_related();  // negative values only on adjustments
       i.mutable_lines(0)->set_tax_amount("-1");
     },
     &kNegativeAmount, "lines[0].tax_amount"},
    {"line_amount_after_tax",
     [](v1::Invoice& i) { i.mutable_lines(0)->set_amount_after_tax("918000.0000001"); },
     &kFormatDecimal, "lines[0].amount_after_tax"},
    {"line_other_info",
     [](v1::Invoice& i) { SetOtherInfoValue(i.mutable_lines(0)->mutable_other_info(0)); },
     &kFormatMaxLength, "lines[0].other_info[0].value"},
    {"special_goods_entry",
     [](v1::Invoice& i) {
       i.mutable_lines(1)->mutable_special_goods(1)->set_data_type(
           Repeat("t", kMaxOtherInfoTypeLength + 1));
     },
     &kFormatMaxLength, "lines[1].special_goods[1].data_type"},
    {"special_goods_on_ordinary_line",
     [](v1::Invoice& i) { i.mutable_lines(1)->set_nature(v1::LINE_NATURE_GOODS_OR_SERVICE); },
     &kFormatPattern, "lines[1].special_goods"},
    {"total_not_taxable",
     [](v1::Invoice& i) { i.mutable_totals()->set_total_not_taxable("abc"); }, &kFormatDecimal,
     "totals.total_not_taxable"},
    {"total_other", [](v1::Invoice& i) { i.mutable_totals()->set_total_other("1e5"); },
     &kFormatDecimal, "totals.total_other"},
    {"fee_name_required", [](v1::Invoice& i) { i.mutable_totals()->mutable_fees(1)->clear_name(); },
     &kFormatRequired, "totals.fees[1].name"},
    {"fee_name_length",
     [](v1::Invoice& i) {
       i.mutable_totals()->mutable_fees(0)->set_name(Repeat("p", kMaxFeeNameLength + 1));
     },
     &kFormatMaxLength, "totals.fees[0].name"},
    {"fee_amount_required",
     [](v1::Invoice& i) { i.mutable_totals()->mutable_fees(0)->clear_amount(); },
     &kFormatRequired, "totals.fees[0].amount"},
    {"fee_amount_decimal",
     [](v1::Invoice& i) { i.mutable_totals()->mutable_fees(0)->set_amount("20.000,00"); },
     &kFormatDecimal, "totals.fees[0].amount"},
    {"fee_amount_negative",
     [](v1::Invoice& i) {
       i.clear_related();
       i.mutable_totals()->mutable_fees(1)->set_amount("-5000");
     },
     &kNegativeAmount, "totals.fees[1].amount"},
    {"payable_without_fees",
     [](v1::Invoice& i) { i.mutable_totals()->set_total_payable("2374500"); },
     &kTotalPayableMismatch, "totals.total_payable"},
    {"totals_other_info",
     [](v1::Invoice& i) { SetOtherInfoValue(i.mutable_totals()->mutable_other_info(0)); },
     &kFormatMaxLength, "totals.other_info[0].value"},
    {"content_other_info",
     [](v1::Invoice& i) { SetOtherInfoValue(i.mutable_content_other_info(0)); },
     &kFormatMaxLength, "content_other_info[0].value"},
    {"document_other_info",
     [](v1::Invoice& i) { i.mutable_document_other_info(0)->set_value("a\x01"); },
     &kFormatPattern, "document_other_info[0].value"},
};

TEST(ValidatorV210Test, EachElementRefusedWithItsViolation) {
  for (const BrokenField& b : kBrokenFields) {
    EXPECT_THAT(Validate(Full(b.mutate)), ElementsAre(Violates(*b.type, b.field))) << b.name;
  }
}

TEST(ValidatorV210Test, LimitsAreInclusive) {
  EXPECT_THAT(Validate(Full([](auto& i) {
                i.set_dossier_code(Repeat("x", 20));
                i.set_list_number(Repeat("x", 50));
                i.set_issuer_name(Repeat("đ", 400));
                i.mutable_related()->set_list_number(Repeat("x", 50));
                i.mutable_seller()->set_fax(Repeat("1", 20));
                i.mutable_seller()->set_website(Repeat("w", 100));
                i.mutable_seller()->set_store_code(Repeat("c", 50));
                i.mutable_seller()->set_store_name(Repeat("n", 400));
                i.mutable_buyer()->set_budget_unit_code("ABC1234");
                i.mutable_totals()->mutable_fees(0)->set_name(Repeat("p", kMaxFeeNameLength));
                i.set_hdcttchinh("1");
                i.set_non_tariff_zone("0");
              })),
              IsEmpty());
}

TEST(ValidatorV210Test, TooManyEntriesReportedOnce) {
  const v1::Invoice many_fees = Full([](auto& i) {
    for (int k = 0; k < kMaxFees; ++k) i.mutable_totals()->add_fees()->CopyFrom(i.totals().fees(0));
  });
  EXPECT_THAT(Validate(many_fees), ElementsAre(Violates(kFormatMaxLength, "totals.fees")));
  const v1::Invoice many_infos = Full([](auto& i) {
    for (int k = 0; k < kMaxOtherInfo; ++k) i.mutable_lines(1)->add_special_goods();
  });
  EXPECT_THAT(Validate(many_infos),
              ElementsAre(Violates(kFormatMaxLength, "lines[1].special_goods")));
}

// Fees count in the payable total: TgTTTBSo = TgTCThue + TgTThue + Σ TPhi.
TEST(ValidatorV210Test, FeesCountInThePayableTotal) {
  // A fee changed without the total: the total is wrong by exactly that much.
  const std::vector<Violation> v =
      Validate(Full([](auto& i) { i.mutable_totals()->mutable_fees(0)->set_amount("30000"); }));
  ASSERT_THAT(v, ElementsAre(Violates(kTotalPayableMismatch, "totals.total_payable")));
  EXPECT_EQ(v[0].message_en,
            "The total payable is not total before tax + total tax: expected 2409500, got "
            "2399500");
  // On a sales invoice (no VAT) too: payable = before tax + fees.
  v1::Invoice sales = Baseline([](auto& i) {
    i.set_template_code("2");
    for (v1::LineItem& line : *i.mutable_lines()) line.clear_vat_rate();
    i.mutable_totals()->clear_rate_summaries();
    i.mutable_totals()->clear_total_tax();
    v1::Fee* fee = i.mutable_totals()->add_fees();
    fee->set_name("Phí");
    fee->set_amount("1500");
    i.mutable_totals()->set_total_payable("2188000");  // 2 186 500 + 1 500
  });
  EXPECT_THAT(Validate(sales), IsEmpty());
  sales.mutable_totals()->set_total_payable("2186500");
  EXPECT_THAT(Validate(sales), ElementsAre(Violates(kTotalPayableMismatch, "totals.total_payable")));
}

// A fee that cannot be read leaves the payable total unchecked (one violation, not two).
TEST(ValidatorV210Test, UnreadableFeeIsOneViolation) {
  EXPECT_THAT(Validate(Full([](auto& i) { i.mutable_totals()->mutable_fees(0)->set_amount("x"); })),
              ElementsAre(Violates(kFormatDecimal, "totals.fees[0].amount")));
}

// ---- template 6: delivery notes --------------------------------------------------------------

using ::einvoice::testing::DeliveryNoteInvoice;

template <typename F>
v1::Invoice DeliveryNote(F mutate) {
  v1::Invoice invoice = DeliveryNoteInvoice();
  mutate(invoice);
  return invoice;
}

TEST(ValidatorDeliveryNoteTest, ADeliveryNoteCarriesNoVat) {
  EXPECT_THAT(Validate(DeliveryNoteInvoice()), IsEmpty());
  // Consignment (B) too.
  EXPECT_THAT(Validate(DeliveryNote([](auto& i) { i.set_symbol("C26BAA"); })), IsEmpty());
  // The VAT rules are not its template's: a line's rate is neither required nor checked.
  EXPECT_THAT(Validate(DeliveryNote([](auto& i) { i.mutable_lines(0)->set_vat_rate("9%"); })),
              IsEmpty());
  // It charges no tax: a total tax other than 0 is wrong, a summary has no rate to summarise.
  EXPECT_THAT(Validate(DeliveryNote([](auto& i) { i.mutable_totals()->set_total_tax("0"); })),
              IsEmpty());
  EXPECT_THAT(Validate(DeliveryNote([](auto& i) { i.mutable_totals()->set_total_tax("10"); })),
              ElementsAre(Violates(kTotalTaxMismatch, "totals.total_tax")));
  EXPECT_THAT(Validate(DeliveryNote([](auto& i) {
                v1::RateSummary* s = i.mutable_totals()->add_rate_summaries();
                s->set_vat_rate("10%");
                s->set_taxable_amount("0");
                s->set_tax_amount("0");
              })),
              ElementsAre(Violates(kRateSummaryExtra, "totals.rate_summaries[0]")));
}

// The receiver of an internal transfer is often the seller's own branch; its tax code is
// checked as any buyer's.
TEST(ValidatorDeliveryNoteTest, BuyerTaxRulesApply) {
  EXPECT_THAT(Validate(DeliveryNote([](auto& i) {
                i.mutable_buyer()->set_tax_code(BaselineSellerTaxCode() + "-000");
              })),
              ElementsAre(Violates(kTaxCodeBranch, "buyer.tax_code")));
  EXPECT_THAT(Validate(DeliveryNote([](auto& i) { i.mutable_buyer()->set_tax_code("0100047517"); })),
              ElementsAre(Violates(kTaxCodeCheckDigit, "buyer.tax_code")));
  EXPECT_THAT(Validate(DeliveryNote([](auto& i) { i.mutable_buyer()->clear_name(); })),
              ElementsAre(Violates(kFormatRequired, "buyer.name")));
}

struct DeliveryField {
  const char* field;
  void (*set)(v1::Invoice&, const std::string&);
  size_t max;  // 0: a date
};

const DeliveryField kDeliveryFields[] = {
    {"seller.transfer_order",
     [](v1::Invoice& i, const std::string& v) { i.mutable_seller()->set_transfer_order(v); }, 255},
    {"seller.contract_number",
     [](v1::Invoice& i, const std::string& v) { i.mutable_seller()->set_contract_number(v); }, 255},
    {"seller.contract_date",
     [](v1::Invoice& i, const std::string& v) { i.mutable_seller()->set_contract_date(v); }, 0},
    {"seller.dispatcher_name",
     [](v1::Invoice& i, const std::string& v) { i.mutable_seller()->set_dispatcher_name(v); }, 100},
    {"seller.transporter_name",
     [](v1::Invoice& i, const std::string& v) { i.mutable_seller()->set_transporter_name(v); },
     100},
    {"seller.transport_means",
     [](v1::Invoice& i, const std::string& v) { i.mutable_seller()->set_transport_means(v); }, 50},
    {"buyer.receiver_name",
     [](v1::Invoice& i, const std::string& v) { i.mutable_buyer()->set_receiver_name(v); }, 100},
};

TEST(ValidatorDeliveryNoteTest, DeliveryElementsOnlyOnTemplateSix) {
  for (const DeliveryField& d : kDeliveryFields) {
    v1::Invoice invoice = BaselineInvoice();
    d.set(invoice, d.max == 0 ? "2026-01-15" : "x");
    const std::vector<Violation> v = Validate(invoice);
    ASSERT_THAT(v, ElementsAre(Violates(kFormatPattern, d.field))) << d.field;
    EXPECT_EQ(v[0].message_en,
              "Invalid data format: not defined for template 1 (only delivery notes, template 6, "
              "carry it)");
  }
}

TEST(ValidatorDeliveryNoteTest, DeliveryElementLimits) {
  for (const DeliveryField& d : kDeliveryFields) {
    if (d.max == 0) {
      EXPECT_THAT(Validate(DeliveryNote([&](auto& i) { d.set(i, "2026-13-01"); })),
                  ElementsAre(Violates(kDateInvalid, d.field)));
      continue;
    }
    EXPECT_THAT(Validate(DeliveryNote([&](auto& i) { d.set(i, Repeat("đ", d.max)); })), IsEmpty())
        << d.field;
    EXPECT_THAT(Validate(DeliveryNote([&](auto& i) { d.set(i, Repeat("đ", d.max + 1)); })),
                ElementsAre(Violates(kFormatMaxLength, d.field)));
  }
}

}  // namespace
}  // namespace einvoice
