#include "tools/client/einvoice_client.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace einvoice {
namespace {

std::optional<v1::Rejection> RejectionFromDetails(const std::string& details) {
  if (details.empty()) return std::nullopt;
  google::rpc::Status rpc_status;
  if (!rpc_status.ParseFromString(details)) return std::nullopt;
  for (const google::protobuf::Any& any : rpc_status.details()) {
    v1::Rejection rejection;
    if (any.Is<v1::Rejection>() && any.UnpackTo(&rejection)) return rejection;
  }
  return std::nullopt;
}

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  if (!status.error_details().empty()) {
    result.SetPayload(kStatusDetailsPayloadUrl, absl::Cord(status.error_details()));
  }
  return result;
}

std::optional<v1::Rejection> ExtractRejection(const grpc::Status& status) {
  if (status.ok()) return std::nullopt;
  return RejectionFromDetails(status.error_details());
}

std::optional<v1::Rejection> ExtractRejection(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  const auto payload = status.GetPayload(kStatusDetailsPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  return RejectionFromDetails(std::string(*payload));
}

std::unique_ptr<EinvoiceClient> EinvoiceClient::Create(const std::string& target,
                                                       const ClientOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  return std::make_unique<EinvoiceClient>(
      grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args), options);
}

EinvoiceClient::EinvoiceClient(std::shared_ptr<grpc::ChannelInterface> channel,
                               const ClientOptions& options)
    : options_(options),
      authority_(v1::InvoiceAuthority::NewStub(channel)),
      officer_(v1::TaxOfficer::NewStub(channel)),
      admin_(v1::AuthorityAdmin::NewStub(channel)),
      health_(grpc::health::v1::Health::NewStub(channel)) {}

template <typename Response, typename Rpc>
absl::StatusOr<Response> EinvoiceClient::Invoke(Rpc rpc) const {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  context.set_wait_for_ready(options_.wait_for_ready);
  Response response;
  grpc::Status status = rpc(&context, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

absl::StatusOr<v1::SubmitInvoiceResponse> EinvoiceClient::SubmitInvoice(
    const v1::SubmitInvoiceRequest& request) {
  return Invoke<v1::SubmitInvoiceResponse>(
      [&](grpc::ClientContext* c, v1::SubmitInvoiceResponse* r) {
        return authority_->SubmitInvoice(c, request, r);
      });
}

absl::StatusOr<v1::AuthenticatedInvoice> EinvoiceClient::GetInvoice(
    const v1::GetInvoiceRequest& request) {
  return Invoke<v1::AuthenticatedInvoice>(
      [&](grpc::ClientContext* c, v1::AuthenticatedInvoice* r) {
        return authority_->GetInvoice(c, request, r);
      });
}

absl::StatusOr<v1::AuthenticatedInvoice> EinvoiceClient::GetInvoiceByCode(
    absl::string_view authority_code) {
  v1::GetInvoiceRequest request;
  request.set_authority_code(std::string(authority_code));
  return GetInvoice(request);
}

absl::StatusOr<v1::AuthenticatedInvoice> EinvoiceClient::GetInvoiceByKey(const v1::InvoiceKey& key) {
  v1::GetInvoiceRequest request;
  *request.mutable_key() = key;
  return GetInvoice(request);
}

absl::StatusOr<v1::GetSigningKeysResponse> EinvoiceClient::GetSigningKeys() {
  return Invoke<v1::GetSigningKeysResponse>(
      [&](grpc::ClientContext* c, v1::GetSigningKeysResponse* r) {
        return authority_->GetSigningKeys(c, v1::GetSigningKeysRequest(), r);
      });
}

absl::StatusOr<v1::VerifyInvoiceResponse> EinvoiceClient::VerifyInvoice(
    const v1::AuthenticatedInvoice& invoice) {
  v1::VerifyInvoiceRequest request;
  *request.mutable_invoice() = invoice;
  return Invoke<v1::VerifyInvoiceResponse>(
      [&](grpc::ClientContext* c, v1::VerifyInvoiceResponse* r) {
        return authority_->VerifyInvoice(c, request, r);
      });
}

absl::StatusOr<v1::SearchInvoicesResponse> EinvoiceClient::SearchInvoices(
    const v1::SearchInvoicesRequest& request) {
  return Invoke<v1::SearchInvoicesResponse>(
      [&](grpc::ClientContext* c, v1::SearchInvoicesResponse* r) {
        return officer_->SearchInvoices(c, request, r);
      });
}

absl::StatusOr<std::vector<v1::AuthenticatedInvoice>> EinvoiceClient::SearchAllInvoices(
    v1::SearchInvoicesRequest request) {
  std::vector<v1::AuthenticatedInvoice> all;
  while (true) {
    absl::StatusOr<v1::SearchInvoicesResponse> page = SearchInvoices(request);
    if (!page.ok()) return page.status();
    for (v1::AuthenticatedInvoice& invoice : *page->mutable_invoices()) {
      all.push_back(std::move(invoice));
    }
    if (page->next_page_token().empty()) return all;
    if (page->next_page_token() == request.page_token()) {
      return absl::InternalError(
          absl::StrCat("server repeated page token \"", request.page_token(), "\""));
    }
    request.set_page_token(page->next_page_token());
  }
}

absl::StatusOr<v1::Seller> EinvoiceClient::RegisterSeller(const v1::RegisterSellerRequest& request) {
  return Invoke<v1::Seller>(
      [&](grpc::ClientContext* c, v1::Seller* r) { return officer_->RegisterSeller(c, request, r); });
}

absl::StatusOr<v1::Seller> EinvoiceClient::GetSeller(absl::string_view tax_code) {
  v1::GetSellerRequest request;
  request.set_tax_code(std::string(tax_code));
  return Invoke<v1::Seller>(
      [&](grpc::ClientContext* c, v1::Seller* r) { return officer_->GetSeller(c, request, r); });
}

absl::StatusOr<v1::Seller> EinvoiceClient::SetSellerStatus(absl::string_view tax_code,
                                                           v1::SellerStatus status) {
  v1::SetSellerStatusRequest request;
  request.set_tax_code(std::string(tax_code));
  request.set_status(status);
  return Invoke<v1::Seller>(
      [&](grpc::ClientContext* c, v1::Seller* r) {
        return officer_->SetSellerStatus(c, request, r);
      });
}

absl::StatusOr<v1::GetStatsResponse> EinvoiceClient::GetStats(const v1::GetStatsRequest& request) {
  return Invoke<v1::GetStatsResponse>(
      [&](grpc::ClientContext* c, v1::GetStatsResponse* r) {
        return officer_->GetStats(c, request, r);
      });
}

absl::StatusOr<v1::ListSigningKeysResponse> EinvoiceClient::ListSigningKeys() {
  return Invoke<v1::ListSigningKeysResponse>(
      [&](grpc::ClientContext* c, v1::ListSigningKeysResponse* r) {
        return admin_->ListSigningKeys(c, v1::ListSigningKeysRequest(), r);
      });
}

absl::StatusOr<v1::SigningKey> EinvoiceClient::GenerateSigningKey(absl::string_view algorithm) {
  v1::GenerateSigningKeyRequest request;
  request.set_algorithm(std::string(algorithm));
  return Invoke<v1::SigningKey>([&](grpc::ClientContext* c, v1::SigningKey* r) {
    return admin_->GenerateSigningKey(c, request, r);
  });
}

absl::StatusOr<v1::SigningKey> EinvoiceClient::ActivateSigningKey(absl::string_view key_id) {
  v1::ActivateSigningKeyRequest request;
  request.set_key_id(std::string(key_id));
  return Invoke<v1::SigningKey>([&](grpc::ClientContext* c, v1::SigningKey* r) {
    return admin_->ActivateSigningKey(c, request, r);
  });
}

absl::StatusOr<v1::SigningKey> EinvoiceClient::RetireSigningKey(absl::string_view key_id) {
  v1::RetireSigningKeyRequest request;
  request.set_key_id(std::string(key_id));
  return Invoke<v1::SigningKey>([&](grpc::ClientContext* c, v1::SigningKey* r) {
    return admin_->RetireSigningKey(c, request, r);
  });
}

absl::StatusOr<v1::SigningKey> EinvoiceClient::ImportSigningKeyCertificate(
    absl::string_view key_id, absl::string_view certificate_der) {
  v1::ImportSigningKeyCertificateRequest request;
  request.set_key_id(std::string(key_id));
  request.set_certificate_der(std::string(certificate_der));
  return Invoke<v1::SigningKey>([&](grpc::ClientContext* c, v1::SigningKey* r) {
    return admin_->ImportSigningKeyCertificate(c, request, r);
  });
}

absl::StatusOr<grpc::health::v1::HealthCheckResponse::ServingStatus> EinvoiceClient::CheckHealth(
    absl::string_view service) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(std::string(service));
  absl::StatusOr<grpc::health::v1::HealthCheckResponse> response =
      Invoke<grpc::health::v1::HealthCheckResponse>(
          [&](grpc::ClientContext* c, grpc::health::v1::HealthCheckResponse* r) {
            return health_->Check(c, request, r);
          });
  if (!response.ok()) return response.status();
  return response->status();
}

}  // namespace einvoice
