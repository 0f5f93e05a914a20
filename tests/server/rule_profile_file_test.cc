// `einvoiced --rule_profile`: a built-in name or a JSON file, refused at start-up with the
// file's name when it cannot be used.
#include "server/rule_profile_file.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "rules/violation_catalogue.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace einvoice {
namespace {

using ::einvoice::testing::StatusIs;
using ::einvoice::testing::TempDir;
using ::testing::HasSubstr;

std::string Write(const TempDir& dir, const std::string& name, const std::string& contents) {
  const std::string path = dir.Sub(name);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(RuleProfileFileTest, BuiltInNames) {
  ASSERT_OK_AND_ASSIGN(RuleProfile authority, LoadRuleProfile("authority"));
  EXPECT_EQ(authority.name(), "authority");
  ASSERT_OK_AND_ASSIGN(RuleProfile strict, LoadRuleProfile("strict"));
  EXPECT_EQ(strict.SeverityOf(kTotalPayableMismatch.rule), Severity::kReject);
}

TEST(RuleProfileFileTest, AFileOverridesItsBase) {
  TempDir dir;
  const std::string path =
      Write(dir, "rules.json", R"({"rules": {"totals.total_payable_mismatch": "reject"}})");
  ASSERT_OK_AND_ASSIGN(RuleProfile profile, LoadRuleProfile(path));
  EXPECT_EQ(profile.name(), "authority+file");
  EXPECT_EQ(profile.SeverityOf(kTotalPayableMismatch.rule), Severity::kReject);
  EXPECT_EQ(profile.SeverityOf(kTotalTaxMismatch.rule), Severity::kWarn);
}

TEST(RuleProfileFileTest, UnusableFilesStopTheStartNamingTheFile) {
  TempDir dir;
  EXPECT_THAT(LoadRuleProfile(dir.Sub("missing.json")), StatusIs(absl::StatusCode::kNotFound));
  const std::string bad = Write(dir, "bad.json", R"({"rules": {"no.such_rule": "warn"}})");
  absl::StatusOr<RuleProfile> refused = LoadRuleProfile(bad);
  ASSERT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr(bad));
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("no.such_rule"));
  const std::string huge = Write(dir, "huge.json", std::string(kMaxRuleProfileFileBytes + 1, ' '));
  EXPECT_THAT(LoadRuleProfile(huge), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace einvoice
