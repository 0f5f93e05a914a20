// Cash-register invoices (InvoiceAuthenticator::SubmitCashRegister): the seller's code is the
// invoice's code, checked against the invoice; the same rules and uniqueness space as coded
// invoices; resends answered with the original; counted apart.
#include <string>

#include "domain/invoice_queries.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/violation_catalogue.h"
#include "tests/domain/domain_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::DomainFixture;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

constexpr char kCode[] = "M1-26-ABCDE-00000000001";

// The baseline as a cash register makes it: kind letter M.
v1::Invoice CashInvoice(uint32_t number = 1) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.set_symbol("C26MAA");
  invoice.set_number(number);
  return invoice;
}

std::vector<std::string> RulesOf(const SubmitOutcome& outcome) {
  std::vector<std::string> rules;
  for (const Violation& v : outcome.violations) rules.push_back(v.rule);
  return rules;
}

class CashRegisterIntakeTest : public DomainFixture {
 protected:
  SubmitOutcome Send(const v1::Invoice& invoice, const std::string& code,
                     const std::string& idempotency_key = "") {
    return authenticator_->SubmitCashRegister(local_operator_, invoice, code, idempotency_key);
  }
  DayCount Today() {
    const absl::CivilDay day = VietnamDay(clock_.Now());
    absl::StatusOr<std::vector<DayCount>> counts = store_.CountsByDay(day, day);
    EXPECT_OK(counts.status());
    return counts.ok() && !counts->empty() ? counts->front() : DayCount{};
  }
};

TEST_F(CashRegisterIntakeTest, StoredUnderTheSellersCodeSignedAndCountedApart) {
  const SubmitOutcome outcome = Send(CashInvoice(), kCode);
  ASSERT_OK(outcome.status);
  EXPECT_FALSE(outcome.replay);
  EXPECT_EQ(outcome.accepted.authority_code(), kCode);  // no code issued
  EXPECT_EQ(InvoiceSignatures(), 1);                    // the record of receipt is signed
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> stored, store_.GetByCode(kCode));
  EXPECT_EQ(stored, outcome.accepted.SerializeAsString());
  EXPECT_EQ(Today().cash_register, 1u);
  EXPECT_EQ(Today().issued, 0u);

  // Anyone holding it can check it: the signature verifies with the published key.
  InvoiceQueries queries(&store_, keys_.get(), &access_, &clock_);
  v1::VerifyInvoiceRequest verify;
  *verify.mutable_invoice() = outcome.accepted;
  ASSERT_OK_AND_ASSIGN(v1::VerifyInvoiceResponse verdict, queries.Verify(local_operator_, verify));
  EXPECT_TRUE(verdict.valid()) << verdict.DebugString();
  v1::GetInvoiceRequest get;
  get.set_authority_code(kCode);
  ASSERT_OK_AND_ASSIGN(v1::AuthenticatedInvoice fetched, queries.Get(local_operator_, get));
  EXPECT_EQ(fetched.SerializeAsString(), outcome.accepted.SerializeAsString());
}

TEST_F(CashRegisterIntakeTest, AResendIsAnsweredWithTheOriginal) {
  const SubmitOutcome first = Send(CashInvoice(), kCode, "batch-7/1");
  ASSERT_OK(first.status);
  for (const std::string& key : {std::string("batch-7/1"), std::string()}) {
    const SubmitOutcome again = Send(CashInvoice(), kCode, key);
    ASSERT_OK(again.status);
    EXPECT_TRUE(again.replay);
    EXPECT_EQ(again.accepted.SerializeAsString(), first.accepted.SerializeAsString());
  }
  EXPECT_EQ(InvoiceSignatures(), 1);
  EXPECT_EQ(Today().cash_register, 1u);
}

TEST_F(CashRegisterIntakeTest, TheSameKeyUnderAnotherCodeIsADuplicate) {
  ASSERT_OK(Send(CashInvoice(), kCode).status);
  const SubmitOutcome other = Send(CashInvoice(), "M1-26-ABCDE-00000000002");
  EXPECT_EQ(other.status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(RulesOf(other), ElementsAre("invoice.duplicate"));
  EXPECT_EQ(other.existing_authority_code, kCode);
}

TEST_F(CashRegisterIntakeTest, AnotherInvoiceUnderATakenCodeIsRefusedNamingTheHolder) {
  ASSERT_OK(Send(CashInvoice(1), kCode).status);
  const SubmitOutcome other = Send(CashInvoice(2), kCode);
  EXPECT_EQ(other.status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(other.violations,
              ElementsAre(AllOf(Field(&Violation::code, "20613"), Field(&Violation::field, "code"))));
  EXPECT_EQ(other.existing_authority_code, kCode);
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(CashRegisterIntakeTest, OneUniquenessSpaceWithCodedInvoices) {
  // A coded invoice holds the key: the cash-register one with that key is a duplicate.
  v1::Invoice coded = BaselineInvoice();
  const SubmitOutcome first = authenticator_->Submit(local_operator_, coded, "");
  ASSERT_OK(first.status);
  v1::Invoice same_key = CashInvoice();
  same_key.set_symbol(coded.symbol());  // C26TAA: also refused for its symbol
  const SubmitOutcome second = Send(same_key, kCode);
  EXPECT_EQ(second.status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(second.existing_authority_code, first.accepted.authority_code());
}

TEST_F(CashRegisterIntakeTest, TheCodeAndTheSymbolMustFitTheInvoice) {
  EXPECT_THAT(RulesOf(Send(CashInvoice(), "M1-26-ABC")), ElementsAre("cash_register.code_format"));
  EXPECT_THAT(RulesOf(Send(CashInvoice(), "M2-26-ABCDE-00000000001")),
              ElementsAre("cash_register.code_mismatch"));
  EXPECT_THAT(RulesOf(Send(CashInvoice(), "M1-25-ABCDE-00000000001")),
              ElementsAre("cash_register.code_mismatch"));
  v1::Invoice coded_symbol = CashInvoice();
  coded_symbol.set_symbol("C26TAA");
  EXPECT_THAT(RulesOf(Send(coded_symbol, kCode)), ElementsAre("symbol.not_cash_register"));
  const SubmitOutcome no_code = Send(CashInvoice(), "");
  EXPECT_EQ(no_code.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_code.violations,
              ElementsAre(AllOf(Field(&Violation::code, "20001"), Field(&Violation::field, "code"))));
  EXPECT_EQ(store_.size(), 0u);
  EXPECT_EQ(InvoiceSignatures(), 0);
  EXPECT_EQ(Today().rejected, 5u);
}

TEST_F(CashRegisterIntakeTest, TheRuleProfileAppliesAsForCodedInvoices) {
  v1::Invoice wrong_total = CashInvoice();
  wrong_total.mutable_totals()->set_total_payable("2374000");  // 500 short: a warning
  const SubmitOutcome outcome = Send(wrong_total, kCode);
  ASSERT_OK(outcome.status);
  ASSERT_EQ(outcome.accepted.warnings_size(), 1);
  EXPECT_EQ(outcome.accepted.warnings(0).rule(), "totals.total_payable_mismatch");
  v1::Invoice bad_citizen_id = CashInvoice(2);
  bad_citizen_id.mutable_buyer()->set_citizen_id("12345");
  EXPECT_EQ(Send(bad_citizen_id, "M1-26-ABCDE-00000000002").status.code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CashRegisterIntakeTest, OnlyTheSellerOrItsTvanMaySend) {
  const SubmitOutcome denied = authenticator_->SubmitCashRegister(
      TaxpayerCaller("0100047516"), CashInvoice(), kCode, "");
  EXPECT_EQ(denied.status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store_.size(), 0u);
  const SubmitOutcome seller = authenticator_->SubmitCashRegister(
      TaxpayerCaller(BaselineInvoice().seller().tax_code()), CashInvoice(), kCode, "");
  EXPECT_OK(seller.status);
}

TEST_F(CashRegisterIntakeTest, NobodyButOfficersLearnsWhichCodesAreNotOnFile) {
  ASSERT_OK(Send(CashInvoice(), kCode).status);
  InvoiceQueries queries(&store_, keys_.get(), &access_, &clock_);
  v1::GetInvoiceRequest unknown;
  unknown.set_authority_code("M1-26-ABCDE-00000000002");
  v1::GetInvoiceRequest known;
  known.set_authority_code(kCode);
  const Caller stranger = TaxpayerCaller("0100047516");
  // Taken or free, a stranger gets the same answer.
  EXPECT_EQ(queries.Get(stranger, unknown).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(queries.Get(stranger, known).status().code(), absl::StatusCode::kPermissionDenied);
  // The seller reads its own; an officer learns that a code is not on file.
  EXPECT_OK(queries.Get(TaxpayerCaller(BaselineInvoice().seller().tax_code()), known).status());
  EXPECT_EQ(queries.Get(OfficerCaller(), unknown).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CashRegisterIntakeTest, CashRegisterSymbolsStillCannotBeCodedOneByOne) {
  const SubmitOutcome outcome = authenticator_->Submit(local_operator_, CashInvoice(), "");
  EXPECT_THAT(RulesOf(outcome), ElementsAre("symbol.cash_register"));
}

}  // namespace
}  // namespace einvoice
