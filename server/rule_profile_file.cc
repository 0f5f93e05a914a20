#include "server/rule_profile_file.h"

#include "absl/strings/str_cat.h"
#include "common/small_file.h"

namespace einvoice {

absl::StatusOr<RuleProfile> LoadRuleProfile(const std::string& name_or_path) {
  if (absl::StatusOr<RuleProfile> built_in = RuleProfile::BuiltIn(name_or_path); built_in.ok()) {
    return built_in;
  }
  absl::StatusOr<std::string> contents = ReadSmallFile(name_or_path, kMaxRuleProfileFileBytes);
  if (!contents.ok()) {
    return absl::Status(contents.status().code(),
                        absl::StrCat("--rule_profile is not authority or strict, and ",
                                     contents.status().message()));
  }
  absl::StatusOr<RuleProfile> profile = RuleProfile::FromJson(*contents);
  if (!profile.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name_or_path, ": ", profile.status().message()));
  }
  return profile;
}

}  // namespace einvoice
