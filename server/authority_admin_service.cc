#include "server/authority_admin_service.h"

#include "server/grpc_status.h"
#include "server/run_on_pool.h"

namespace einvoice {

AuthorityAdminService::AuthorityAdminService(CallGate* callers, AdminOperations* admin,
                                             ThreadPool* pool)
    : callers_(callers), admin_(admin), pool_(pool) {}

grpc::ServerUnaryReactor* AuthorityAdminService::ListSigningKeys(
    grpc::CallbackServerContext* context, const v1::ListSigningKeysRequest* request,
    v1::ListSigningKeysResponse* response) {
  return RunForCaller(callers_, pool_, context, [=, this](const Caller& caller) {
    return RespondWith(admin_->ListKeys(caller), response);
  });
}

grpc::ServerUnaryReactor* AuthorityAdminService::GenerateSigningKey(
    grpc::CallbackServerContext* context, const v1::GenerateSigningKeyRequest* request,
    v1::SigningKey* response) {
  return RunForCaller(callers_, pool_, context, [=, this](const Caller& caller) {
    return RespondWith(admin_->GenerateKey(caller, request->algorithm()), response);
  });
}

grpc::ServerUnaryReactor* AuthorityAdminService::ActivateSigningKey(
    grpc::CallbackServerContext* context, const v1::ActivateSigningKeyRequest* request,
    v1::SigningKey* response) {
  return RunForCaller(callers_, pool_, context, [=, this](const Caller& caller) {
    return RespondWith(admin_->Activate(caller, request->key_id()), response);
  });
}

grpc::ServerUnaryReactor* AuthorityAdminService::ImportSigningKeyCertificate(
    grpc::CallbackServerContext* context, const v1::ImportSigningKeyCertificateRequest* request,
    v1::SigningKey* response) {
  return RunForCaller(callers_, pool_, context, [=, this](const Caller& caller) {
    return RespondWith(admin_->ImportCertificate(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* AuthorityAdminService::RetireSigningKey(
    grpc::CallbackServerContext* context, const v1::RetireSigningKeyRequest* request,
    v1::SigningKey* response) {
  return RunForCaller(callers_, pool_, context, [=, this](const Caller& caller) {
    return RespondWith(admin_->Retire(caller, request->key_id()), response);
  });
}

grpc::ServerUnaryReactor* AuthorityAdminService::ListAuditRecords(
    grpc::CallbackServerContext* context, const v1::ListAuditRecordsRequest* request,
    v1::ListAuditRecordsResponse* response) {
  return RunForCaller(callers_, pool_, context, [=, this](const Caller& caller) {
    return RespondWith(admin_->ListAudit(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* AuthorityAdminService::BackupStore(
    grpc::CallbackServerContext* context, const v1::BackupStoreRequest* request,
    v1::BackupStoreResponse* response) {
  return RunForCaller(callers_, pool_, context, [=, this](const Caller& caller) {
    return RespondWith(admin_->Backup(caller, *request), response);
  });
}

}  // namespace einvoice
