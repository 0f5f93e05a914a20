// EinvoiceClient: a small synchronous client for the einvoiced server, wrapping the stubs of
// both services (InvoiceAuthority and TaxOfficer). Every call gets its own deadline
// (ClientOptions::timeout from the moment the call starts) and reports failures as
// absl::Status with the gRPC code and message unchanged (absl and gRPC share code numbers).
//
// Rejections: a rejected SubmitInvoice fails with INVALID_ARGUMENT, ALREADY_EXISTS,
// FAILED_PRECONDITION, UNAVAILABLE or RESOURCE_EXHAUSTED and carries an einvoice.v1.Rejection
// in the status details (a serialized google.rpc.Status in grpc-status-details-bin).
// FromGrpcStatus() keeps those details as an absl::Status payload under
// kStatusDetailsPayloadUrl, so ExtractRejection() works on the absl::Status returned by
// SubmitInvoice() as well as on a raw grpc::Status.
//
// Used by the `einvoice` CLI and the benchmark harness. Callers are identified by their TLS
// client certificate (ClientOptions::tls); a call the server refuses for who is calling fails
// with PERMISSION_DENIED (or UNAUTHENTICATED without a certificate).
//
// Thread-safety: an EinvoiceClient is thread-safe (gRPC stubs and channels are); share one
// per target. The free functions are pure.
#ifndef EINVOICE_TOOLS_CLIENT_EINVOICE_CLIENT_H_
#define EINVOICE_TOOLS_CLIENT_EINVOICE_CLIENT_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "einvoice/v1/authority_admin.grpc.pb.h"
#include "einvoice/v1/invoice_authority.grpc.pb.h"
#include "einvoice/v1/tax_officer.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"

namespace einvoice {

// Mutual TLS for a client: PEM text. The server's certificate is checked against
// `ca_certificates` and must name the host dialled (127.0.0.1 or localhost in development);
// the client presents `certificate_chain` with `private_key`.
struct ClientTls {
  std::string ca_certificates;
  std::string certificate_chain;
  std::string private_key;
};

// Reads the three PEM files. `ca_file` may be alone (server authentication only; einvoiced
// itself always asks for a client certificate); `cert_file` and `key_file` go together.
// INVALID_ARGUMENT naming the flag for a missing partner; NOT_FOUND for a file that cannot be
// read.
absl::StatusOr<ClientTls> LoadClientTls(const std::string& ca_file, const std::string& cert_file,
                                        const std::string& key_file);

struct ClientOptions {
  // Deadline of each rpc, counted from the start of the call. Default 10 s. A search that
  // follows several pages gives each page its own deadline.
  absl::Duration timeout = absl::Seconds(10);
  // Largest response message accepted, in bytes (CreateChannel only). Default 64 MiB: a search
  // page of 1000 invoices can exceed gRPC's default of 4 MiB.
  int max_receive_message_bytes = 64 << 20;
  // When false (the default) a call fails at once with UNAVAILABLE if the server cannot be
  // reached; when true it waits (until the deadline) for the channel to become ready.
  bool wait_for_ready = false;
  // Mutual TLS (CreateChannel only); nullopt = plaintext (development mode).
  std::optional<ClientTls> tls;
};

// A channel to `target` with `options` (TLS or plaintext, message size); lazy.
std::shared_ptr<grpc::Channel> CreateEinvoiceChannel(const std::string& target,
                                                     const ClientOptions& options);

// Payload key under which FromGrpcStatus() stores a status's error details (the serialized
// google.rpc.Status) in the absl::Status.
inline constexpr absl::string_view kStatusDetailsPayloadUrl =
    "type.googleapis.com/google.rpc.Status";

// Same code and message. Non-empty `error_details()` are kept as a payload under
// kStatusDetailsPayloadUrl. OK gives OK (details dropped).
absl::Status FromGrpcStatus(const grpc::Status& status);

// The Rejection packed in a failed SubmitInvoice status: error_details() parsed as a
// google.rpc.Status whose details hold one einvoice.v1.Rejection (the first one found is
// returned). nullopt when the status is OK, has no details, the details do not parse, or
// hold no Rejection.
std::optional<v1::Rejection> ExtractRejection(const grpc::Status& status);
// The same for an absl::Status produced by FromGrpcStatus() (reads the payload).
std::optional<v1::Rejection> ExtractRejection(const absl::Status& status);

class EinvoiceClient {
 public:
  // A client on a channel to `target` ("host:port") made by CreateEinvoiceChannel(): mutual
  // TLS when options.tls is set, else plaintext. Connecting is lazy: nothing happens on the
  // network until the first call.
  static std::unique_ptr<EinvoiceClient> Create(const std::string& target,
                                                const ClientOptions& options = {});

  // A client on an existing channel (for example an in-process channel in tests).
  // REQUIRES: channel != nullptr.
  explicit EinvoiceClient(std::shared_ptr<grpc::ChannelInterface> channel,
                          const ClientOptions& options = {});

  EinvoiceClient(const EinvoiceClient&) = delete;
  EinvoiceClient& operator=(const EinvoiceClient&) = delete;

  const ClientOptions& options() const { return options_; }

  // ---- InvoiceAuthority ----

  // Submits one invoice. OK: the invoice was (or had already been: `replay`) authenticated,
  // `accepted` is set. A rejection is an error status carrying the Rejection (see
  // ExtractRejection()).
  absl::StatusOr<v1::SubmitInvoiceResponse> SubmitInvoice(const v1::SubmitInvoiceRequest& request);

  // Fetches an invoice by authority code or by seller-side key. NOT_FOUND if there is none.
  absl::StatusOr<v1::AuthenticatedInvoice> GetInvoice(const v1::GetInvoiceRequest& request);
  absl::StatusOr<v1::AuthenticatedInvoice> GetInvoiceByCode(absl::string_view authority_code);
  absl::StatusOr<v1::AuthenticatedInvoice> GetInvoiceByKey(const v1::InvoiceKey& key);

  // The authority's signing keys, active first.
  absl::StatusOr<v1::GetSigningKeysResponse> GetSigningKeys();

  // Asks the server to check an invoice (signature and record on file).
  absl::StatusOr<v1::VerifyInvoiceResponse> VerifyInvoice(const v1::AuthenticatedInvoice& invoice);

  // ---- TaxOfficer ----

  // One page of a search.
  absl::StatusOr<v1::SearchInvoicesResponse> SearchInvoices(
      const v1::SearchInvoicesRequest& request);
  // Every matching invoice: follows next_page_token from `request` (its page_token is the
  // starting point) until the last page. INTERNAL if the server repeats a page token.
  absl::StatusOr<std::vector<v1::AuthenticatedInvoice>> SearchAllInvoices(
      v1::SearchInvoicesRequest request);

  absl::StatusOr<v1::Seller> RegisterSeller(const v1::RegisterSellerRequest& request);
  // NOT_FOUND if the tax code is not registered.
  absl::StatusOr<v1::Seller> GetSeller(absl::string_view tax_code);
  // One page of registered sellers.
  absl::StatusOr<v1::ListSellersResponse> ListSellers(const v1::ListSellersRequest& request);
  // Every matching seller, page by page: follows next_page_token from `request` (its
  // page_token is the starting point) to the last page, handing each page to `on_page` as it
  // arrives (pages may be empty). The first failed call's status; INTERNAL if the server
  // repeats a page token.
  absl::Status ListAllSellers(v1::ListSellersRequest request,
                              absl::FunctionRef<void(v1::ListSellersResponse&)> on_page);
  // NOT_FOUND if the tax code is not registered.
  absl::StatusOr<v1::Seller> SetSellerStatus(absl::string_view tax_code, v1::SellerStatus status);
  absl::StatusOr<v1::Seller> AddSellerCertificate(absl::string_view tax_code,
                                                  absl::string_view certificate_der);
  absl::StatusOr<v1::Seller> RevokeSellerCertificate(absl::string_view tax_code,
                                                     absl::string_view fingerprint,
                                                     absl::string_view reason);
  // `tvan_tax_code` empty removes the seller's T-VAN.
  absl::StatusOr<v1::Seller> SetSellerTvan(absl::string_view tax_code,
                                           absl::string_view tvan_tax_code);

  absl::StatusOr<v1::GetStatsResponse> GetStats(const v1::GetStatsRequest& request);

  // ---- AuthorityAdmin (operators) ----

  // Every key, pending ones included.
  absl::StatusOr<v1::ListSigningKeysResponse> ListSigningKeys();
  // A new key pair in the HSM, pending until activated. `algorithm` empty = the default.
  absl::StatusOr<v1::SigningKey> GenerateSigningKey(absl::string_view algorithm);
  absl::StatusOr<v1::SigningKey> ActivateSigningKey(absl::string_view key_id);
  absl::StatusOr<v1::SigningKey> RetireSigningKey(absl::string_view key_id);
  absl::StatusOr<v1::SigningKey> ImportSigningKeyCertificate(absl::string_view key_id,
                                                             absl::string_view certificate_der);
  // One page of the audit trail.
  absl::StatusOr<v1::ListAuditRecordsResponse> ListAuditRecords(
      const v1::ListAuditRecordsRequest& request);
  // Has the server write a consistent copy of its store into `directory` (on its machine).
  absl::StatusOr<v1::BackupStoreResponse> BackupStore(absl::string_view directory);

  // ---- grpc.health.v1 ----

  // The serving status of `service` ("" = the whole server).
  absl::StatusOr<grpc::health::v1::HealthCheckResponse::ServingStatus> CheckHealth(
      absl::string_view service);

 private:
  // Runs one unary rpc `rpc(context, response)` on a fresh context carrying the deadline and
  // wait-for-ready setting; converts the status.
  template <typename Response, typename Rpc>
  absl::StatusOr<Response> Invoke(Rpc rpc) const;

  const ClientOptions options_;
  std::unique_ptr<v1::InvoiceAuthority::Stub> authority_;
  std::unique_ptr<v1::TaxOfficer::Stub> officer_;
  std::unique_ptr<v1::AuthorityAdmin::Stub> admin_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

}  // namespace einvoice

#endif  // EINVOICE_TOOLS_CLIENT_EINVOICE_CLIENT_H_
