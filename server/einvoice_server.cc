#include "server/einvoice_server.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace einvoice {

absl::StatusOr<std::unique_ptr<EinvoiceServer>> EinvoiceServer::Start(
    const ServerOptions& options, ServerBackends backends) {
  auto server = absl::WrapUnique(new EinvoiceServer());
  server->backends_ = backends;
  SigningKeyManager::Options key_options;
  key_options.create_key_if_none = options.create_signing_key_if_none;
  ASSIGN_OR_RETURN(server->keys_, SigningKeyManager::Create(backends.signer, backends.signing_keys,
                                                            backends.clock, key_options));
  ASSIGN_OR_RETURN(std::string greatest, backends.store->GreatestAuthorityCode());
  ASSIGN_OR_RETURN(server->codes_,
                   AuthorityCodeGenerator::Create(options.code_prefix, backends.clock, greatest));
  InvoiceAuthenticator::Options authenticator_options;
  authenticator_options.xml_signature.allow_rsa_sha1 = options.allow_rsa_sha1;
  server->authenticator_ = std::make_unique<InvoiceAuthenticator>(
      backends.store, backends.sellers, server->keys_.get(), backends.signer,
      server->codes_.get(), backends.clock, authenticator_options);
  server->seller_admin_ = std::make_unique<SellerAdmin>(backends.sellers, backends.clock);
  server->submit_pool_ = std::make_unique<ThreadPool>(options.submit_threads, options.max_queued);
  server->query_pool_ = std::make_unique<ThreadPool>(options.query_threads, options.max_queued);
  InvoiceAuthorityService::Options service_options;
  service_options.stream_max_outstanding = options.stream_max_outstanding;
  server->authority_service_ = std::make_unique<InvoiceAuthorityService>(
      service_options, server->authenticator_.get(), backends.store, server->keys_.get(),
      server->submit_pool_.get(), server->query_pool_.get());
  server->officer_service_ = std::make_unique<TaxOfficerService>(
      backends.store, server->seller_admin_.get(), backends.clock, server->query_pool_.get());

  server->admin_service_ =
      std::make_unique<AuthorityAdminService>(server->keys_.get(), server->query_pool_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  if (!options.listen_address.empty()) {
    builder.AddListeningPort(options.listen_address, grpc::InsecureServerCredentials(),
                             &server->port_);
  }
  builder.RegisterService(server->authority_service_.get());
  builder.RegisterService(server->officer_service_.get());
  builder.RegisterService(server->admin_service_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr ||
      (!options.listen_address.empty() && server->port_ == 0)) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address, " (in use or invalid?)"));
  }
  server->health_monitor_ = std::make_unique<SignerHealthMonitor>(
      backends.signer, server->server_->GetHealthCheckService(), options.health_check_interval);
  return server;
}

EinvoiceServer::~EinvoiceServer() { Shutdown(); }

std::shared_ptr<grpc::Channel> EinvoiceServer::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void EinvoiceServer::Shutdown(absl::Duration grace) {
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  health_monitor_.reset();
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
  // Joining the pools runs whatever is queued; every task finishes its call, so nothing
  // references the services after this.
  submit_pool_.reset();
  query_pool_.reset();
  server_->Wait();
}

}  // namespace einvoice
