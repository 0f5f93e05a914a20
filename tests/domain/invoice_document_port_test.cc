// The InvoiceDocument port (domain/invoice_document.h) from the domain's side: the
// authenticator's one path takes a document in any form, with no XML in sight — a fake
// document stands for one, and each of its answers is seen to count.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/limits.h"
#include "domain/invoice_document.h"
#include "gmock/gmock.h"
#include "rules/signature_violations.h"
#include "rules/violation_catalogue.h"
#include "tests/domain/domain_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::testing::Contains;
using ::testing::Field;

// A document in some form: what it says about itself is set by the test; what the workflow
// asked of it is recorded.
class FakeDocument final : public InvoiceDocument {
 public:
  explicit FakeDocument(v1::Invoice invoice, std::string code = "")
      : invoice_(std::move(invoice)), code_(std::move(code)) {}

  const v1::Invoice& invoice() const override { return invoice_; }
  absl::string_view carried_code() const override { return code_; }
  std::vector<Violation> Explain(std::vector<Violation> rule_violations) const override {
    std::vector<Violation> out = own_problems;
    for (Violation& v : rule_violations) {
      v.field = "form:" + v.field;  // restated in the form's terms
      out.push_back(std::move(v));
    }
    return out;
  }
  std::vector<Violation> CheckSellerSignature(const v1::Seller& seller,
                                              absl::Time) const override {
    signature_checked_for = seller.tax_code();
    return signature_problems;
  }
  size_t CodedSizeBound() const override { return coded_size_bound; }
  absl::StatusOr<std::string> Code(const CodingStamp& stamp) override {
    ++code_calls;
    coded_with = stamp;
    if (!code_status.ok()) return code_status;
    return "coded:" + stamp.authority_code;
  }

  std::vector<Violation> own_problems;
  std::vector<Violation> signature_problems;
  size_t coded_size_bound = 100;
  absl::Status code_status;
  mutable std::optional<std::string> signature_checked_for;
  int code_calls = 0;
  std::optional<CodingStamp> coded_with;

 private:
  const v1::Invoice invoice_;
  const std::string code_;
};

class InvoiceDocumentPortTest : public testing::DomainFixture {
 protected:
  SubmitOutcome Submit(InvoiceDocument& document, absl::string_view key = "") {
    std::optional<SubmitOutcome> result;
    authenticator_->SubmitDocumentAsync(local_operator_, document, key,
                                        [&](SubmitOutcome outcome) { result = std::move(outcome); });
    // The in-memory store completes before InsertAsync returns.
    EXPECT_TRUE(result.has_value());
    return result.value_or(SubmitOutcome{});
  }
};

TEST_F(InvoiceDocumentPortTest, AnAcceptedDocumentIsCodedAfterItsRecordIsSigned) {
  FakeDocument document(BaselineInvoice());
  const SubmitOutcome outcome = Submit(document);
  ASSERT_OK(outcome.status);
  EXPECT_EQ(document.code_calls, 1);
  ASSERT_TRUE(document.coded_with.has_value());
  EXPECT_EQ(document.coded_with->authority_code, outcome.accepted.authority_code());
  EXPECT_EQ(document.coded_with->key_id, outcome.accepted.key_id());
  EXPECT_EQ(document.coded_with->signer, &signer_);
  EXPECT_EQ(outcome.accepted.coded_xml(), "coded:" + outcome.accepted.authority_code());
  EXPECT_EQ(document.signature_checked_for, BaselineInvoice().seller().tax_code());
  EXPECT_EQ(InvoiceSignatures(), 1);  // the record; the fake's coding signs nothing
  EXPECT_EQ(store_.size(), 1u);

  // A resend is the stored answer: not coded again.
  FakeDocument again(BaselineInvoice());
  const SubmitOutcome replay = Submit(again);
  ASSERT_OK(replay.status);
  EXPECT_TRUE(replay.replay);
  EXPECT_EQ(again.code_calls, 0);
  EXPECT_EQ(replay.accepted.coded_xml(), outcome.accepted.coded_xml());
}

TEST_F(InvoiceDocumentPortTest, TheFormsOwnProblemsRejectAndRuleViolationsAreInItsTerms) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_buyer()->set_citizen_id("12345");  // a rule violation
  FakeDocument document(invoice);
  document.own_problems.push_back(MakeViolation(kFormatRequired, "form:somewhere"));
  const SubmitOutcome outcome = Submit(document);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.violations, Contains(Field(&Violation::field, "form:somewhere")));
  EXPECT_THAT(outcome.violations, Contains(Field(&Violation::field, "form:buyer.citizen_id")));
  EXPECT_EQ(document.code_calls, 0);
  EXPECT_EQ(InvoiceSignatures(), 0);
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(InvoiceDocumentPortTest, TheSellersSignatureTheDocumentCarriesDecides) {
  FakeDocument document(BaselineInvoice());
  document.signature_problems.push_back(
      MakeViolation(kSellerSignatureInvalid, "form:signature"));
  const SubmitOutcome outcome = Submit(document);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.violations, Contains(Field(&Violation::code, "20902")));
  EXPECT_EQ(InvoiceSignatures(), 0);
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(InvoiceDocumentPortTest, ACodedFormTooLargeToFetchIsRefusedBeforeTheHsmIsAsked) {
  FakeDocument document(BaselineInvoice());
  document.coded_size_bound = kMaxStoredInvoiceBytes;
  const SubmitOutcome outcome = Submit(document);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.violations, Contains(Field(&Violation::rule, kFormatMaxLength.rule)));
  EXPECT_EQ(InvoiceSignatures(), 0);
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(InvoiceDocumentPortTest, AnOutageWhileCodingIsRetryableAndStoresNothing) {
  FakeDocument document(BaselineInvoice());
  document.code_status = absl::UnavailableError("HSM gone");
  EXPECT_EQ(Submit(document).status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_.size(), 0u);

  FakeDocument broken(BaselineInvoice());
  broken.code_status = absl::InternalError("cannot code");
  EXPECT_EQ(Submit(broken).status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(InvoiceDocumentPortTest, ACashRegisterDocumentKeepsItsCodeAndIsNotCoded) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.set_symbol("C26MAA");
  FakeDocument document(invoice, "M1-26-ABCDE-00000000001");
  std::optional<SubmitOutcome> result;
  authenticator_->SubmitCashRegisterDocumentAsync(
      local_operator_, document, "", [&](SubmitOutcome outcome) { result = std::move(outcome); });
  ASSERT_TRUE(result.has_value());
  ASSERT_OK(result->status);
  EXPECT_EQ(result->accepted.authority_code(), "M1-26-ABCDE-00000000001");
  EXPECT_EQ(document.code_calls, 0);  // CodedSizeBound() is not 0, but nothing is sent back
  EXPECT_TRUE(result->accepted.coded_xml().empty());

  // Without a code: refused, explained by the document.
  FakeDocument codeless(invoice);
  codeless.own_problems.push_back(MakeViolation(kFormatRequired, "form:the code"));
  result.reset();
  authenticator_->SubmitCashRegisterDocumentAsync(
      local_operator_, codeless, "", [&](SubmitOutcome outcome) { result = std::move(outcome); });
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result->violations, Contains(Field(&Violation::field, "form:the code")));
  EXPECT_THAT(result->violations, Contains(Field(&Violation::field, "form:code")));
}

TEST_F(InvoiceDocumentPortTest, XmlWithoutAReaderIsUnimplemented) {
  EXPECT_EQ(authenticator_->SubmitXml(local_operator_, "<HDon/>", "").status.code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(store_.size(), 0u);
}

}  // namespace
}  // namespace einvoice
