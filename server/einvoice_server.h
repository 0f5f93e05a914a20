// EinvoiceServer: the running gRPC server -- both services, the worker pools and the domain
// objects, wired to the backends it is given (the store, the registries, the signer, the
// clock). Production backends come from OpenBackends() (backends.h); tests pass fakes.
//
// Thread-safety: Start() returns a running server; Shutdown() may be called from any thread
// once; the destructor shuts down if needed.
#ifndef EINVOICE_SERVER_EINVOICE_SERVER_H_
#define EINVOICE_SERVER_EINVOICE_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/thread_pool.h"
#include "domain/authority_code.h"
#include "domain/invoice_authenticator.h"
#include "domain/seller_admin.h"
#include "domain/signing_key_manager.h"
#include "grpcpp/grpcpp.h"
#include "server/authority_admin_service.h"
#include "server/invoice_authority_service.h"
#include "server/signer_health_monitor.h"
#include "server/tax_officer_service.h"
#include "signer/signer.h"
#include "storage/invoice_store.h"
#include "storage/seller_registry.h"
#include "storage/signing_key_registry.h"

namespace einvoice {

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port (see EinvoiceServer::port()). Empty =
  // no listening socket (in-process channel only, for tests).
  std::string listen_address = "127.0.0.1:50051";
  // Issuing-system prefix of authority codes: 2 upper-case hex characters.
  std::string code_prefix = "00";
  // Generate and activate a signing key when none is active (first start of the embedded
  // default). When false, start-up fails with instructions.
  bool create_signing_key_if_none = false;
  // Threads running submissions up to the store write (validation, code, the HSM signature);
  // none waits for the disk, so they need only cover the HSM's concurrency and the cores.
  // 16 measured best on 2 cores (64 costs more context switches and a longer p99).
  size_t submit_threads = 16;
  // Threads running lookups, searches and registry operations.
  size_t query_threads = 8;
  // Requests waiting for a thread, per pool, before RESOURCE_EXHAUSTED.
  size_t max_queued = 8192;
  // Per SubmitInvoices stream: requests in flight or unwritten before reading pauses.
  size_t stream_max_outstanding = 128;
  // Accept sellers' XML signatures made with RSA-SHA1 (about half of real submissions in
  // 2026). False refuses them with violation 20904.
  bool allow_rsa_sha1 = true;
  // How often the signer's health is checked and published (grpc.health.v1).
  absl::Duration health_check_interval = absl::Seconds(5);
};

// The collaborators the server runs on. Not owned; must outlive the server.
struct ServerBackends {
  InvoiceStore* store = nullptr;
  SellerRegistry* sellers = nullptr;
  SigningKeyRegistry* signing_keys = nullptr;
  Signer* signer = nullptr;
  const Clock* clock = nullptr;
};

class EinvoiceServer {
 public:
  static absl::StatusOr<std::unique_ptr<EinvoiceServer>> Start(const ServerOptions& options,
                                                               ServerBackends backends);
  ~EinvoiceServer();

  // The port bound (0 when not listening).
  int port() const { return port_; }
  // A channel to this server that bypasses the network.
  std::shared_ptr<grpc::Channel> InProcessChannel();
  // Stops accepting calls, lets in-flight calls finish (up to `grace`), stops the pools.
  void Shutdown(absl::Duration grace = absl::Seconds(10));

  SigningKeyManager* signing_keys() { return keys_.get(); }
  // Checks the signer now and publishes the result (tests; the monitor also does it
  // periodically).
  absl::Status CheckSignerHealth() { return health_monitor_->CheckNow(); }

 private:
  EinvoiceServer() = default;

  ServerBackends backends_;
  std::unique_ptr<SigningKeyManager> keys_;
  std::unique_ptr<AuthorityCodeGenerator> codes_;
  std::unique_ptr<InvoiceAuthenticator> authenticator_;
  std::unique_ptr<SellerAdmin> seller_admin_;
  std::unique_ptr<ThreadPool> submit_pool_;
  std::unique_ptr<ThreadPool> query_pool_;
  std::unique_ptr<InvoiceAuthorityService> authority_service_;
  std::unique_ptr<TaxOfficerService> officer_service_;
  std::unique_ptr<AuthorityAdminService> admin_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<SignerHealthMonitor> health_monitor_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_EINVOICE_SERVER_H_
