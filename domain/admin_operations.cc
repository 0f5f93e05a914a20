#include "domain/admin_operations.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status_macros.h"

namespace einvoice {
namespace {

Operation KeyOperation(absl::string_view rpc, absl::string_view key_id) {
  return Operation{absl::StrCat("AuthorityAdmin.", rpc), absl::StrCat("signing key ", key_id)};
}

}  // namespace

AdminOperations::AdminOperations(SigningKeyManager* keys, AuditTrail* audit,
                                 AccessControl* access)
    : keys_(keys), audit_(audit), access_(access) {}

absl::StatusOr<v1::ListSigningKeysResponse> AdminOperations::ListKeys(const Caller& caller) {
  return access_->Audited(caller, Right::kAdmin,
                          Operation{"AuthorityAdmin.ListSigningKeys", "signing keys"},
                          Effect::kRead, [&]() -> absl::StatusOr<v1::ListSigningKeysResponse> {
                            v1::ListSigningKeysResponse response;
                            for (v1::SigningKey& key : keys_->Keys()) {
                              *response.add_keys() = std::move(key);
                            }
                            return response;
                          });
}

absl::StatusOr<v1::SigningKey> AdminOperations::GenerateKey(const Caller& caller,
                                                            absl::string_view algorithm) {
  return access_->Audited(
      caller, Right::kAdmin,
      Operation{"AuthorityAdmin.GenerateSigningKey",
                absl::StrCat("new signing key ", algorithm.empty() ? "(default)" : algorithm)},
      Effect::kChange, [&]() -> absl::StatusOr<v1::SigningKey> {
        ASSIGN_OR_RETURN(const KeyAlgorithm parsed, algorithm.empty()
                                                        ? KeyAlgorithm::kEcdsaP256Sha256
                                                        : ParseKeyAlgorithm(algorithm));
        ASSIGN_OR_RETURN(v1::SigningKey key, keys_->GenerateKey(parsed));
        LogInfo("admin: ", caller.Describe(), " generated signing key ", key.key_id());
        return key;
      });
}

absl::StatusOr<v1::SigningKey> AdminOperations::Activate(const Caller& caller,
                                                         absl::string_view key_id) {
  return access_->Audited(caller, Right::kAdmin, KeyOperation("ActivateSigningKey", key_id),
                          Effect::kChange, [&]() -> absl::StatusOr<v1::SigningKey> {
                            ASSIGN_OR_RETURN(v1::SigningKey key, keys_->Activate(key_id));
                            LogInfo("admin: ", caller.Describe(), " activated signing key ",
                                    key.key_id());
                            return key;
                          });
}

absl::StatusOr<v1::SigningKey> AdminOperations::Retire(const Caller& caller,
                                                       absl::string_view key_id) {
  return access_->Audited(caller, Right::kAdmin, KeyOperation("RetireSigningKey", key_id),
                          Effect::kChange, [&]() -> absl::StatusOr<v1::SigningKey> {
                            ASSIGN_OR_RETURN(v1::SigningKey key, keys_->Retire(key_id));
                            LogInfo("admin: ", caller.Describe(), " retired signing key ",
                                    key.key_id());
                            return key;
                          });
}

absl::StatusOr<v1::SigningKey> AdminOperations::ImportCertificate(
    const Caller& caller, const v1::ImportSigningKeyCertificateRequest& request) {
  return access_->Audited(
      caller, Right::kAdmin, KeyOperation("ImportSigningKeyCertificate", request.key_id()),
      Effect::kChange, [&]() -> absl::StatusOr<v1::SigningKey> {
        ASSIGN_OR_RETURN(v1::SigningKey key,
                         keys_->ImportCertificate(request.key_id(), request.certificate_der()));
        LogInfo("admin: ", caller.Describe(), " imported a certificate for signing key ",
                key.key_id());
        return key;
      });
}

absl::StatusOr<v1::ListAuditRecordsResponse> AdminOperations::ListAudit(
    const Caller& caller, const v1::ListAuditRecordsRequest& request) {
  return access_->Audited(
      caller, Right::kAdmin,
      Operation{"AuthorityAdmin.ListAuditRecords",
                absl::StrCat("audit after ", request.after_sequence(),
                             request.from_day().empty() ? "" : " from ", request.from_day(),
                             request.to_day().empty() ? "" : " to ", request.to_day(),
                             request.caller_fingerprint().empty() ? "" : " caller ",
                             request.caller_fingerprint())},
      Effect::kRead, [&] { return audit_->List(request); });
}

}  // namespace einvoice
