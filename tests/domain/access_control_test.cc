// AccessControl: rights by role, and what happens when the audit trail cannot be written.
#include "domain/access_control.h"

#include "gmock/gmock.h"
#include "tests/domain/domain_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::DomainFixture;
using ::einvoice::testing::StatusIs;
using ::testing::HasSubstr;

class AccessControlTest : public DomainFixture {};

const Operation kOperation{"AuthorityAdmin.RetireSigningKey", "signing key abc"};

TEST_F(AccessControlTest, RightsByRole) {
  EXPECT_OK(access_.Require(AdminCaller(), Right::kAdmin, kOperation));
  EXPECT_OK(access_.Require(AdminCaller(), Right::kOfficer, kOperation));
  EXPECT_OK(access_.Require(OfficerCaller(), Right::kOfficer, kOperation));
  EXPECT_OK(access_.Require(local_operator_, Right::kAdmin, kOperation));
  EXPECT_THAT(access_.Require(OfficerCaller(), Right::kAdmin, kOperation),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("AuthorityAdmin.RetireSigningKey on signing key abc")));
  EXPECT_THAT(access_.Require(TaxpayerCaller("0100109106"), Right::kOfficer, kOperation),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(AccessControlTest, AuditedRecordsTheOutcomeOfAllowedCallsAndEveryDenial) {
  const size_t before = AuditCount();
  absl::StatusOr<int> value =
      access_.Audited(AdminCaller(), Right::kAdmin, kOperation, Effect::kChange,
                      []() -> absl::StatusOr<int> { return absl::NotFoundError("no such key"); });
  EXPECT_THAT(value, StatusIs(absl::StatusCode::kNotFound));
  bool ran = false;
  EXPECT_THAT(access_.Audited(OfficerCaller(), Right::kAdmin, kOperation, Effect::kChange,
                              [&] {
                                ran = true;
                                return absl::OkStatus();
                              }),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_FALSE(ran);
  const std::vector<v1::AuditRecord> records = AuditRecordsAfter(before);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].status_code(), static_cast<int>(absl::StatusCode::kNotFound));
  EXPECT_EQ(records[0].status_message(), "no such key");
  EXPECT_EQ(records[1].caller().role(), v1::CALLER_ROLE_OFFICER);
  EXPECT_EQ(records[1].status_code(), static_cast<int>(absl::StatusCode::kPermissionDenied));
}

TEST_F(AccessControlTest, AnUnwritableAuditTrailDoesNotChangeTheCallsOutcome) {
  audit_log_.FailNextAppends(2, absl::UnavailableError("disk full"));
  EXPECT_THAT(access_.Require(OfficerCaller(), Right::kAdmin, kOperation),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(access_.Audited(AdminCaller(), Right::kAdmin, kOperation, Effect::kChange,
                            [] { return absl::OkStatus(); }));
  // The chain carries on once the log can be written again.
  const size_t before = AuditCount();
  EXPECT_OK(access_.Require(AdminCaller(), Right::kAdmin, kOperation));
  EXPECT_OK(access_.Audited(AdminCaller(), Right::kAdmin, kOperation, Effect::kChange,
                            [] { return absl::OkStatus(); }));
  EXPECT_EQ(AuditCount(), before + 1);
  AuditChainChecker checker;
  for (const AuditLogEntry& entry : audit_log_.Entries()) {
    EXPECT_OK(checker.Add(entry.record));
  }
}

}  // namespace
}  // namespace einvoice
