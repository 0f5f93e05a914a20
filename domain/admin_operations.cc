#include "domain/admin_operations.h"

#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status_macros.h"

namespace einvoice {
namespace {

constexpr size_t kMaxBackupPathBytes = 4096;

Operation KeyOperation(absl::string_view rpc, absl::string_view key_id) {
  return Operation{absl::StrCat("AuthorityAdmin.", rpc), absl::StrCat("signing key ", key_id)};
}

}  // namespace

AdminOperations::AdminOperations(SigningKeyManager* keys, AuditTrail* audit,
                                 AccessControl* access, StoreBackup* backup)
    : keys_(keys), audit_(audit), access_(access), backup_(backup) {}

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

absl::StatusOr<v1::BackupStoreResponse> AdminOperations::Backup(
    const Caller& caller, const v1::BackupStoreRequest& request) {
  const std::string& dir = request.directory();
  return access_->Audited(
      caller, Right::kAdmin,
      Operation{"AuthorityAdmin.BackupStore",
                absl::StrCat("backup to ", dir.substr(0, kMaxBackupPathBytes))},
      Effect::kChange, [&]() -> absl::StatusOr<v1::BackupStoreResponse> {
        if (dir.empty() || dir.size() > kMaxBackupPathBytes) {
          return absl::InvalidArgumentError(absl::StrCat(
              "backup directory: an absolute path of 1 to ", kMaxBackupPathBytes, " bytes"));
        }
        if (absl::c_any_of(dir, [](char c) { return absl::ascii_iscntrl(c); })) {
          return absl::InvalidArgumentError("backup directory: control characters in the path");
        }
        if (backup_ == nullptr) {
          return absl::UnimplementedError("this server's store cannot be backed up online");
        }
        RETURN_IF_ERROR(backup_->Backup(dir));
        LogInfo("admin: ", caller.Describe(), " backed up the store to ", dir);
        v1::BackupStoreResponse response;
        response.set_database_directory(absl::StrCat(dir, dir.back() == '/' ? "" : "/", "db"));
        return response;
      });
}

}  // namespace einvoice
