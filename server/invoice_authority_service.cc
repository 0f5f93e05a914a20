#include "server/invoice_authority_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/invoice_verifier.h"
#include "server/grpc_status.h"
#include "domain/tvan_exchange.h"
#include "server/run_on_pool.h"
#include "server/submission_response.h"
#include "server/submit_stream_reactor.h"

namespace einvoice {
InvoiceAuthorityService::InvoiceAuthorityService(Options options,
                                                 InvoiceAuthenticator* authenticator,
                                                 InvoiceStore* store, SigningKeyManager* keys,
                                                 ThreadPool* submit_pool, ThreadPool* query_pool)
    : options_(options),
      authenticator_(authenticator),
      store_(store),
      keys_(keys),
      submit_pool_(submit_pool),
      query_pool_(query_pool) {}

void InvoiceAuthorityService::Process(const v1::SubmitInvoiceRequest& request,
                                      ResponseCallback done) {
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
    authenticator_->SubmitXmlAsync(request.invoice_xml(), request.idempotency_key(),
                                   std::move(respond));
  } else {
    authenticator_->SubmitAsync(request.invoice(), request.idempotency_key(), std::move(respond));
  }
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::SubmitInvoice(
    grpc::CallbackServerContext* context, const v1::SubmitInvoiceRequest* request,
    v1::SubmitInvoiceResponse* response) {
  return RunOnPoolAsync(submit_pool_, context, [this, request, response](auto finish) {
    Process(*request, [response, finish](v1::SubmitInvoiceResponse result) {
      *response = std::move(result);
      finish(response->has_rejected() ? RejectionToGrpcStatus(response->rejected())
                                      : grpc::Status::OK);
    });
  });
}

grpc::ServerBidiReactor<v1::SubmitInvoiceRequest, v1::SubmitInvoiceResponse>*
InvoiceAuthorityService::SubmitInvoices(grpc::CallbackServerContext* context) {
  return new SubmitStreamReactor(
      options_.stream_max_outstanding, submit_pool_,
      [this](const v1::SubmitInvoiceRequest& request, ResponseCallback done) {
        Process(request, std::move(done));
      });
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::GetInvoice(
    grpc::CallbackServerContext* context, const v1::GetInvoiceRequest* request,
    v1::AuthenticatedInvoice* response) {
  return RunOnPool(query_pool_, context, [this, request, response] {
    std::string code;
    switch (request->selector_case()) {
      case v1::GetInvoiceRequest::kAuthorityCode:
        code = request->authority_code();
        break;
      case v1::GetInvoiceRequest::kKey: {
        absl::StatusOr<std::optional<InvoiceRef>> ref = store_->FindByKey(request->key());
        if (!ref.ok()) return ToGrpcStatus(ref.status());
        if (!ref->has_value()) {
          return grpc::Status(grpc::StatusCode::NOT_FOUND, "no invoice with that key");
        }
        code = (*ref)->authority_code;
        break;
      }
      case v1::GetInvoiceRequest::SELECTOR_NOT_SET:
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "authority_code or key: one is required");
    }
    absl::StatusOr<std::optional<std::string>> stored = store_->GetByCode(code);
    if (!stored.ok()) return ToGrpcStatus(stored.status());
    if (!stored->has_value()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          absl::StrCat("no invoice with authority code ", code));
    }
    if (!response->ParseFromString(**stored)) {
      return grpc::Status(grpc::StatusCode::DATA_LOSS,
                          absl::StrCat("stored invoice ", code, " does not parse"));
    }
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::GetSigningKeys(
    grpc::CallbackServerContext* context, const v1::GetSigningKeysRequest* request,
    v1::GetSigningKeysResponse* response) {
  // In memory: no pool hop needed.
  for (v1::SigningKey& key : keys_->Keys()) {
    if (key.has_not_before()) *response->add_keys() = std::move(key);  // pending keys never signed
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::VerifyInvoice(
    grpc::CallbackServerContext* context, const v1::VerifyInvoiceRequest* request,
    v1::VerifyInvoiceResponse* response) {
  return RunOnPool(query_pool_, context, [this, request, response] {
    const v1::AuthenticatedInvoice& invoice = request->invoice();
    InvoiceVerification verification = VerifyAuthenticatedInvoice(invoice, keys_->Keys());
    response->set_signature_valid(verification.signature_valid);
    for (std::string& problem : verification.problems) response->add_problems(std::move(problem));
    absl::StatusOr<std::optional<std::string>> stored = store_->GetByCode(invoice.authority_code());
    if (!stored.ok()) return ToGrpcStatus(stored.status());
    if (!stored->has_value()) {
      response->add_problems(
          absl::StrCat("no invoice with authority code ", invoice.authority_code(), " is on file"));
    } else {
      v1::AuthenticatedInvoice on_file;
      const bool same = on_file.ParseFromString(**stored) &&
                        on_file.signed_record() == invoice.signed_record() &&
                        on_file.signature() == invoice.signature() &&
                        on_file.key_id() == invoice.key_id();
      response->set_matches_record_on_file(same);
      if (!same) response->add_problems("the record differs from the one on file");
    }
    response->set_valid(verification.valid && response->matches_record_on_file());
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* InvoiceAuthorityService::ExchangeMessage(
    grpc::CallbackServerContext* context, const v1::ExchangeMessageRequest* request,
    v1::ExchangeMessageResponse* response) {
  return RunOnPool(submit_pool_, context, [this, request, response] {
    for (std::string& message : ExchangeTvanMessage(*authenticator_, request->message(), absl::Now())) {
      response->add_messages(std::move(message));
    }
    return grpc::Status::OK;
  });
}

}  // namespace einvoice
