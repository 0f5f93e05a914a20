#include "server/authority_admin_service.h"

#include <utility>

#include "common/logging.h"
#include "server/grpc_status.h"
#include "server/run_on_pool.h"

namespace einvoice {
namespace {

grpc::Status Respond(absl::StatusOr<v1::SigningKey> result, v1::SigningKey* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

AuthorityAdminService::AuthorityAdminService(SigningKeyManager* keys, ThreadPool* pool)
    : keys_(keys), pool_(pool) {}

grpc::ServerUnaryReactor* AuthorityAdminService::ListSigningKeys(
    grpc::CallbackServerContext* context, const v1::ListSigningKeysRequest* request,
    v1::ListSigningKeysResponse* response) {
  for (v1::SigningKey& key : keys_->Keys()) *response->add_keys() = std::move(key);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AuthorityAdminService::GenerateSigningKey(
    grpc::CallbackServerContext* context, const v1::GenerateSigningKeyRequest* request,
    v1::SigningKey* response) {
  return RunOnPool(pool_, context, [this, request, response] {
    absl::StatusOr<KeyAlgorithm> algorithm =
        request->algorithm().empty() ? KeyAlgorithm::kEcdsaP256Sha256
                                     : ParseKeyAlgorithm(request->algorithm());
    if (!algorithm.ok()) return ToGrpcStatus(algorithm.status());
    absl::StatusOr<v1::SigningKey> key = keys_->GenerateKey(*algorithm);
    if (key.ok()) LogInfo("admin: generated signing key ", key->key_id());
    return Respond(std::move(key), response);
  });
}

grpc::ServerUnaryReactor* AuthorityAdminService::ActivateSigningKey(
    grpc::CallbackServerContext* context, const v1::ActivateSigningKeyRequest* request,
    v1::SigningKey* response) {
  return RunOnPool(pool_, context, [this, request, response] {
    return Respond(keys_->Activate(request->key_id()), response);
  });
}

grpc::ServerUnaryReactor* AuthorityAdminService::ImportSigningKeyCertificate(
    grpc::CallbackServerContext* context, const v1::ImportSigningKeyCertificateRequest* request,
    v1::SigningKey* response) {
  return RunOnPool(pool_, context, [this, request, response] {
    return Respond(keys_->ImportCertificate(request->key_id(), request->certificate_der()),
                   response);
  });
}

grpc::ServerUnaryReactor* AuthorityAdminService::RetireSigningKey(
    grpc::CallbackServerContext* context, const v1::RetireSigningKeyRequest* request,
    v1::SigningKey* response) {
  return RunOnPool(pool_, context, [this, request, response] {
    absl::StatusOr<v1::SigningKey> key = keys_->Retire(request->key_id());
    if (key.ok()) LogInfo("admin: retired signing key ", key->key_id());
    return Respond(std::move(key), response);
  });
}

}  // namespace einvoice
