// AuthorityAdminService: the gRPC face of the administrators' operations (einvoice.v1
// AuthorityAdmin): the signing-key lifecycle, the audit trail and online backups. It
// identifies the caller and translates; the checks (administrators only) and the audit records
// are domain/admin_operations.h's. Handlers run on the query pool (they touch the HSM or the
// registry).
//
// Thread-safety: gRPC calls the methods concurrently; the collaborators are thread-safe.
#ifndef EINVOICE_SERVER_AUTHORITY_ADMIN_SERVICE_H_
#define EINVOICE_SERVER_AUTHORITY_ADMIN_SERVICE_H_

#include "common/thread_pool.h"
#include "domain/admin_operations.h"
#include "einvoice/v1/authority_admin.grpc.pb.h"
#include "server/call_gate.h"

namespace einvoice {

class AuthorityAdminService final : public v1::AuthorityAdmin::CallbackService {
 public:
  // REQUIRES: the pointers outlive the service.
  AuthorityAdminService(CallGate* callers, AdminOperations* admin, ThreadPool* pool);

  grpc::ServerUnaryReactor* ListSigningKeys(grpc::CallbackServerContext* context,
                                            const v1::ListSigningKeysRequest* request,
                                            v1::ListSigningKeysResponse* response) override;
  grpc::ServerUnaryReactor* GenerateSigningKey(grpc::CallbackServerContext* context,
                                               const v1::GenerateSigningKeyRequest* request,
                                               v1::SigningKey* response) override;
  grpc::ServerUnaryReactor* ActivateSigningKey(grpc::CallbackServerContext* context,
                                               const v1::ActivateSigningKeyRequest* request,
                                               v1::SigningKey* response) override;
  grpc::ServerUnaryReactor* ImportSigningKeyCertificate(
      grpc::CallbackServerContext* context,
      const v1::ImportSigningKeyCertificateRequest* request, v1::SigningKey* response) override;
  grpc::ServerUnaryReactor* RetireSigningKey(grpc::CallbackServerContext* context,
                                             const v1::RetireSigningKeyRequest* request,
                                             v1::SigningKey* response) override;
  grpc::ServerUnaryReactor* ListAuditRecords(grpc::CallbackServerContext* context,
                                             const v1::ListAuditRecordsRequest* request,
                                             v1::ListAuditRecordsResponse* response) override;
  grpc::ServerUnaryReactor* BackupStore(grpc::CallbackServerContext* context,
                                        const v1::BackupStoreRequest* request,
                                        v1::BackupStoreResponse* response) override;

 private:
  CallGate* const callers_;
  AdminOperations* const admin_;
  ThreadPool* const pool_;
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_AUTHORITY_ADMIN_SERVICE_H_
