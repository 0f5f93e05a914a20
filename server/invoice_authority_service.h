// InvoiceAuthorityService: the gRPC face of the authentication path (einvoice.v1
// InvoiceAuthority), on gRPC's callback API. It identifies the caller (CallerIdentifier) and
// translates; who may submit and read what is decided in domain/ (InvoiceAuthenticator,
// InvoiceQueries). A stream's caller is identified once, when it opens.
//
// RPC threads never block on the HSM or the disk: submissions run on `submit_pool`, lookups
// on `query_pool`; both pools are bounded and a full pool answers RESOURCE_EXHAUSTED.
// Streams are flow-controlled (see SubmitStreamReactor).
//
// Thread-safety: gRPC calls the methods concurrently; all state is in the (thread-safe)
// collaborators.
#ifndef EINVOICE_SERVER_INVOICE_AUTHORITY_SERVICE_H_
#define EINVOICE_SERVER_INVOICE_AUTHORITY_SERVICE_H_

#include "absl/functional/any_invocable.h"
#include "common/thread_pool.h"
#include "domain/invoice_authenticator.h"
#include "xml/tvan_exchange.h"
#include "domain/invoice_queries.h"
#include "domain/signing_key_manager.h"
#include "einvoice/v1/invoice_authority.grpc.pb.h"
#include "server/call_gate.h"
#include "server/submit_stream_reactor.h"

namespace einvoice {

class InvoiceAuthorityService final : public v1::InvoiceAuthority::CallbackService {
 public:
  struct Options {
    // Requests of one stream that may be in flight or waiting to be written before the
    // server stops reading from that stream.
    size_t stream_max_outstanding = 128;
    // Bytes of answers of one stream waiting to be written (a slow reader) before the server
    // stops reading from it.
    size_t stream_max_unwritten_bytes = 16 << 20;
    // Called each time a stream stops reading for that budget (SubmitStreamReactor).
    SubmitStreamReactor::PauseObserver on_stream_paused;
  };

  // REQUIRES: the pointers outlive the service (and the gRPC server it is registered with).
  InvoiceAuthorityService(Options options, CallGate* callers,
                          InvoiceAuthenticator* authenticator, TvanExchange* exchange,
                          InvoiceQueries* queries, SigningKeyManager* keys,
                          ThreadPool* submit_pool,
                          ThreadPool* query_pool);

  grpc::ServerUnaryReactor* SubmitInvoice(grpc::CallbackServerContext* context,
                                          const v1::SubmitInvoiceRequest* request,
                                          v1::SubmitInvoiceResponse* response) override;
  grpc::ServerBidiReactor<v1::SubmitInvoiceRequest, v1::SubmitInvoiceResponse>* SubmitInvoices(
      grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* GetInvoice(grpc::CallbackServerContext* context,
                                       const v1::GetInvoiceRequest* request,
                                       v1::AuthenticatedInvoice* response) override;
  grpc::ServerUnaryReactor* GetSigningKeys(grpc::CallbackServerContext* context,
                                           const v1::GetSigningKeysRequest* request,
                                           v1::GetSigningKeysResponse* response) override;
  grpc::ServerUnaryReactor* VerifyInvoice(grpc::CallbackServerContext* context,
                                          const v1::VerifyInvoiceRequest* request,
                                          v1::VerifyInvoiceResponse* response) override;
  grpc::ServerUnaryReactor* ExchangeMessage(grpc::CallbackServerContext* context,
                                            const v1::ExchangeMessageRequest* request,
                                            v1::ExchangeMessageResponse* response) override;
  grpc::ServerUnaryReactor* SubmitCashRegisterInvoices(
      grpc::CallbackServerContext* context, const v1::SubmitCashRegisterInvoicesRequest* request,
      v1::SubmitCashRegisterInvoicesResponse* response) override;

  // Runs one submission and hands its response to `done`: on this thread if it is refused
  // before the store, else on the store's completion thread once the write is durable. Waits
  // for the signer, never for the write. Used by both the unary and the stream rpc; `request`
  // need only live until this returns.
  using ResponseCallback = absl::AnyInvocable<void(v1::SubmitInvoiceResponse) &&>;
  // `abandoned` tells the domain when nobody waits for the answer any more.
  void Process(const Caller& caller, const v1::SubmitInvoiceRequest& request,
               ResponseCallback done, Abandoned abandoned = {});

 private:
  const Options options_;
  CallGate* const callers_;
  InvoiceAuthenticator* const authenticator_;
  TvanExchange* const exchange_;
  InvoiceQueries* const queries_;
  SigningKeyManager* const keys_;
  ThreadPool* const submit_pool_;
  ThreadPool* const query_pool_;
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_INVOICE_AUTHORITY_SERVICE_H_
