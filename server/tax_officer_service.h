// TaxOfficerService: the gRPC face of the officers' operations (einvoice.v1 TaxOfficer):
// search, the seller registry, statistics. It identifies the caller and translates; who may do
// what is decided in domain/ (InvoiceQueries, SellerAdmin, AccessControl). Every handler runs
// on the query pool (these touch the disk); a full pool answers RESOURCE_EXHAUSTED.
//
// Thread-safety: gRPC calls the methods concurrently; state lives in the collaborators.
#ifndef EINVOICE_SERVER_TAX_OFFICER_SERVICE_H_
#define EINVOICE_SERVER_TAX_OFFICER_SERVICE_H_

#include "common/thread_pool.h"
#include "domain/invoice_queries.h"
#include "domain/seller_admin.h"
#include "einvoice/v1/tax_officer.grpc.pb.h"
#include "server/call_gate.h"

namespace einvoice {

class TaxOfficerService final : public v1::TaxOfficer::CallbackService {
 public:
  // REQUIRES: the pointers outlive the service.
  TaxOfficerService(CallGate* callers, InvoiceQueries* queries, SellerAdmin* sellers,
                    ThreadPool* query_pool);

  grpc::ServerUnaryReactor* SearchInvoices(grpc::CallbackServerContext* context,
                                           const v1::SearchInvoicesRequest* request,
                                           v1::SearchInvoicesResponse* response) override;
  grpc::ServerUnaryReactor* RegisterSeller(grpc::CallbackServerContext* context,
                                           const v1::RegisterSellerRequest* request,
                                           v1::Seller* response) override;
  grpc::ServerUnaryReactor* GetSeller(grpc::CallbackServerContext* context,
                                      const v1::GetSellerRequest* request,
                                      v1::Seller* response) override;
  grpc::ServerUnaryReactor* ListSellers(grpc::CallbackServerContext* context,
                                        const v1::ListSellersRequest* request,
                                        v1::ListSellersResponse* response) override;
  grpc::ServerUnaryReactor* AddSellerCertificate(grpc::CallbackServerContext* context,
                                                 const v1::AddSellerCertificateRequest* request,
                                                 v1::Seller* response) override;
  grpc::ServerUnaryReactor* RevokeSellerCertificate(
      grpc::CallbackServerContext* context, const v1::RevokeSellerCertificateRequest* request,
      v1::Seller* response) override;
  grpc::ServerUnaryReactor* SetSellerTvan(grpc::CallbackServerContext* context,
                                          const v1::SetSellerTvanRequest* request,
                                          v1::Seller* response) override;
  grpc::ServerUnaryReactor* SetSellerStatus(grpc::CallbackServerContext* context,
                                            const v1::SetSellerStatusRequest* request,
                                            v1::Seller* response) override;
  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* context,
                                     const v1::GetStatsRequest* request,
                                     v1::GetStatsResponse* response) override;

 private:
  CallGate* const callers_;
  InvoiceQueries* const queries_;
  SellerAdmin* const sellers_;
  ThreadPool* const query_pool_;
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_TAX_OFFICER_SERVICE_H_
