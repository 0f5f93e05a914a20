#include "tools/client/einvoice_client.h"

#include <fstream>
#include <sstream>
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

absl::StatusOr<ClientTls> LoadClientTls(const std::string& ca_file, const std::string& cert_file,
                                        const std::string& key_file) {
  if (cert_file.empty() != key_file.empty()) {
    return absl::InvalidArgumentError(cert_file.empty() ? "--key_file needs --cert_file"
                                                        : "--cert_file needs --key_file");
  }
  auto read = [](absl::string_view flag, const std::string& path) -> absl::StatusOr<std::string> {
    if (path.empty()) return std::string();
    std::ifstream file(path, std::ios::binary);
    if (!file) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
    std::stringstream contents;
    contents << file.rdbuf();
    return contents.str();
  };
  ClientTls tls;
  absl::StatusOr<std::string> ca = read("--ca_file", ca_file);
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::string> cert = read("--cert_file", cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = read("--key_file", key_file);
  if (!key.ok()) return key.status();
  tls.ca_certificates = *std::move(ca);
  tls.certificate_chain = *std::move(cert);
  tls.private_key = *std::move(key);
  return tls;
}

std::shared_ptr<grpc::Channel> CreateEinvoiceChannel(const std::string& target,
                                                     const ClientOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (options.tls.has_value()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.tls->ca_certificates;
    ssl.pem_cert_chain = options.tls->certificate_chain;
    ssl.pem_private_key = options.tls->private_key;
    credentials = grpc::SslCredentials(ssl);
  }
  return grpc::CreateCustomChannel(target, credentials, args);
}

std::unique_ptr<EinvoiceClient> EinvoiceClient::Create(const std::string& target,
                                                       const ClientOptions& options) {
  return std::make_unique<EinvoiceClient>(CreateEinvoiceChannel(target, options), options);
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

absl::StatusOr<v1::ListSellersResponse> EinvoiceClient::ListSellers(
    const v1::ListSellersRequest& request) {
  return Invoke<v1::ListSellersResponse>(
      [&](grpc::ClientContext* c, v1::ListSellersResponse* r) {
        return officer_->ListSellers(c, request, r);
      });
}

absl::Status EinvoiceClient::ListAllSellers(
    v1::ListSellersRequest request, absl::FunctionRef<void(v1::ListSellersResponse&)> on_page) {
  while (true) {
    absl::StatusOr<v1::ListSellersResponse> page = ListSellers(request);
    if (!page.ok()) return page.status();
    std::string next = page->next_page_token();
    on_page(*page);
    if (next.empty()) return absl::OkStatus();
    if (next == request.page_token()) {
      return absl::InternalError(
          absl::StrCat("server repeated page token \"", request.page_token(), "\""));
    }
    request.set_page_token(std::move(next));
  }
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

absl::StatusOr<v1::Seller> EinvoiceClient::AddSellerCertificate(absl::string_view tax_code,
                                                                absl::string_view certificate_der) {
  v1::AddSellerCertificateRequest request;
  request.set_tax_code(std::string(tax_code));
  request.set_certificate_der(std::string(certificate_der));
  return Invoke<v1::Seller>([&](grpc::ClientContext* c, v1::Seller* r) {
    return officer_->AddSellerCertificate(c, request, r);
  });
}

absl::StatusOr<v1::Seller> EinvoiceClient::RevokeSellerCertificate(absl::string_view tax_code,
                                                                   absl::string_view fingerprint,
                                                                   absl::string_view reason) {
  v1::RevokeSellerCertificateRequest request;
  request.set_tax_code(std::string(tax_code));
  request.set_fingerprint(std::string(fingerprint));
  request.set_reason(std::string(reason));
  return Invoke<v1::Seller>([&](grpc::ClientContext* c, v1::Seller* r) {
    return officer_->RevokeSellerCertificate(c, request, r);
  });
}

absl::StatusOr<v1::Seller> EinvoiceClient::SetSellerTvan(absl::string_view tax_code,
                                                         absl::string_view tvan_tax_code) {
  v1::SetSellerTvanRequest request;
  request.set_tax_code(std::string(tax_code));
  request.set_tvan_tax_code(std::string(tvan_tax_code));
  return Invoke<v1::Seller>(
      [&](grpc::ClientContext* c, v1::Seller* r) { return officer_->SetSellerTvan(c, request, r); });
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

absl::StatusOr<v1::ListAuditRecordsResponse> EinvoiceClient::ListAuditRecords(
    const v1::ListAuditRecordsRequest& request) {
  return Invoke<v1::ListAuditRecordsResponse>(
      [&](grpc::ClientContext* c, v1::ListAuditRecordsResponse* r) {
        return admin_->ListAuditRecords(c, request, r);
      });
}

absl::StatusOr<v1::BackupStoreResponse> EinvoiceClient::BackupStore(
    absl::string_view directory) {
  v1::BackupStoreRequest request;
  request.set_directory(std::string(directory));
  return Invoke<v1::BackupStoreResponse>(
      [&](grpc::ClientContext* c, v1::BackupStoreResponse* r) {
        return admin_->BackupStore(c, request, r);
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
