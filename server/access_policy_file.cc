#include "server/access_policy_file.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/small_file.h"

namespace einvoice {

absl::StatusOr<AccessPolicy> ReadAccessPolicyFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadSmallFile(path, kMaxAccessPolicyFileBytes);
  if (!contents.ok()) {
    return absl::Status(contents.status().code(),
                        absl::StrCat("access policy file: ", contents.status().message()));
  }
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::FromJson(*contents);
  if (!policy.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", policy.status().message()));
  }
  return policy;
}

absl::Status ReloadAccessPolicyFile(const std::string& path, EinvoiceServer& server) {
  absl::StatusOr<AccessPolicy> policy = ReadAccessPolicyFile(path);
  if (!policy.ok()) {
    LogError("access policy not reloaded, the previous one stays in force: ",
             policy.status().message());
    return policy.status();
  }
  LogInfo("access policy reloaded from ", path, ": ", policy->admin_count(), " admin(s), ",
          policy->officer_count(), " officer(s)");
  server.ReloadAccessPolicy(*std::move(policy));
  return absl::OkStatus();
}

}  // namespace einvoice
