// AdminOperations: the administrators' operations -- the signing-key lifecycle
// (SigningKeyManager), reading the audit trail and backing up the store -- each checked (administrators only) and
// recorded by AccessControl, so the gRPC AuthorityAdmin service only translates.
//
// Errors: PERMISSION_DENIED, then those of SigningKeyManager / AuditTrail::List /
// StoreBackup::Backup.
// Thread-safety: every method may be called concurrently; they block on the token and the
// store (call them from a worker pool).
#ifndef EINVOICE_DOMAIN_ADMIN_OPERATIONS_H_
#define EINVOICE_DOMAIN_ADMIN_OPERATIONS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "domain/access_control.h"
#include "domain/audit_trail.h"
#include "domain/caller.h"
#include "domain/signing_key_manager.h"
#include "einvoice/v1/authority_admin.pb.h"
#include "storage/store_backup.h"

namespace einvoice {

class AdminOperations {
 public:
  // REQUIRES: the pointers outlive this object. `backup` may be null (a store that cannot be
  // copied: BackupStore is then UNIMPLEMENTED).
  AdminOperations(SigningKeyManager* keys, AuditTrail* audit, AccessControl* access,
                  StoreBackup* backup = nullptr);

  absl::StatusOr<v1::ListSigningKeysResponse> ListKeys(const Caller& caller);
  // `algorithm` empty = ECDSA_P256_SHA256; INVALID_ARGUMENT for an unknown name.
  absl::StatusOr<v1::SigningKey> GenerateKey(const Caller& caller, absl::string_view algorithm);
  absl::StatusOr<v1::SigningKey> Activate(const Caller& caller, absl::string_view key_id);
  absl::StatusOr<v1::SigningKey> Retire(const Caller& caller, absl::string_view key_id);
  absl::StatusOr<v1::SigningKey> ImportCertificate(
      const Caller& caller, const v1::ImportSigningKeyCertificateRequest& request);
  absl::StatusOr<v1::ListAuditRecordsResponse> ListAudit(
      const Caller& caller, const v1::ListAuditRecordsRequest& request);
  // INVALID_ARGUMENT for an empty directory name, one over 4096 bytes or with control
  // characters, before StoreBackup's own checks.
  absl::StatusOr<v1::BackupStoreResponse> Backup(const Caller& caller,
                                                 const v1::BackupStoreRequest& request);

 private:
  SigningKeyManager* const keys_;
  AuditTrail* const audit_;
  AccessControl* const access_;
  StoreBackup* const backup_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_ADMIN_OPERATIONS_H_
