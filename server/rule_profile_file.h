// The rule profile named by `einvoiced --rule_profile`: "authority" (the default), "strict",
// or the path of a profile file (proto/einvoice/v1/rule_profile.proto, JSON), read once at
// start-up.
//
// Errors: NOT_FOUND if the file cannot be opened; INVALID_ARGUMENT (naming the file) if it is
// larger than 1 MiB or not a valid profile (RuleProfile::FromJson). Thread-safe.
#ifndef EINVOICE_SERVER_RULE_PROFILE_FILE_H_
#define EINVOICE_SERVER_RULE_PROFILE_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "domain/rule_profile.h"

namespace einvoice {

inline constexpr size_t kMaxRuleProfileFileBytes = size_t{1} << 20;

absl::StatusOr<RuleProfile> LoadRuleProfile(const std::string& name_or_path);

}  // namespace einvoice

#endif  // EINVOICE_SERVER_RULE_PROFILE_FILE_H_
