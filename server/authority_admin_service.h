// AuthorityAdminService: the gRPC face of the signing-key lifecycle (einvoice.v1
// AuthorityAdmin), for operators. Handlers that touch the HSM or the registry run on the
// query pool.
//
// Thread-safety: gRPC calls the methods concurrently; SigningKeyManager is thread-safe.
#ifndef EINVOICE_SERVER_AUTHORITY_ADMIN_SERVICE_H_
#define EINVOICE_SERVER_AUTHORITY_ADMIN_SERVICE_H_

#include "common/thread_pool.h"
#include "domain/signing_key_manager.h"
#include "einvoice/v1/authority_admin.grpc.pb.h"

namespace einvoice {

class AuthorityAdminService final : public v1::AuthorityAdmin::CallbackService {
 public:
  // REQUIRES: the pointers outlive the service.
  AuthorityAdminService(SigningKeyManager* keys, ThreadPool* pool);

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

 private:
  SigningKeyManager* const keys_;
  ThreadPool* const pool_;
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_AUTHORITY_ADMIN_SERVICE_H_
