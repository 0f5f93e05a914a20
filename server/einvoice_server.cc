#include "server/einvoice_server.h"

#include <chrono>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/limits.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "signer/x509_certificate.h"

namespace einvoice {
namespace {

constexpr int kMaxConnectionAgeMs = 60 * 60 * 1000;        // one hour
constexpr int kMaxConnectionAgeGraceMs = 5 * 60 * 1000;    // calls in flight may finish

// The host part of "host:port", "[v6]:port" or "dns:///host:port".
absl::string_view HostOf(absl::string_view address) {
  absl::ConsumePrefix(&address, "dns:///");
  if (absl::ConsumePrefix(&address, "[")) return address.substr(0, address.find(']'));
  const size_t colon = address.rfind(':');
  return colon == absl::string_view::npos ? address : address.substr(0, colon);
}

bool IsIpv4Loopback(absl::string_view host) {
  std::vector<absl::string_view> parts = absl::StrSplit(host, '.');
  if (parts.size() != 4) return false;
  for (absl::string_view part : parts) {
    int value = 0;
    if (part.empty() || part.size() > 3 || !absl::SimpleAtoi(part, &value) || value < 0 ||
        value > 255) {
      return false;
    }
  }
  return parts[0] == "127";
}

std::shared_ptr<grpc::ServerCredentials> CredentialsFor(const ServerOptions& options) {
  if (!options.tls.has_value()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = options.tls->client_ca_bundle;
  ssl.pem_key_cert_pairs.push_back({options.tls->private_key, options.tls->certificate_chain});
  // gRPC negotiates TLS 1.2 or 1.3 only (its minimum is TLS 1.2).
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

bool IsLoopbackAddress(absl::string_view listen_address) {
  // Path-named unix sockets have file permissions; abstract ones ("unix-abstract:") do not,
  // so any process in the network namespace could connect: not loopback for this purpose.
  if (absl::StartsWith(listen_address, "unix:")) return true;
  const std::string host = absl::AsciiStrToLower(HostOf(listen_address));
  return host == "localhost" || host == "::1" || IsIpv4Loopback(host);
}

absl::StatusOr<std::unique_ptr<EinvoiceServer>> EinvoiceServer::Start(
    const ServerOptions& options, ServerBackends backends) {
  if (!options.tls.has_value() && !options.listen_address.empty() &&
      !IsLoopbackAddress(options.listen_address)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to serve plaintext on ", options.listen_address,
        ": without --tls_cert_file, --tls_key_file and --client_ca_file the server listens on "
        "loopback only (127.0.0.1, ::1, localhost)"));
  }
  if (options.tls.has_value()) {
    if (options.tls->certificate_chain.empty() || options.tls->private_key.empty() ||
        options.tls->client_ca_bundle.empty()) {
      return absl::InvalidArgumentError(
          "TLS needs the server certificate, its private key and the client CA bundle");
    }
    RETURN_IF_ERROR(x509::CheckCertificateMatchesKey(options.tls->certificate_chain,
                                                     options.tls->private_key));
    if (!x509::PemCertificateToDer(options.tls->client_ca_bundle).ok()) {
      return absl::InvalidArgumentError("the client CA bundle holds no PEM certificate");
    }
  }
  auto server = absl::WrapUnique(new EinvoiceServer());
  server->backends_ = backends;
  server->tls_ = options.tls.has_value();
  server->policy_.Set(options.access_policy);
  if (options.caller_identifier != nullptr) {
    server->identifier_ = options.caller_identifier;
  } else {
    if (server->tls_) {
      server->own_identifier_ =
          std::make_unique<TlsCallerIdentifier>(&server->policy_, backends.clock);
    } else {
      server->own_identifier_ = std::make_unique<LocalOperatorIdentifier>();
    }
    server->identifier_ = server->own_identifier_.get();
  }
  server->rate_limiter_ = std::make_unique<RateLimiter>(options.caller_rate_limit, backends.clock);
  server->gate_ = std::make_unique<CallGate>(server->identifier_, server->rate_limiter_.get());
  ASSIGN_OR_RETURN(server->audit_, AuditTrail::Open(backends.audit_log, backends.clock));
  // Written where the trail is not: compare it with `einvoice audit verify --expect`.
  LogInfo("audit trail head (sequence:SHA-256) ", server->audit_->HeadForLog());
  server->access_ = std::make_unique<AccessControl>(backends.sellers, server->audit_.get());

  SigningKeyManager::Options key_options;
  key_options.create_key_if_none = options.create_signing_key_if_none;
  ASSIGN_OR_RETURN(server->keys_, SigningKeyManager::Create(backends.signer, backends.signing_keys,
                                                            backends.clock, key_options));
  ASSIGN_OR_RETURN(std::string greatest, backends.store->GreatestAuthorityCode());
  ASSIGN_OR_RETURN(server->codes_,
                   AuthorityCodeGenerator::Create(options.code_prefix, backends.clock, greatest));
  SellerSignatureOptions signatures;
  signatures.allow_rsa_sha1 = options.allow_rsa_sha1;
  server->xml_reader_ = std::make_unique<Qd1450InvoiceReader>(signatures);
  InvoiceAuthenticator::Options authenticator_options;
  authenticator_options.xml_reader = server->xml_reader_.get();
  authenticator_options.rule_profile = options.rule_profile;
  server->authenticator_ = std::make_unique<InvoiceAuthenticator>(
      backends.store, backends.sellers, server->keys_.get(), backends.signer,
      server->codes_.get(), server->access_.get(), backends.clock, authenticator_options);
  // A message's answer is built after the store's write, back on the submit pool (signing a
  // notice waits for the HSM); when the pool's queue is full, where the write completed.
  server->exchange_ = std::make_unique<TvanExchange>(
      server->authenticator_.get(), backends.sellers, server->access_.get(), server->keys_.get(),
      backends.signer, signatures, [raw = server.get()](std::function<void()> task) {
        if (!raw->submit_pool_->TrySubmit(task)) task();
      });
  server->queries_ = std::make_unique<InvoiceQueries>(backends.store, server->keys_.get(),
                                                      server->access_.get(), backends.clock);
  server->seller_admin_ =
      std::make_unique<SellerAdmin>(backends.sellers, server->access_.get(), backends.clock);
  server->admin_operations_ = std::make_unique<AdminOperations>(
      server->keys_.get(), server->audit_.get(), server->access_.get(), backends.backup);
  server->submit_pool_ = std::make_unique<ThreadPool>(options.submit_threads, options.max_queued);
  server->query_pool_ = std::make_unique<ThreadPool>(options.query_threads, options.max_queued);
  InvoiceAuthorityService::Options service_options;
  service_options.stream_max_outstanding = options.stream_max_outstanding;
  service_options.stream_max_unwritten_bytes = options.stream_max_unwritten_bytes;
  service_options.on_stream_paused = options.on_stream_paused;
  server->authority_service_ = std::make_unique<InvoiceAuthorityService>(
      service_options, server->gate_.get(), server->authenticator_.get(), server->exchange_.get(),
      server->queries_.get(), server->keys_.get(), server->submit_pool_.get(), server->query_pool_.get());
  server->officer_service_ = std::make_unique<TaxOfficerService>(
      server->gate_.get(), server->queries_.get(), server->seller_admin_.get(),
      server->query_pool_.get());
  server->admin_service_ = std::make_unique<AuthorityAdminService>(
      server->gate_.get(), server->admin_operations_.get(), server->query_pool_.get());

  grpc::EnableDefaultHealthCheckService(true);
  // Server reflection: generic gRPC tools (grpcurl, Postman, grpc_cli) discover the services
  // and messages without the .proto files. It reveals the API's schema only, which is public.
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Connections do not live for ever: a client reconnects at least this often, so a changed
  // client CA bundle or server certificate (after a restart) reaches every client.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, kMaxConnectionAgeMs);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, kMaxConnectionAgeGraceMs);
  // The documented message limits (common/limits.h, docs/limits.md), not gRPC's defaults.
  builder.SetMaxReceiveMessageSize(static_cast<int>(kMaxRequestBytes));
  builder.SetMaxSendMessageSize(static_cast<int>(kMaxResponseBytes));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options.max_concurrent_streams_per_connection);
  if (options.memory_quota_bytes > 0) {
    grpc::ResourceQuota quota("einvoiced");
    quota.Resize(options.memory_quota_bytes);
    builder.SetResourceQuota(quota);
  }
  if (!options.listen_address.empty()) {
    builder.AddListeningPort(options.listen_address, CredentialsFor(options), &server->port_);
  }
  builder.RegisterService(server->authority_service_.get());
  builder.RegisterService(server->officer_service_.get());
  builder.RegisterService(server->admin_service_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr ||
      (!options.listen_address.empty() && server->port_ == 0)) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.listen_address,
        " (in use or invalid?)"));
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
