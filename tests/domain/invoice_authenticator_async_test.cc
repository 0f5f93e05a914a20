// SubmitAsync: the outcome arrives only once the store's write is done, the calling thread is
// free meanwhile, and races decided by the store after signing are answered like arrivals
// after the winner.
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "domain/invoice_authenticator.h"
#include "gmock/gmock.h"
#include "tests/domain/domain_fixture.h"
#include "tests/storage/support/gated_invoice_store.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::DomainFixture;
using ::einvoice::testing::GatedInvoiceStore;
using ::testing::ElementsAre;

MATCHER_P(HasViolationCode, code, "") { return arg.code == code; }

class InvoiceAuthenticatorAsyncTest : public DomainFixture {
 protected:
  void SetUp() override {
    DomainFixture::SetUp();
    async_ = std::make_unique<InvoiceAuthenticator>(&gated_, &sellers_, keys_.get(), &signer_,
                                                    codes_.get(), &access_, &clock_);
  }

  // Submits through the gated store; the outcome lands in `*into` when it is delivered.
  void Submit(const v1::Invoice& invoice, std::optional<SubmitOutcome>* into,
              absl::string_view idempotency_key = "") {
    async_->SubmitAsync(local_operator_, invoice, idempotency_key,
                        [into](SubmitOutcome outcome) { *into = std::move(outcome); });
  }

  static v1::Invoice Numbered(int number) {
    v1::Invoice invoice = BaselineInvoice();
    invoice.set_number(number);
    return invoice;
  }

  GatedInvoiceStore gated_{&store_};
  std::unique_ptr<InvoiceAuthenticator> async_;
};

TEST_F(InvoiceAuthenticatorAsyncTest, AnswersOnlyOnceTheWriteIsDone) {
  std::optional<SubmitOutcome> outcome;
  Submit(BaselineInvoice(), &outcome);
  // Validated and signed, handed to the store, and the caller is free: nothing answered yet.
  EXPECT_FALSE(outcome.has_value());
  EXPECT_EQ(gated_.held(), 1u);
  EXPECT_EQ(InvoiceSignatures(), 1);
  EXPECT_EQ(store_.size(), 0u);

  gated_.Release();
  ASSERT_TRUE(outcome.has_value());
  ASSERT_OK(outcome->status);
  EXPECT_FALSE(outcome->replay);
  ASSERT_OK_AND_ASSIGN(auto stored, store_.GetByCode(outcome->accepted.authority_code()));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, outcome->accepted.SerializeAsString());
}

TEST_F(InvoiceAuthenticatorAsyncTest, OneThreadHasManyWritesInFlight) {
  std::optional<SubmitOutcome> outcomes[3];
  for (int i = 0; i < 3; ++i) Submit(Numbered(10 + i), &outcomes[i]);
  EXPECT_EQ(gated_.held(), 3u);
  gated_.Release();
  std::set<std::string> codes;
  for (const std::optional<SubmitOutcome>& outcome : outcomes) {
    ASSERT_TRUE(outcome.has_value());
    ASSERT_OK(outcome->status);
    codes.insert(outcome->accepted.authority_code());
  }
  EXPECT_EQ(codes.size(), 3u);
  EXPECT_EQ(store_.size(), 3u);
}

TEST_F(InvoiceAuthenticatorAsyncTest, FailedWriteIsUnavailableAndAcknowledgesNothing) {
  std::optional<SubmitOutcome> outcome;
  Submit(BaselineInvoice(), &outcome);
  gated_.FailAll(absl::UnavailableError("fsync failed"));
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->status.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(outcome->accepted.authority_code().empty());
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(InvoiceAuthenticatorAsyncTest, RaceLostAtTheStoreIsAConflictNamingTheWinner) {
  // Both pass the replay checks (nothing stored yet); the store decides in arrival order.
  v1::Invoice changed = BaselineInvoice();
  changed.mutable_buyer()->set_address("Địa chỉ khác");
  std::optional<SubmitOutcome> first, second;
  Submit(BaselineInvoice(), &first);
  Submit(changed, &second);
  gated_.Release();
  ASSERT_TRUE(first.has_value() && second.has_value());
  ASSERT_OK(first->status);
  EXPECT_EQ(second->status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(second->violations, ElementsAre(HasViolationCode("20609")));
  EXPECT_EQ(second->existing_authority_code, first->accepted.authority_code());
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(InvoiceAuthenticatorAsyncTest, RaceLostByAnIdenticalRetryIsAReplayOfTheWinner) {
  std::optional<SubmitOutcome> first, retry;
  Submit(BaselineInvoice(), &first, "k-1");
  Submit(BaselineInvoice(), &retry, "k-1");
  gated_.Release();
  ASSERT_TRUE(first.has_value() && retry.has_value());
  ASSERT_OK(first->status);
  ASSERT_OK(retry->status);
  EXPECT_FALSE(first->replay);
  EXPECT_TRUE(retry->replay);
  EXPECT_EQ(retry->accepted.SerializeAsString(), first->accepted.SerializeAsString());
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(InvoiceAuthenticatorAsyncTest, RejectionsAreAnsweredAtOnceWithoutTheStore) {
  v1::Invoice bad = BaselineInvoice();
  bad.set_number(0);
  std::optional<SubmitOutcome> outcome;
  Submit(bad, &outcome);
  ASSERT_TRUE(outcome.has_value());  // delivered before SubmitAsync returned
  EXPECT_EQ(outcome->status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(gated_.held(), 0u);
  EXPECT_EQ(InvoiceSignatures(), 0);
}

}  // namespace
}  // namespace einvoice
