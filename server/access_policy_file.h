// The access policy file (`einvoiced --access_policy_file`, proto/einvoice/v1/
// access_policy.proto): read at start-up and again on SIGHUP. A file that cannot be read or
// parsed keeps the policy in force and says why, so a typo never locks the officers out (nor
// lets anyone in).
//
// Thread-safety: ReadAccessPolicyFile is a pure function of the file; ReloadAccessPolicyFile
// may run while calls are served (EinvoiceServer::ReloadAccessPolicy is thread-safe).
#ifndef EINVOICE_SERVER_ACCESS_POLICY_FILE_H_
#define EINVOICE_SERVER_ACCESS_POLICY_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "domain/access_policy.h"
#include "server/einvoice_server.h"

namespace einvoice {

// Largest policy file read (a few thousand fingerprints fit in 1 MiB).
inline constexpr size_t kMaxAccessPolicyFileBytes = size_t{1} << 20;

// NOT_FOUND if the file cannot be opened; INVALID_ARGUMENT (naming the file) if it is too big
// or not a valid policy (AccessPolicy::FromJson).
absl::StatusOr<AccessPolicy> ReadAccessPolicyFile(const std::string& path);

// Reads `path` and puts it in force on `server`, logging the new counts; on error keeps the
// old policy, logs why, and returns the error.
absl::Status ReloadAccessPolicyFile(const std::string& path, EinvoiceServer& server);

}  // namespace einvoice

#endif  // EINVOICE_SERVER_ACCESS_POLICY_FILE_H_
