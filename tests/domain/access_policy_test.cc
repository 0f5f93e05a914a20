// AccessPolicy: the policy file's JSON, strictly read; AccessPolicyHolder swaps policies.
#include "domain/access_policy.h"

#include <string>

#include "gmock/gmock.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::StatusIs;
using ::testing::HasSubstr;

const std::string kAdmin(64, 'a');
const std::string kOfficer = std::string(63, '0') + "f";

TEST(AccessPolicyTest, ReadsAdminsAndOfficers) {
  ASSERT_OK_AND_ASSIGN(AccessPolicy policy,
                       AccessPolicy::FromJson(R"({"admins": [")" + kAdmin +
                                              R"("], "officers": [")" + kOfficer + R"("]})"));
  EXPECT_TRUE(policy.IsAdmin(kAdmin));
  EXPECT_FALSE(policy.IsOfficer(kAdmin));
  EXPECT_TRUE(policy.IsOfficer(kOfficer));
  EXPECT_FALSE(policy.IsAdmin(kOfficer));
  EXPECT_EQ(policy.admin_count(), 1u);
  EXPECT_EQ(policy.officer_count(), 1u);
}

TEST(AccessPolicyTest, AnEmptyObjectIsAnEmptyPolicy) {
  ASSERT_OK_AND_ASSIGN(AccessPolicy policy, AccessPolicy::FromJson("{}"));
  EXPECT_EQ(policy.admin_count() + policy.officer_count(), 0u);
}

TEST(AccessPolicyTest, RefusesMalformedFiles) {
  EXPECT_THAT(AccessPolicy::FromJson("{\"admins\": ["), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(AccessPolicy::FromJson("[]"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(AccessPolicy::FromJson(R"({"auditors": []})"),
              StatusIs(absl::StatusCode::kInvalidArgument));  // unknown key
  EXPECT_THAT(AccessPolicy::FromJson(R"({"admins": ["AB12"]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("admins[0]")));
  // Upper-case hex is refused: fingerprints are compared as written.
  EXPECT_THAT(AccessPolicy::FromJson(R"({"officers": [")" + std::string(64, 'A') + R"("]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("officers[0]")));
}

TEST(AccessPolicyHolderTest, SetPutsANewPolicyInForceAndOldReadersKeepTheirs) {
  AccessPolicyHolder holder;
  std::shared_ptr<const AccessPolicy> before = holder.Get();
  holder.Set(*AccessPolicy::FromJson(R"({"admins": [")" + kAdmin + R"("]})"));
  EXPECT_FALSE(before->IsAdmin(kAdmin));
  EXPECT_TRUE(holder.Get()->IsAdmin(kAdmin));
}

}  // namespace
}  // namespace einvoice
