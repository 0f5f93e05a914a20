// TaxOfficerService: the gRPC face of the officers' operations (einvoice.v1 TaxOfficer):
// search, the seller registry, statistics. Every handler runs on the query pool (these touch
// the disk); a full pool answers RESOURCE_EXHAUSTED.
//
// Thread-safety: gRPC calls the methods concurrently; state lives in the collaborators.
#ifndef EINVOICE_SERVER_TAX_OFFICER_SERVICE_H_
#define EINVOICE_SERVER_TAX_OFFICER_SERVICE_H_

#include "common/clock.h"
#include "common/thread_pool.h"
#include "domain/seller_admin.h"
#include "einvoice/v1/tax_officer.grpc.pb.h"
#include "storage/invoice_store.h"

namespace einvoice {

class TaxOfficerService final : public v1::TaxOfficer::CallbackService {
 public:
  // REQUIRES: the pointers outlive the service.
  TaxOfficerService(InvoiceStore* store, SellerAdmin* sellers, const Clock* clock,
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
  grpc::ServerUnaryReactor* SetSellerStatus(grpc::CallbackServerContext* context,
                                            const v1::SetSellerStatusRequest* request,
                                            v1::Seller* response) override;
  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* context,
                                     const v1::GetStatsRequest* request,
                                     v1::GetStatsResponse* response) override;

 private:
  InvoiceStore* const store_;
  SellerAdmin* const sellers_;
  const Clock* const clock_;
  ThreadPool* const query_pool_;
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_TAX_OFFICER_SERVICE_H_
