#include "server/invoice_authority_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/cash_register_batch.h"
#include "xml/tvan_exchange.h"
#include "server/grpc_status.h"
#include "server/run_on_pool.h"
#include "server/submission_response.h"
#include "server/submit_stream_reactor.h"

namespace einvoice {
namespace {

// A stream refused before it starts (its caller could not be identified).
class RefusedStreamReactor final
    : public grpc::ServerBidiReactor<v1::SubmitInvoiceRequest, v1::SubmitInvoiceResponse> {
 public:
  explicit RefusedStreamReactor(const absl::Status& status) { Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

InvoiceAuthorityService::InvoiceAuthorityService(Options options, CallGate* callers,
                                                 InvoiceAuthenticator* authenticator,
                                                 TvanExchange* exchange, InvoiceQueries* queries,
                                                 SigningKeyManager* keys, ThreadPool* submit_pool,
                                                 ThreadPool* query_pool)
    : options_(options),
      callers_(callers),
      authenticator_(authenticator),
      exchange_(exchange),
      queries_(queries),
      keys_(keys),
      submit_pool_(submit_pool),
      query_pool_(query_pool) {}

void InvoiceAuthorityService::Process(const Caller& caller,
                                      const v1::SubmitInvoiceRequest& request,
                                      ResponseCallback done, Abandoned abandoned) {
  if (request.payload_case() == v1::SubmitInvoiceRequest::PAYLOAD_NOT_SET) {
    v1::SubmitInvoiceResponse response =
        ErrorResponse(absl::InvalidArgumentError("invoice or invoice_xml: required"));
    response.set_client_reference(request.client_reference());
    std::move(done)(std::move(response));
    return;
  }
  auto respond = [reference = request.client_reference(),
                  done = std::move(done)](SubmitOutcome outcome) mutable {
    v1::SubmitInvoiceResponse response = ToSubmitResponse(std::move(outcome));
    response.set_client_reference(std::move(reference));
    std::move(done)(std::move(response));
  };
  if (request.payload_case() == v1::SubmitInvoiceRequest::kInvoiceXml) {
    authenticator_->SubmitXmlAsync(caller, request.invoice_xml(), request.idempotency_key(),
                                   std::move(respond), std::move(abandoned));
  } else {
    authenticator_->SubmitAsync(caller, request.invoice(), request.idempotency_key(),
                                std::move(respond), std::move(abandoned));
  }
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::SubmitInvoice(
    grpc::CallbackServerContext* context, const v1::SubmitInvoiceRequest* request,
    v1::SubmitInvoiceResponse* response) {
  return RunForCallerAsync(
      callers_, submit_pool_, context,
      [this, context, request, response](const Caller& caller, auto finish) {
        Process(
            caller, *request,
            [response, finish](v1::SubmitInvoiceResponse result) {
              *response = std::move(result);
              finish(response->has_rejected() ? RejectionToGrpcStatus(response->rejected())
                                              : grpc::Status::OK);
            },
            // The context lives until the call finishes, which is after the work.
            [context] { return context->IsCancelled(); });
      });
}

grpc::ServerBidiReactor<v1::SubmitInvoiceRequest, v1::SubmitInvoiceResponse>*
InvoiceAuthorityService::SubmitInvoices(grpc::CallbackServerContext* context) {
  absl::StatusOr<Caller> caller = callers_->Identify(*context);
  if (!caller.ok()) return new RefusedStreamReactor(caller.status());
  return new SubmitStreamReactor(
      options_.stream_max_outstanding, options_.stream_max_unwritten_bytes, submit_pool_,
      [this, context, caller = *std::move(caller)](const v1::SubmitInvoiceRequest& request,
                                                   ResponseCallback done) {
        // Each request of a stream is metered like a call of its own.
        if (grpc::Status metered = callers_->Meter(caller); !metered.ok()) {
          v1::SubmitInvoiceResponse over = ErrorResponse(
              absl::ResourceExhaustedError(metered.error_message()));
          over.set_client_reference(request.client_reference());
          std::move(done)(std::move(over));
          return;
        }
        // The stream finishes only once no request is in flight: the context outlives this.
        Process(caller, request, std::move(done), [context] { return context->IsCancelled(); });
      },
      options_.on_stream_paused);
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::GetInvoice(
    grpc::CallbackServerContext* context, const v1::GetInvoiceRequest* request,
    v1::AuthenticatedInvoice* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(queries_->Get(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::GetSigningKeys(
    grpc::CallbackServerContext* context, const v1::GetSigningKeysRequest* request,
    v1::GetSigningKeysResponse* response) {
  // Open to every authenticated caller; in memory, so no pool hop.
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::optional<Caller> caller;
  if (grpc::Status admitted = callers_->Admit(*context, &caller); !admitted.ok()) {
    reactor->Finish(std::move(admitted));
    return reactor;
  }
  for (v1::SigningKey& key : keys_->Keys()) {
    if (key.has_not_before()) *response->add_keys() = std::move(key);  // pending keys never signed
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::VerifyInvoice(
    grpc::CallbackServerContext* context, const v1::VerifyInvoiceRequest* request,
    v1::VerifyInvoiceResponse* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(queries_->Verify(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::ExchangeMessage(
    grpc::CallbackServerContext* context, const v1::ExchangeMessageRequest* request,
    v1::ExchangeMessageResponse* response) {
  // The pool thread reads, checks and signs; the answer comes once the store has written,
  // without holding the thread (TvanExchange::ExchangeAsync).
  return RunForCallerAsync(
      callers_, submit_pool_, context, [=, this](const Caller& caller, auto finish) {
        exchange_->ExchangeAsync(
            caller, request->message(), absl::Now(),
            [response, finish](absl::StatusOr<std::vector<std::string>> answers) {
              if (!answers.ok()) {
                finish(ToGrpcStatus(answers.status()));
                return;
              }
              for (std::string& message : *answers) response->add_messages(std::move(message));
              finish(grpc::Status::OK);
            },
            [context] { return context->IsCancelled(); });
      });
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::SubmitCashRegisterInvoices(
    grpc::CallbackServerContext* context, const v1::SubmitCashRegisterInvoicesRequest* request,
    v1::SubmitCashRegisterInvoicesResponse* response) {
  return RunForCallerAsync(callers_, submit_pool_, context, [=, this](const Caller& caller,
                                                                        auto finish) {
    const int count = request->invoices_size();
    if (count == 0 || static_cast<size_t>(count) > kMaxCashRegisterBatch) {
      finish(ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
          "invoices: 1 to ", kMaxCashRegisterBatch, " per batch, got ", count))));
      return;
    }
    // One token per invoice, like a stream's requests (the call itself paid the first).
    if (count > 1) {
      if (grpc::Status metered = callers_->Meter(caller, count - 1); !metered.ok()) {
        finish(std::move(metered));
        return;
      }
    }
    std::vector<CashRegisterItem> items;
    items.reserve(count);
    for (const v1::CashRegisterInvoice& sent : request->invoices()) {
      CashRegisterItem item;
      item.invoice = &sent.invoice();
      item.code = sent.code();
      item.idempotency_key = sent.idempotency_key();
      items.push_back(std::move(item));
    }
    // The answer comes once the last write is durable, without holding the pool thread.
    ReceiveCashRegisterBatchAsync(
        *authenticator_, caller, items,
        [request, response, finish](std::vector<SubmitOutcome> outcomes) {
          for (size_t i = 0; i < outcomes.size(); ++i) {
            *response->add_results() = ToCashRegisterResult(
                request->invoices(static_cast<int>(i)).code(), std::move(outcomes[i]));
          }
          finish(grpc::Status::OK);
        },
        [context] { return context->IsCancelled(); });
  });
}

}  // namespace einvoice
