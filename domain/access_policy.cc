#include "domain/access_policy.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "einvoice/v1/access_policy.pb.h"
#include "common/status_macros.h"
#include "domain/json_config.h"

namespace einvoice {
namespace {

absl::Status AddAll(const google::protobuf::RepeatedPtrField<std::string>& entries,
                    absl::string_view list, absl::flat_hash_set<std::string>* out) {
  for (int i = 0; i < entries.size(); ++i) {
    if (!AccessPolicy::IsFingerprint(entries[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          list, "[", i, "]: \"", entries[i].substr(0, 80),
          "\" is not a certificate fingerprint (64 lower-case hex digits of its SHA-256)"));
    }
    out->insert(entries[i]);
  }
  return absl::OkStatus();
}

}  // namespace

bool AccessPolicy::IsFingerprint(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

absl::StatusOr<AccessPolicy> AccessPolicy::FromJson(absl::string_view json) {
  v1::AccessPolicyFile file;
  RETURN_IF_ERROR(ParseJsonConfig(
      json, "access policy", R"({"admins": [...], "officers": [...], "revoked": [...]})",
      &file));
  AccessPolicy policy;
  if (absl::Status s = AddAll(file.admins(), "admins", &policy.admins_); !s.ok()) return s;
  if (absl::Status s = AddAll(file.officers(), "officers", &policy.officers_); !s.ok()) return s;
  if (absl::Status s = AddAll(file.revoked(), "revoked", &policy.revoked_); !s.ok()) return s;
  return policy;
}

AccessPolicyHolder::AccessPolicyHolder(AccessPolicy initial)
    : policy_(std::make_shared<const AccessPolicy>(std::move(initial))) {}

std::shared_ptr<const AccessPolicy> AccessPolicyHolder::Get() const {
  absl::MutexLock lock(&mu_);
  return policy_;
}

void AccessPolicyHolder::Set(AccessPolicy policy) {
  auto next = std::make_shared<const AccessPolicy>(std::move(policy));
  absl::MutexLock lock(&mu_);
  policy_ = std::move(next);
}

}  // namespace einvoice
