// EinvoiceServer: the running gRPC server -- the three services, the worker pools and the
// domain objects, wired to the backends it is given (the store, the registries, the audit log,
// the signer, the clock). Production backends come from OpenBackends() (backends.h); tests
// pass fakes.
//
// Transport and identity (docs/security.md):
//   - with ServerOptions::tls: TLS 1.2 or later, a client certificate required on every
//     connection and verified against the client CA bundle; callers are identified by their
//     certificate (TlsCallerIdentifier) with the roles of the access policy in force
//     (ReloadAccessPolicy() swaps it, e.g. on SIGHUP);
//   - without: plaintext, and only on a loopback address (Start() refuses any other with
//     FAILED_PRECONDITION); every caller is the local operator (development mode).
// ServerOptions::caller_identifier overrides the identifier (tests).
//
// Thread-safety: Start() returns a running server; Shutdown() may be called from any thread
// once; the destructor shuts down if needed.
#ifndef EINVOICE_SERVER_EINVOICE_SERVER_H_
#define EINVOICE_SERVER_EINVOICE_SERVER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/thread_pool.h"
#include "domain/access_control.h"
#include "domain/access_policy.h"
#include "domain/admin_operations.h"
#include "domain/audit_trail.h"
#include "domain/authority_code.h"
#include "domain/rate_limiter.h"
#include "domain/rule_profile.h"
#include "domain/invoice_authenticator.h"
#include "domain/invoice_queries.h"
#include "domain/seller_admin.h"
#include "domain/signing_key_manager.h"
#include "xml/qd1450_invoice_reader.h"
#include "xml/tvan_exchange.h"
#include "grpcpp/grpcpp.h"
#include "server/authority_admin_service.h"
#include "server/call_gate.h"
#include "server/caller_identifier.h"
#include "server/invoice_authority_service.h"
#include "server/signer_health_monitor.h"
#include "server/tax_officer_service.h"
#include "signer/signer.h"
#include "storage/audit_log.h"
#include "storage/invoice_store.h"
#include "storage/seller_registry.h"
#include "storage/signing_key_registry.h"
#include "storage/store_backup.h"

namespace einvoice {

// The server's TLS material, PEM text (not file names).
struct TlsMaterial {
  // The server's certificate chain and private key.
  std::string certificate_chain;
  std::string private_key;
  // The CA certificates client certificates must chain to.
  std::string client_ca_bundle;
};

// True for addresses only this machine can reach: 127.0.0.0/8, [::1], localhost, and unix
// domain sockets with a path ("unix:...", not "unix-abstract:"). Plaintext is allowed only
// there.
bool IsLoopbackAddress(absl::string_view listen_address);

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port (see EinvoiceServer::port()). Empty =
  // no listening socket (in-process channel only, for tests). Without `tls` it must be a
  // loopback address.
  std::string listen_address = "127.0.0.1:50051";
  // Mutual TLS; nullopt = plaintext development mode (loopback only, local operator).
  std::optional<TlsMaterial> tls;
  // Who officers and administrators are (with `tls`). Swap it later with
  // ReloadAccessPolicy().
  AccessPolicy access_policy;
  // Tests: identifies callers instead of the TLS or local-operator identifier. Not owned.
  CallerIdentifier* caller_identifier = nullptr;
  // Per-certificate request rate (every rpc, and every request of a stream); rate 0 = no
  // limit. The local operator is never limited.
  RateLimit caller_rate_limit;
  // gRPC's memory for this server (buffers of every connection): past it, new calls are
  // refused with RESOURCE_EXHAUSTED. 0 = gRPC's default (unbounded).
  size_t memory_quota_bytes = size_t{1} << 30;
  // Concurrent calls (HTTP/2 streams) one connection may have open.
  int max_concurrent_streams_per_connection = 100;
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
  // Per SubmitInvoices stream: bytes of answers not yet taken by the client before reading
  // pauses (a slow reader cannot make the server buffer more).
  size_t stream_max_unwritten_bytes = 16 << 20;
  // Called (with the bytes waiting) each time a stream stops reading for that budget; may be
  // empty. Must be thread-safe and must not block: it runs on gRPC's threads.
  std::function<void(size_t unwritten_bytes)> on_stream_paused;
  // Accept sellers' XML signatures made with RSA-SHA1 (about half of real submissions in
  // 2026). False refuses them with violation 20904.
  bool allow_rsa_sha1 = true;
  // What each rule does to an invoice: reject, warn or off (domain/rule_profile.h).
  RuleProfile rule_profile = RuleProfile::Authority();
  // How often the signer's health is checked and published (grpc.health.v1).
  absl::Duration health_check_interval = absl::Seconds(5);
};

// The collaborators the server runs on. Not owned; must outlive the server.
struct ServerBackends {
  InvoiceStore* store = nullptr;
  SellerRegistry* sellers = nullptr;
  SigningKeyRegistry* signing_keys = nullptr;
  AuditLog* audit_log = nullptr;
  Signer* signer = nullptr;
  const Clock* clock = nullptr;
  // May be null: AuthorityAdmin.BackupStore is then UNIMPLEMENTED.
  StoreBackup* backup = nullptr;
};

class EinvoiceServer {
 public:
  // FAILED_PRECONDITION for plaintext on a non-loopback address; INVALID_ARGUMENT for unusable
  // TLS material; UNAVAILABLE if the address cannot be bound; the domain's errors otherwise.
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
  // Puts `policy` in force for calls that start from now on.
  void ReloadAccessPolicy(AccessPolicy policy) { policy_.Set(std::move(policy)); }
  // True when serving mutual TLS.
  bool tls() const { return tls_; }
  // Checks the signer now and publishes the result (tests; the monitor also does it
  // periodically).
  absl::Status CheckSignerHealth() { return health_monitor_->CheckNow(); }

 private:
  EinvoiceServer() = default;

  ServerBackends backends_;
  AccessPolicyHolder policy_;
  std::unique_ptr<CallerIdentifier> own_identifier_;
  CallerIdentifier* identifier_ = nullptr;
  std::unique_ptr<RateLimiter> rate_limiter_;
  std::unique_ptr<CallGate> gate_;
  std::unique_ptr<AuditTrail> audit_;
  std::unique_ptr<AccessControl> access_;
  std::unique_ptr<SigningKeyManager> keys_;
  std::unique_ptr<AuthorityCodeGenerator> codes_;
  std::unique_ptr<Qd1450InvoiceReader> xml_reader_;
  std::unique_ptr<InvoiceAuthenticator> authenticator_;
  std::unique_ptr<TvanExchange> exchange_;
  std::unique_ptr<InvoiceQueries> queries_;
  std::unique_ptr<SellerAdmin> seller_admin_;
  std::unique_ptr<AdminOperations> admin_operations_;
  std::unique_ptr<ThreadPool> submit_pool_;
  std::unique_ptr<ThreadPool> query_pool_;
  std::unique_ptr<InvoiceAuthorityService> authority_service_;
  std::unique_ptr<TaxOfficerService> officer_service_;
  std::unique_ptr<AuthorityAdminService> admin_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<SignerHealthMonitor> health_monitor_;
  int port_ = 0;
  bool tls_ = false;
  bool shut_down_ = false;
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_EINVOICE_SERVER_H_
