#include "server/access_policy_file.h"

#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace einvoice {

absl::StatusOr<AccessPolicy> ReadAccessPolicyFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read access policy file ", path));
  std::string contents;
  contents.resize(kMaxAccessPolicyFileBytes + 1);
  file.read(contents.data(), static_cast<std::streamsize>(contents.size()));
  contents.resize(static_cast<size_t>(file.gcount()));
  if (contents.size() > kMaxAccessPolicyFileBytes) {
    return absl::InvalidArgumentError(absl::StrCat("access policy file ", path, " is larger than ",
                                                   kMaxAccessPolicyFileBytes, " bytes"));
  }
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::FromJson(contents);
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
