// Rule profiles: the built-in `authority` and `strict` profiles, profile files, and what a
// profile does to a submission — the real-traffic shapes the real authority codes (domain
// brief §7) are coded with warnings under `authority` and refused under `strict`.
#include "domain/rule_profile.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/invoice_queries.h"
#include "gmock/gmock.h"
#include "rules/violation_catalogue.h"
#include "tests/domain/domain_fixture.h"
#include "rules/signature_violations.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::DomainFixture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::einvoice::testing::StatusIs;

// ---- the profiles themselves -----------------------------------------------------------------

TEST(RuleProfileTest, AuthorityWarnsOnArithmeticAndRejectsTheRest) {
  const RuleProfile authority = RuleProfile::Authority();
  EXPECT_EQ(authority.name(), "authority");
  for (const ViolationType* warns :
       {&kLineAmountMismatch, &kRateSummaryMissing, &kRateSummaryExtra, &kRateSummaryDuplicate,
        &kRateTaxableMismatch, &kRateTaxMismatch, &kTotalBeforeTaxMismatch, &kTotalTaxMismatch,
        &kTotalTradeDiscountMismatch, &kTotalPayableMismatch, &kAmountInWordsMissing,
        &kUnitPriceMissing}) {
    EXPECT_EQ(authority.SeverityOf(warns->rule), Severity::kWarn) << warns->rule;
  }
  for (const ViolationType* rejects :
       {&kFormatRequired, &kFormatPattern, &kFormatCodeList, &kTaxCodeCheckDigit, &kSymbolFormat,
        &kSymbolYearMismatch, &kIssueDateInFuture, &kVatRateUnknown, &kDuplicateInvoice,
        &kSellerNotRegistered, &kSellerSignatureInvalid, &kSellerCertificateNotRegistered,
        &kNegativeAmount, &kRelatedIncomplete}) {
    EXPECT_EQ(authority.SeverityOf(rejects->rule), Severity::kReject) << rejects->rule;
  }
}

TEST(RuleProfileTest, StrictRejectsEveryRule) {
  const RuleProfile strict = RuleProfile::Strict();
  EXPECT_EQ(strict.name(), "strict");
  for (absl::string_view rule : RuleProfile::KnownRules()) {
    EXPECT_EQ(strict.SeverityOf(rule), Severity::kReject) << rule;
  }
}

TEST(RuleProfileTest, KnownRulesAreBothCatalogues) {
  const auto& known = RuleProfile::KnownRules();
  EXPECT_EQ(known.size(), std::size(kAllViolationTypes) + std::size(kAllXmlViolationTypes));
  EXPECT_NE(std::find(known.begin(), known.end(), kSellerSignatureMissing.rule), known.end());
  EXPECT_NE(std::find(known.begin(), known.end(), kUnitPriceMissing.rule), known.end());
}

TEST(RuleProfileTest, BuiltInByName) {
  ASSERT_OK(RuleProfile::BuiltIn("authority").status());
  ASSERT_OK(RuleProfile::BuiltIn("strict").status());
  EXPECT_EQ(RuleProfile::BuiltIn("lenient").status().code(), absl::StatusCode::kNotFound);
}

TEST(RuleProfileTest, FileOverridesSingleRulesOnTopOfItsBase) {
  absl::StatusOr<RuleProfile> profile = RuleProfile::FromJson(
      R"({"base": "strict", "rules": {"totals.total_payable_mismatch": "warn",
                                      "totals.amount_in_words_missing": "off"}})");
  ASSERT_OK(profile.status());
  EXPECT_EQ(profile->name(), "strict+file");
  EXPECT_EQ(profile->SeverityOf(kTotalPayableMismatch.rule), Severity::kWarn);
  EXPECT_EQ(profile->SeverityOf(kAmountInWordsMissing.rule), Severity::kOff);
  EXPECT_EQ(profile->SeverityOf(kLineAmountMismatch.rule), Severity::kReject);  // strict's

  absl::StatusOr<RuleProfile> on_authority =
      RuleProfile::FromJson(R"({"rules": {"line.amount_mismatch": "reject"}})");
  ASSERT_OK(on_authority.status());
  EXPECT_EQ(on_authority->name(), "authority+file");  // the default base
  EXPECT_EQ(on_authority->SeverityOf(kLineAmountMismatch.rule), Severity::kReject);
  EXPECT_EQ(on_authority->SeverityOf(kTotalTaxMismatch.rule), Severity::kWarn);
}

TEST(RuleProfileTest, BadFilesAreRefusedNamingTheKey) {
  struct Case {
    const char* json;
    const char* says;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"rules": {"no.such_rule": "warn"}})", "no.such_rule"},
           {R"({"rules": {"line.amount_mismatch": "maybe"}})", "line.amount_mismatch"},
           {R"({"base": "lenient"})", "base"},
           {R"({"severity": {}})", "severity"},
           {R"(not json)", "rule profile"},
           {R"({"rules": {"invoice.duplicate": "warn"}})", "always rejects"},
           {R"({"rules": {"seller.not_registered": "off"}})", "always rejects"},
           {R"({"rules": {"format.max_length": "off"}})", "always rejects"},
       }) {
    absl::StatusOr<RuleProfile> profile = RuleProfile::FromJson(c.json);
    ASSERT_EQ(profile.status().code(), absl::StatusCode::kInvalidArgument) << c.json;
    EXPECT_THAT(std::string(profile.status().message()), HasSubstr(c.says)) << c.json;
  }
  // A fixed rule may be named, at its only severity.
  ASSERT_OK(RuleProfile::FromJson(R"({"rules": {"invoice.duplicate": "reject"}})").status());
}

TEST(RuleProfileTest, ApplySetsSeveritiesAndDropsWhatIsOff) {
  absl::StatusOr<RuleProfile> profile =
      RuleProfile::FromJson(R"({"rules": {"totals.amount_in_words_missing": "off"}})");
  ASSERT_OK(profile.status());
  std::vector<Violation> violations = {
      MakeViolation(kFormatPattern, "buyer.citizen_id"),
      MakeViolation(kAmountInWordsMissing, "totals.total_payable_in_words"),
      MakeViolation(kTotalPayableMismatch, "totals.total_payable"),
  };
  profile->Apply(violations);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].rule, kFormatPattern.rule);
  EXPECT_EQ(violations[0].severity, Severity::kReject);
  EXPECT_EQ(violations[1].rule, kTotalPayableMismatch.rule);
  EXPECT_EQ(violations[1].severity, Severity::kWarn);
  EXPECT_EQ(ToProto(violations[1]).severity(), v1::VIOLATION_SEVERITY_WARNING);
  EXPECT_EQ(ToProto(violations[0]).severity(), v1::VIOLATION_SEVERITY_REJECT);
}

TEST(RuleProfileTest, EveryRuleSaysHowToFixItAsTheDocsDo) {
  // The English hint is the "how to fix" column of the rule's row in docs/violations.md or
  // docs/xml.md (one text, two places, kept equal).
  std::string docs;
  for (const char* path : {EINVOICE_VIOLATIONS_DOC, EINVOICE_XML_DOC}) {
    std::ifstream file(path);
    ASSERT_TRUE(file.good()) << path;
    std::stringstream buffer;
    buffer << file.rdbuf();
    docs += buffer.str();
  }
  for (absl::string_view rule : RuleProfile::KnownRules()) {
    const ViolationType* type = FindViolationType(rule);
    ASSERT_NE(type, nullptr) << rule;
    EXPECT_FALSE(type->hint_vi.empty()) << rule;
    EXPECT_FALSE(type->hint_en.empty()) << rule;
    EXPECT_NE(docs.find(absl::StrCat(" | ", type->hint_en, " |\n")), std::string::npos)
        << rule << ": docs do not say \"" << type->hint_en << "\"";
    // And it travels: MakeViolation copies both hints onto the wire.
    const v1::Violation wire = ToProto(MakeViolation(*type, "x"));
    EXPECT_EQ(wire.hint(), type->hint_vi);
    EXPECT_EQ(wire.hint_en(), type->hint_en);
  }
  EXPECT_EQ(FindViolationType("no.such_rule"), nullptr);
}

TEST(RuleProfileTest, DocsShowEveryRulesSeverityInBothProfiles) {
  std::ifstream file(EINVOICE_VIOLATIONS_DOC);
  ASSERT_TRUE(file.good()) << EINVOICE_VIOLATIONS_DOC;
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string doc = buffer.str();
  const RuleProfile authority = RuleProfile::Authority();
  const RuleProfile strict = RuleProfile::Strict();
  auto row = [&](const ViolationType& type) {
    return absl::StrCat("| ", type.code, " | `", type.rule, "` | ",
                        SeverityName(authority.SeverityOf(type.rule)), " | ",
                        SeverityName(strict.SeverityOf(type.rule)), " |",
                        RuleProfile::IsFixed(type.rule) ? " always rejects |" : " |");
  };
  for (const ViolationType* type : kAllViolationTypes) {
    EXPECT_NE(doc.find(row(*type)), std::string::npos) << "missing or wrong row: " << row(*type);
  }
  for (const ViolationType* type : kAllXmlViolationTypes) {
    EXPECT_NE(doc.find(row(*type)), std::string::npos) << "missing or wrong row: " << row(*type);
  }
}

// ---- what a profile does to a submission -----------------------------------------------------

// The shapes of real invoices the real authority coded (domain brief §7), built from the
// baseline.
v1::Invoice AllLinesNotSubjectToVatWithoutRateSummary() {
  v1::Invoice invoice = BaselineInvoice();
  for (v1::LineItem& line : *invoice.mutable_lines()) line.set_vat_rate("KCT");
  v1::Totals* totals = invoice.mutable_totals();
  totals->clear_rate_summaries();  // THTTLTSuat present but empty
  totals->set_total_tax("0");
  totals->set_total_payable(totals->total_before_tax());
  return invoice;
}

v1::Invoice WithoutAmountInWords() {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_totals()->clear_total_payable_in_words();
  return invoice;
}

v1::Invoice WithWrongTotalPayable() {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_totals()->set_total_payable("2374000");  // 500 short
  return invoice;
}

v1::Invoice WithWrongLineAmount() {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_lines(0)->set_amount("851000");  // 10 × 85 000 = 850 000
  return invoice;
}

v1::Invoice WithGoodsLineWithoutUnitPrice() {
  v1::Invoice invoice = BaselineInvoice();
  v1::LineItem* line = invoice.add_lines();
  line->set_nature(v1::LINE_NATURE_GOODS_OR_SERVICE);
  line->set_line_no(4);
  line->set_name("Hàng tặng kèm, giao sau (ghi chú)");
  line->set_quantity("1");
  line->set_amount("0");
  line->set_vat_rate("10%");
  return invoice;
}

v1::Invoice WithBadCitizenId() {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_buyer()->set_citizen_id("0123456789");  // 10 digits, not 12
  return invoice;
}

class ProfiledSubmissionTest : public DomainFixture {
 protected:
  void UseProfile(RuleProfile profile) {
    InvoiceAuthenticator::Options options;
    options.rule_profile = std::move(profile);
    authenticator_ = std::make_unique<InvoiceAuthenticator>(
        &store_, &sellers_, keys_.get(), &signer_, codes_.get(), &access_, &clock_,
        std::move(options));
  }

  SubmitOutcome Submit(const v1::Invoice& invoice, uint32_t number) {
    v1::Invoice numbered = invoice;
    numbered.set_number(number);
    return authenticator_->Submit(local_operator_, numbered, "");
  }

  static std::vector<std::string> Rules(
      const google::protobuf::RepeatedPtrField<v1::Violation>& violations) {
    std::vector<std::string> rules;
    for (const v1::Violation& v : violations) {
      EXPECT_EQ(v.severity(), v1::VIOLATION_SEVERITY_WARNING) << v.rule();
      rules.push_back(v.rule());
    }
    return rules;
  }
};

struct Shape {
  const char* name;
  v1::Invoice (*make)();
  std::vector<std::string> warnings;
};

std::vector<Shape> RealShapes() {
  return {
      {"all KCT, empty rate summary", AllLinesNotSubjectToVatWithoutRateSummary,
       {"totals.rate_summary_missing"}},
      {"no amount in words", WithoutAmountInWords, {"totals.amount_in_words_missing"}},
      {"wrong total payable", WithWrongTotalPayable, {"totals.total_payable_mismatch"}},
      {"wrong line amount", WithWrongLineAmount,
       {"line.amount_mismatch", "totals.rate_taxable_mismatch", "totals.rate_tax_mismatch",
        "totals.total_before_tax_mismatch", "totals.total_tax_mismatch",
        "totals.total_payable_mismatch"}},
      {"goods line without unit price", WithGoodsLineWithoutUnitPrice,
       {"line.unit_price_missing"}},
  };
}

TEST_F(ProfiledSubmissionTest, RealShapesAreCodedWithTheirWarningsUnderAuthority) {
  uint32_t number = 100;
  for (const Shape& shape : RealShapes()) {
    SCOPED_TRACE(shape.name);
    const SubmitOutcome outcome = Submit(shape.make(), ++number);
    ASSERT_OK(outcome.status);
    EXPECT_THAT(outcome.violations, IsEmpty());
    EXPECT_EQ(Rules(outcome.accepted.warnings()), shape.warnings);
    // Stored beside the record, outside what was signed: the signed record has no warnings.
    absl::StatusOr<std::optional<std::string>> stored =
        store_.GetByCode(outcome.accepted.authority_code());
    ASSERT_OK(stored.status());
    ASSERT_TRUE(stored->has_value());
    v1::AuthenticatedInvoice record;
    ASSERT_TRUE(record.ParseFromString(**stored));
    EXPECT_EQ(record.warnings_size(), outcome.accepted.warnings_size());
    EXPECT_EQ(record.signed_record(), outcome.accepted.signed_record());
    // The answer carries how to fix each warning; the stored copy does not repeat the hints.
    for (const v1::Violation& warning : outcome.accepted.warnings()) {
      EXPECT_FALSE(warning.hint().empty()) << warning.rule();
      EXPECT_FALSE(warning.hint_en().empty()) << warning.rule();
    }
    for (const v1::Violation& warning : record.warnings()) {
      EXPECT_TRUE(warning.hint().empty() && warning.hint_en().empty()) << warning.rule();
    }
    AttachWarningHints(record);
    EXPECT_EQ(record.SerializeAsString(), outcome.accepted.SerializeAsString());
  }
  EXPECT_EQ(store_.size(), RealShapes().size());
}

TEST_F(ProfiledSubmissionTest, RealShapesAreRefusedUnderStrict) {
  UseProfile(RuleProfile::Strict());
  uint32_t number = 200;
  for (const Shape& shape : RealShapes()) {
    SCOPED_TRACE(shape.name);
    const SubmitOutcome outcome = Submit(shape.make(), ++number);
    EXPECT_EQ(outcome.status.code(), absl::StatusCode::kInvalidArgument);
    ASSERT_FALSE(outcome.violations.empty());
    EXPECT_EQ(outcome.violations.front().rule, shape.warnings.front());
    EXPECT_EQ(outcome.violations.front().severity, Severity::kReject);
  }
  EXPECT_EQ(store_.size(), 0u);
  EXPECT_EQ(InvoiceSignatures(), 0);
}

TEST_F(ProfiledSubmissionTest, WhatTheAuthorityRefusesIsRefusedUnderAuthority) {
  const SubmitOutcome outcome = Submit(WithBadCitizenId(), 300);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(outcome.violations.size(), 1u);
  EXPECT_EQ(outcome.violations[0].rule, kFormatPattern.rule);
  EXPECT_EQ(outcome.violations[0].field, "buyer.citizen_id");
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(ProfiledSubmissionTest, ARejectionListsWhatRejectsFirstThenTheWarnings) {
  v1::Invoice invoice = WithWrongTotalPayable();
  invoice.mutable_buyer()->set_citizen_id("12");
  const SubmitOutcome outcome = Submit(invoice, 301);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(outcome.violations.size(), 2u);
  EXPECT_EQ(outcome.violations[0].rule, kFormatPattern.rule);
  EXPECT_EQ(outcome.violations[0].severity, Severity::kReject);
  EXPECT_EQ(outcome.violations[1].rule, kTotalPayableMismatch.rule);
  EXPECT_EQ(outcome.violations[1].severity, Severity::kWarn);
  EXPECT_THAT(std::string(outcome.status.message()), HasSubstr("1 violation(s)"));
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(ProfiledSubmissionTest, AReplayReturnsTheSameWarnings) {
  const SubmitOutcome first = Submit(WithWrongTotalPayable(), 302);
  ASSERT_OK(first.status);
  ASSERT_EQ(first.accepted.warnings_size(), 1);
  const SubmitOutcome again = Submit(WithWrongTotalPayable(), 302);
  ASSERT_OK(again.status);
  EXPECT_TRUE(again.replay);
  EXPECT_EQ(again.accepted.SerializeAsString(), first.accepted.SerializeAsString());
}

TEST_F(ProfiledSubmissionTest, ARuleThatIsOffIsNotReported) {
  absl::StatusOr<RuleProfile> profile =
      RuleProfile::FromJson(R"({"rules": {"totals.total_payable_mismatch": "off"}})");
  ASSERT_OK(profile.status());
  UseProfile(*std::move(profile));
  const SubmitOutcome outcome = Submit(WithWrongTotalPayable(), 303);
  ASSERT_OK(outcome.status);
  EXPECT_EQ(outcome.accepted.warnings_size(), 0);
}

TEST_F(ProfiledSubmissionTest, AnUnregisteredSellerIsStillAPreconditionWithWarnings) {
  v1::Invoice invoice = WithWrongTotalPayable();
  invoice.mutable_seller()->set_tax_code(testing::SyntheticTaxCode(4242));
  const SubmitOutcome outcome = Submit(invoice, 304);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(outcome.violations.size(), 2u);
  EXPECT_EQ(outcome.violations[0].rule, kSellerNotRegistered.rule);
  EXPECT_EQ(outcome.violations[1].severity, Severity::kWarn);
}

TEST_F(ProfiledSubmissionTest, StatisticsCountRejectionsAndWarningsByRule) {
  ASSERT_OK(Submit(WithWrongTotalPayable(), 400).status);
  ASSERT_OK(Submit(WithoutAmountInWords(), 401).status);
  ASSERT_OK(Submit(WithWrongTotalPayable(), 400).status);  // a replay counts nothing
  v1::Invoice refused = WithWrongTotalPayable();
  refused.mutable_buyer()->set_citizen_id("12");  // refused, with a warning too
  EXPECT_FALSE(Submit(refused, 402).status.ok());
  InvoiceQueries queries(&store_, keys_.get(), &access_, &clock_);
  ASSERT_OK_AND_ASSIGN(v1::GetStatsResponse stats, queries.Stats(OfficerCaller(), {}));
  ASSERT_EQ(stats.days_size(), 1);
  const v1::DayStats& today = stats.days(0);
  EXPECT_EQ(today.issued(), 2u);
  EXPECT_EQ(today.rejected(), 1u);
  EXPECT_EQ(today.warned_by_rule().at("totals.total_payable_mismatch"), 1u);
  EXPECT_EQ(today.warned_by_rule().at("totals.amount_in_words_missing"), 1u);
  EXPECT_EQ(today.warned_by_rule().size(), 2u);
  // Only what refused is counted for a rejection; its warnings are not "warned" (not coded).
  EXPECT_EQ(today.rejected_by_rule().at("format.pattern"), 1u);
  EXPECT_EQ(today.rejected_by_rule().size(), 1u);
}

TEST_F(ProfiledSubmissionTest, OfficersSearchTheInvoicesCodedWithAWarning) {
  const SubmitOutcome wrong_total = Submit(WithWrongTotalPayable(), 500);
  ASSERT_OK(wrong_total.status);
  ASSERT_OK(Submit(WithoutAmountInWords(), 501).status);
  ASSERT_OK(Submit(BaselineInvoice(), 502).status);
  InvoiceQueries queries(&store_, keys_.get(), &access_, &clock_);
  v1::SearchInvoicesRequest request;
  request.set_warning_rule("totals.total_payable_mismatch");
  ASSERT_OK_AND_ASSIGN(v1::SearchInvoicesResponse found, queries.Search(OfficerCaller(), request));
  ASSERT_EQ(found.invoices_size(), 1);
  EXPECT_EQ(found.invoices(0).authority_code(), wrong_total.accepted.authority_code());
  // Officers only: the seller itself may not list its invoices by warning.
  EXPECT_THAT(queries.Search(TaxpayerCaller(BaselineInvoice().seller().tax_code()), request),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // A rule that does not exist is a mistake, not an empty list.
  request.set_warning_rule("totals.no_such_rule");
  EXPECT_THAT(queries.Search(OfficerCaller(), request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace einvoice
