#include "server/tax_officer_service.h"

#include "server/grpc_status.h"
#include "server/run_on_pool.h"

namespace einvoice {

TaxOfficerService::TaxOfficerService(CallGate* callers, InvoiceQueries* queries,
                                     SellerAdmin* sellers, ThreadPool* query_pool)
    : callers_(callers), queries_(queries), sellers_(sellers), query_pool_(query_pool) {}

grpc::ServerUnaryReactor* TaxOfficerService::SearchInvoices(
    grpc::CallbackServerContext* context, const v1::SearchInvoicesRequest* request,
    v1::SearchInvoicesResponse* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(queries_->Search(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::RegisterSeller(
    grpc::CallbackServerContext* context, const v1::RegisterSellerRequest* request,
    v1::Seller* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(sellers_->Register(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::GetSeller(grpc::CallbackServerContext* context,
                                                       const v1::GetSellerRequest* request,
                                                       v1::Seller* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(sellers_->Get(caller, request->tax_code()), response);
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::ListSellers(grpc::CallbackServerContext* context,
                                                         const v1::ListSellersRequest* request,
                                                         v1::ListSellersResponse* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(sellers_->List(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::AddSellerCertificate(
    grpc::CallbackServerContext* context, const v1::AddSellerCertificateRequest* request,
    v1::Seller* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(sellers_->AddCertificate(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::RevokeSellerCertificate(
    grpc::CallbackServerContext* context, const v1::RevokeSellerCertificateRequest* request,
    v1::Seller* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(sellers_->RevokeCertificate(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::SetSellerTvan(grpc::CallbackServerContext* context,
                                                           const v1::SetSellerTvanRequest* request,
                                                           v1::Seller* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(sellers_->SetTvan(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::SetSellerStatus(
    grpc::CallbackServerContext* context, const v1::SetSellerStatusRequest* request,
    v1::Seller* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(sellers_->SetStatus(caller, request->tax_code(), request->status()),
                       response);
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::GetStats(grpc::CallbackServerContext* context,
                                                      const v1::GetStatsRequest* request,
                                                      v1::GetStatsResponse* response) {
  return RunForCaller(callers_, query_pool_, context, [=, this](const Caller& caller) {
    return RespondWith(queries_->Stats(caller, *request), response);
  });
}

}  // namespace einvoice
