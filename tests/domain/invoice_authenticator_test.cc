#include "domain/invoice_authenticator.h"

#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/barrier.h"
#include "common/limits.h"
#include "domain/authentication_record.h"
#include "domain/invoice_verifier.h"
#include "gmock/gmock.h"
#include "rules/invoice_validator.h"
#include "tests/domain/domain_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::DomainFixture;
using ::testing::ElementsAre;
using ::einvoice::testing::StatusIs;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

MATCHER_P(HasViolationCode, code, "") { return arg.code == code; }

class InvoiceAuthenticatorTest : public DomainFixture {};

TEST_F(InvoiceAuthenticatorTest, AcceptsSignsAndStoresAValidInvoice) {
  const SubmitOutcome outcome = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  ASSERT_OK(outcome.status);
  EXPECT_FALSE(outcome.replay);
  EXPECT_TRUE(IsWellFormedAuthorityCode(outcome.accepted.authority_code()));
  EXPECT_EQ(outcome.accepted.key_id(), keys_->Stamp().key_id);

  const InvoiceVerification verification =
      VerifyAuthenticatedInvoice(outcome.accepted, keys_->Keys());
  EXPECT_TRUE(verification.valid) << ::testing::PrintToString(verification.problems);
  EXPECT_EQ(verification.record.invoice().SerializeAsString(),
            BaselineInvoice().SerializeAsString());

  ASSERT_OK_AND_ASSIGN(auto stored, store_.GetByCode(outcome.accepted.authority_code()));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, outcome.accepted.SerializeAsString());
}

TEST_F(InvoiceAuthenticatorTest, IdenticalResubmissionReplaysTheOriginalByteForByte) {
  const SubmitOutcome first = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  ASSERT_OK(first.status);
  clock_.Advance(absl::Hours(24 * 400));  // "forever, not for a window"
  const SubmitOutcome again = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  ASSERT_OK(again.status);
  EXPECT_TRUE(again.replay);
  EXPECT_EQ(again.accepted.SerializeAsString(), first.accepted.SerializeAsString());
  EXPECT_EQ(store_.size(), 1u);
  EXPECT_EQ(InvoiceSignatures(), 1);
}

TEST_F(InvoiceAuthenticatorTest, SameIdempotencyKeyReplays) {
  const SubmitOutcome first = authenticator_->Submit(local_operator_, BaselineInvoice(), "retry-1");
  ASSERT_OK(first.status);
  const SubmitOutcome again = authenticator_->Submit(local_operator_, BaselineInvoice(), "retry-1");
  ASSERT_OK(again.status);
  EXPECT_TRUE(again.replay);
  EXPECT_EQ(again.accepted.SerializeAsString(), first.accepted.SerializeAsString());
}

TEST_F(InvoiceAuthenticatorTest, SameIdempotencyKeyWithAnotherInvoiceIsAConflict) {
  const SubmitOutcome first = authenticator_->Submit(local_operator_, BaselineInvoice(), "key-1");
  ASSERT_OK(first.status);
  v1::Invoice other = BaselineInvoice();
  other.set_number(other.number() + 1);
  const SubmitOutcome second = authenticator_->Submit(local_operator_, other, "key-1");
  EXPECT_EQ(second.status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(second.violations, ElementsAre(HasViolationCode("20611")));
  EXPECT_EQ(second.existing_authority_code, first.accepted.authority_code());
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(InvoiceAuthenticatorTest, SameKeyWithDifferentContentIs20609NamingTheExistingCode) {
  const SubmitOutcome first = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  ASSERT_OK(first.status);
  v1::Invoice changed = BaselineInvoice();
  changed.mutable_buyer()->set_address("Địa chỉ khác");
  const SubmitOutcome second = authenticator_->Submit(local_operator_, changed, "");
  EXPECT_EQ(second.status.code(), absl::StatusCode::kAlreadyExists);
  ASSERT_THAT(second.violations, ElementsAre(HasViolationCode("20609")));
  EXPECT_NE(second.violations[0].message_vi.find(first.accepted.authority_code()),
            std::string::npos);
  EXPECT_EQ(second.existing_authority_code, first.accepted.authority_code());
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(InvoiceAuthenticatorTest, ReplayStillAnswersAfterTheSellerIsSuspended) {
  const SubmitOutcome first = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  ASSERT_OK(first.status);
  ASSERT_OK(admin_.SetStatus(local_operator_, BaselineInvoice().seller().tax_code(), v1::SELLER_STATUS_SUSPENDED)
                .status());
  const SubmitOutcome again = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  ASSERT_OK(again.status);
  EXPECT_TRUE(again.replay);
}

TEST_F(InvoiceAuthenticatorTest, UnregisteredSellerIsAFailedPrecondition) {
  v1::Invoice invoice = BaselineInvoice();
  ASSERT_OK(admin_.SetStatus(local_operator_, invoice.seller().tax_code(), v1::SELLER_STATUS_ACTIVE).status());
  // A different valid tax code that nobody registered.
  invoice.mutable_seller()->set_tax_code("0101243150");
  const SubmitOutcome outcome = authenticator_->Submit(local_operator_, invoice, "");
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(outcome.violations, ElementsAre(HasViolationCode("20101")));
  EXPECT_EQ(store_.size(), 0u);
  EXPECT_EQ(InvoiceSignatures(), 0);
}

TEST_F(InvoiceAuthenticatorTest, SuspendedAndStoppedSellersGetNoCode) {
  for (v1::SellerStatus status : {v1::SELLER_STATUS_SUSPENDED, v1::SELLER_STATUS_STOPPED}) {
    ASSERT_OK(admin_.SetStatus(local_operator_, BaselineInvoice().seller().tax_code(), status).status());
    const SubmitOutcome outcome = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
    EXPECT_EQ(outcome.status.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(outcome.violations, ElementsAre(HasViolationCode("20102")));
  }
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(InvoiceAuthenticatorTest, InvalidInvoiceIsRejectedWithNothingSignedOrStored) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.set_number(0);
  const SubmitOutcome outcome = authenticator_->Submit(local_operator_, invoice, "");
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.violations, SizeIs(1));
  EXPECT_EQ(outcome.violations[0].field, "number");
  EXPECT_EQ(store_.size(), 0u);
  EXPECT_EQ(InvoiceSignatures(), 0);
  ASSERT_OK_AND_ASSIGN(auto counts, store_.CountsByDay(absl::CivilDay(2026, 11, 22),
                                                       absl::CivilDay(2026, 11, 22)));
  ASSERT_THAT(counts, SizeIs(1));
  EXPECT_EQ(counts[0].rejected, 1u);
  EXPECT_EQ(counts[0].issued, 0u);
}

TEST_F(InvoiceAuthenticatorTest, InvalidInvoiceFromUnregisteredSellerReportsBoth) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_seller()->set_tax_code("0101243150");
  invoice.set_number(0);
  const SubmitOutcome outcome = authenticator_->Submit(local_operator_, invoice, "");
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.violations, SizeIs(2));
}

TEST_F(InvoiceAuthenticatorTest, TooLongIdempotencyKeyIsRejected) {
  const SubmitOutcome outcome =
      authenticator_->Submit(local_operator_, BaselineInvoice(), std::string(kMaxIdempotencyKeyLength + 1, 'k'));
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.violations, ElementsAre(HasViolationCode("20612")));
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(InvoiceAuthenticatorTest, SignerOutageIsUnavailableAndStoresNothing) {
  signer_.FailNext(1, absl::UnavailableError("CKR_DEVICE_REMOVED"));
  const SubmitOutcome failed = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  EXPECT_EQ(failed.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_.size(), 0u);
  // The retry after the outage is a first submission, not a replay.
  const SubmitOutcome retried = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  ASSERT_OK(retried.status);
  EXPECT_FALSE(retried.replay);
}

TEST_F(InvoiceAuthenticatorTest, StoreOutageIsUnavailableAndAcknowledgesNothing) {
  store_.FailNextInserts(1, absl::UnavailableError("disk full"));
  const SubmitOutcome failed = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  EXPECT_EQ(failed.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(failed.accepted.authority_code().empty());
  EXPECT_EQ(store_.size(), 0u);
  const SubmitOutcome retried = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  ASSERT_OK(retried.status);
}

TEST_F(InvoiceAuthenticatorTest, SixtyFourRacingDifferentContentsProduceExactlyOneCode) {
  constexpr int kRacers = 64;
  std::vector<SubmitOutcome> outcomes(kRacers);
  absl::Barrier* start = new absl::Barrier(kRacers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      v1::Invoice invoice = BaselineInvoice();
      invoice.mutable_buyer()->set_customer_code("C" + std::to_string(i));  // distinct content
      if (start->Block()) delete start;
      outcomes[i] = authenticator_->Submit(local_operator_, invoice, "");
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> codes;
  int accepted = 0, conflicts = 0;
  for (const SubmitOutcome& outcome : outcomes) {
    if (outcome.status.ok()) {
      ++accepted;
      EXPECT_FALSE(outcome.replay);
      codes.insert(outcome.accepted.authority_code());
    } else {
      ASSERT_EQ(outcome.status.code(), absl::StatusCode::kAlreadyExists) << outcome.status;
      ++conflicts;
      codes.insert(outcome.existing_authority_code);
    }
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(conflicts, kRacers - 1);
  EXPECT_EQ(codes.size(), 1u);  // every loser names the winner
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(InvoiceAuthenticatorTest, RacingIdenticalRetriesAllGetTheSameAnswer) {
  constexpr int kRacers = 32;
  std::vector<SubmitOutcome> outcomes(kRacers);
  absl::Barrier* start = new absl::Barrier(kRacers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      if (start->Block()) delete start;
      outcomes[i] = authenticator_->Submit(local_operator_, BaselineInvoice(), "same-key");
    });
  }
  for (auto& thread : threads) thread.join();
  int originals = 0;
  for (const SubmitOutcome& outcome : outcomes) {
    ASSERT_OK(outcome.status);
    if (!outcome.replay) ++originals;
    EXPECT_EQ(outcome.accepted.SerializeAsString(), outcomes[0].accepted.SerializeAsString());
  }
  EXPECT_EQ(originals, 1);
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(InvoiceAuthenticatorTest, CountsIssuedInvoicesByDay) {
  ASSERT_OK(authenticator_->Submit(local_operator_, BaselineInvoice(), "").status);
  ASSERT_OK_AND_ASSIGN(auto counts, store_.CountsByDay(absl::CivilDay(2026, 11, 22),
                                                       absl::CivilDay(2026, 11, 22)));
  ASSERT_THAT(counts, SizeIs(1));
  EXPECT_EQ(counts[0].issued, 1u);
}

// ---- Who may submit ----

TEST_F(InvoiceAuthenticatorTest, TheSellerItselfSubmits) {
  const SubmitOutcome outcome = authenticator_->Submit(
      TaxpayerCaller(testing::BaselineSellerTaxCode()), BaselineInvoice(), "");
  ASSERT_OK(outcome.status);
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(InvoiceAuthenticatorTest, AnotherTaxpayerCannotSubmitForTheSeller) {
  const size_t audited = AuditCount();
  const SubmitOutcome outcome =
      authenticator_->Submit(TaxpayerCaller("0101243150"), BaselineInvoice(), "");
  EXPECT_THAT(outcome.status, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(store_.size(), 0u);
  EXPECT_EQ(InvoiceSignatures(), 0);
  // A denial is not an invoice rejection: the statistics do not count it; the audit does.
  ASSERT_OK_AND_ASSIGN(auto counts, store_.CountsByDay(absl::CivilDay(2026, 11, 22),
                                                       absl::CivilDay(2026, 11, 22)));
  EXPECT_THAT(counts, IsEmpty());
  const std::vector<v1::AuditRecord> records = AuditRecordsAfter(audited);
  ASSERT_THAT(records, SizeIs(1));
  EXPECT_EQ(records[0].operation(), "InvoiceAuthority.SubmitInvoice");
  EXPECT_EQ(records[0].caller().tax_code(), "0101243150");
  EXPECT_EQ(records[0].status_code(), 7);
}

TEST_F(InvoiceAuthenticatorTest, ADeniedCallerGetsNoReplayOfSomeoneElsesInvoice) {
  const SubmitOutcome original = authenticator_->Submit(local_operator_, BaselineInvoice(), "k1");
  ASSERT_OK(original.status);
  for (absl::string_view key : {"", "k1"}) {
    const SubmitOutcome copy =
        authenticator_->Submit(TaxpayerCaller("0101243150"), BaselineInvoice(), key);
    EXPECT_THAT(copy.status, StatusIs(absl::StatusCode::kPermissionDenied));
    EXPECT_FALSE(copy.replay);
    EXPECT_EQ(copy.accepted.authority_code(), "");
  }
}

TEST_F(InvoiceAuthenticatorTest, OnlyTheTvanTheSellerNamedSubmitsForIt) {
  const Caller tvan = TaxpayerCaller("0100109106");
  EXPECT_THAT(authenticator_->Submit(tvan, BaselineInvoice(), "").status,
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::SetSellerTvanRequest name;
  name.set_tax_code(testing::BaselineSellerTaxCode());
  name.set_tvan_tax_code("0100109106");
  ASSERT_OK(admin_.SetTvan(local_operator_, name).status());
  EXPECT_OK(authenticator_->Submit(tvan, BaselineInvoice(), "").status);
  // Another T-VAN still cannot.
  v1::Invoice next = BaselineInvoice();
  next.set_number(2);
  EXPECT_THAT(authenticator_->Submit(TaxpayerCaller("0101243150"), next, "").status,
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(InvoiceAuthenticatorTest, OfficersAndAdministratorsDoNotSubmitInvoices) {
  EXPECT_THAT(authenticator_->Submit(OfficerCaller(), BaselineInvoice(), "").status,
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(authenticator_->Submit(AdminCaller(), BaselineInvoice(), "").status,
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(InvoiceAuthenticatorTest, ARevokedCertificateNoLongerSubmitsForItsSeller) {
  v1::Seller seller = **sellers_.Get(testing::BaselineSellerTaxCode());
  v1::RevokedCertificate* revoked = seller.add_revoked_certificates();
  revoked->set_fingerprint(std::string(64, 'b'));
  ASSERT_OK(sellers_.Put(seller));
  EXPECT_THAT(authenticator_->Submit(TaxpayerCaller(testing::BaselineSellerTaxCode()),
                                     BaselineInvoice(), "")
                  .status,
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(authenticator_->Submit(TaxpayerCaller(testing::BaselineSellerTaxCode(), 'c'),
                                   BaselineInvoice(), "")
                .status);
}

TEST_F(InvoiceAuthenticatorTest, ACertificateWithoutTaxCodeCannotEvenBeCountedAsRejected) {
  const Caller nobody = Caller::WithCertificate(
      {std::string(64, '9'), "CN=nobody", "", absl::InfiniteFuture()}, TestPolicy());
  v1::Invoice no_seller = BaselineInvoice();
  no_seller.mutable_seller()->clear_tax_code();
  EXPECT_THAT(authenticator_->Submit(nobody, no_seller, "").status,
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(authenticator_->SubmitXml(nobody, "not even XML", "").status,
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(auto counts, store_.CountsByDay(absl::CivilDay(2026, 11, 22),
                                                       absl::CivilDay(2026, 11, 22)));
  EXPECT_THAT(counts, IsEmpty());
}

TEST_F(InvoiceAuthenticatorTest, AnInvoiceWithoutASellerTaxCodeIsInvalidNotDenied) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_seller()->clear_tax_code();
  const SubmitOutcome outcome = authenticator_->Submit(TaxpayerCaller("0101243150"), invoice, "");
  EXPECT_THAT(outcome.status, StatusIs(absl::StatusCode::kInvalidArgument));
}

// Issue #10: a malformed key field is the invoice's fault, never an outage to retry.
TEST_F(InvoiceAuthenticatorTest, MalformedKeyFieldsAreInvalidArgumentWithAViolation) {
  std::vector<v1::Invoice> bad;
  for (const std::string& tax_code :
       {std::string(), std::string(100, '1'), std::string("0100\0" "109106", 11)}) {
    v1::Invoice invoice = BaselineInvoice();
    invoice.mutable_seller()->set_tax_code(tax_code);
    bad.push_back(invoice);
  }
  for (const std::string& symbol : {std::string(300, 'C'), std::string("C26\0AA", 6)}) {
    v1::Invoice invoice = BaselineInvoice();
    invoice.set_symbol(symbol);
    bad.push_back(invoice);
  }
  v1::Invoice long_template = BaselineInvoice();
  long_template.set_template_code(std::string(300, '1'));
  bad.push_back(long_template);
  for (size_t i = 0; i < bad.size(); ++i) {
    for (absl::string_view key : {"", "k"}) {
      const SubmitOutcome outcome = authenticator_->Submit(local_operator_, bad[i], key);
      EXPECT_THAT(outcome.status, StatusIs(absl::StatusCode::kInvalidArgument)) << i;
      EXPECT_THAT(outcome.violations, Not(IsEmpty())) << i;
    }
  }
  EXPECT_EQ(store_.size(), 0u);
  ASSERT_OK_AND_ASSIGN(auto counts, store_.CountsByDay(absl::CivilDay(2026, 11, 22),
                                                       absl::CivilDay(2026, 11, 22)));
  ASSERT_THAT(counts, SizeIs(1));
  EXPECT_EQ(counts[0].rejected, 2 * bad.size());  // counted like every rejection
}

TEST_F(InvoiceAuthenticatorTest, AnInvoiceOverTwoMebibytesIsRefusedAsTooLarge) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.set_payment_method(std::string(kMaxInvoiceBytes, 'x'));
  const SubmitOutcome outcome = authenticator_->Submit(local_operator_, invoice, "");
  EXPECT_THAT(outcome.status, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_THAT(outcome.violations, SizeIs(1));
  EXPECT_EQ(outcome.violations[0].rule, "format.max_length");
  EXPECT_THAT(outcome.violations[0].message_en, ::testing::HasSubstr("at most 2097152"));
  EXPECT_EQ(InvoiceSignatures(), 0);
}

TEST_F(InvoiceAuthenticatorTest, TooManyLinesAreOneViolationNotTenThousand) {
  v1::Invoice invoice = BaselineInvoice();
  const v1::LineItem line = invoice.lines(0);
  for (int i = 0; i < kMaxLines; ++i) *invoice.add_lines() = line;  // one more than allowed
  const SubmitOutcome outcome = authenticator_->Submit(local_operator_, invoice, "");
  EXPECT_THAT(outcome.status, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_THAT(outcome.violations, Not(IsEmpty()));
  EXPECT_EQ(outcome.violations[0].field, "lines");
  EXPECT_EQ(outcome.violations[0].rule, "format.max_length");
  EXPECT_LT(outcome.violations.size(), 5u);
}

// Issue #10: work stops when the caller's deadline passes or it cancels.
TEST_F(InvoiceAuthenticatorTest, AnAbandonedSubmissionStopsAtTheNextStage) {
  // A protobuf submission asks before validation, before signing and before the store write;
  // it stops at whichever stage it is abandoned by.
  for (int allowed_checks = 0; allowed_checks < 3; ++allowed_checks) {
    v1::Invoice invoice = BaselineInvoice();
    invoice.set_number(10 + allowed_checks);
    int checks = 0;
    std::optional<SubmitOutcome> outcome;
    authenticator_->SubmitAsync(
        local_operator_, invoice, "",
        [&](SubmitOutcome o) { outcome = std::move(o); },
        [&] { return checks++ >= allowed_checks; });
    ASSERT_TRUE(outcome.has_value());
    EXPECT_THAT(outcome->status, StatusIs(absl::StatusCode::kCancelled)) << allowed_checks;
    EXPECT_EQ(checks, allowed_checks + 1);  // asked once per stage until it said so
  }
  EXPECT_EQ(store_.size(), 0u);
  EXPECT_EQ(InvoiceSignatures(), 1);  // only the one abandoned before the store write
  // Never abandoned: coded as usual.
  std::optional<SubmitOutcome> kept;
  authenticator_->SubmitAsync(local_operator_, BaselineInvoice(), "",
                              [&](SubmitOutcome o) { kept = std::move(o); }, [] { return false; });
  ASSERT_TRUE(kept.has_value());
  EXPECT_OK(kept->status);
}

}  // namespace
}  // namespace einvoice
