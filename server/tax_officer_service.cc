#include "server/tax_officer_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/grpc_status.h"
#include "server/run_on_pool.h"

namespace einvoice {
namespace {

constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 1000;
constexpr int kDefaultStatsDays = 30;

// Parses an optional "YYYY-MM-DD" request field.
absl::Status ParseOptionalDay(absl::string_view field, const std::string& text,
                              std::optional<absl::CivilDay>* day) {
  if (text.empty()) return absl::OkStatus();
  absl::CivilDay parsed;
  if (!ParseDay(text, &parsed)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", text, "\" is not a date YYYY-MM-DD"));
  }
  *day = parsed;
  return absl::OkStatus();
}

template <typename T>
grpc::Status Respond(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

TaxOfficerService::TaxOfficerService(InvoiceStore* store, SellerAdmin* sellers,
                                     const Clock* clock, ThreadPool* query_pool)
    : store_(store), sellers_(sellers), clock_(clock), query_pool_(query_pool) {}

grpc::ServerUnaryReactor* TaxOfficerService::SearchInvoices(
    grpc::CallbackServerContext* context, const v1::SearchInvoicesRequest* request,
    v1::SearchInvoicesResponse* response) {
  return RunOnPool(query_pool_, context, [this, request, response] {
    SearchQuery query;
    switch (request->party_case()) {
      case v1::SearchInvoicesRequest::kSellerTaxCode:
        query.party = SearchQuery::Party::kSeller;
        query.tax_code = request->seller_tax_code();
        break;
      case v1::SearchInvoicesRequest::kBuyerTaxCode:
        query.party = SearchQuery::Party::kBuyer;
        query.tax_code = request->buyer_tax_code();
        break;
      case v1::SearchInvoicesRequest::PARTY_NOT_SET:
        break;
    }
    if (query.tax_code.empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "seller_tax_code or buyer_tax_code: one is required");
    }
    if (absl::Status s = ParseOptionalDay("issued_from", request->issued_from(), &query.issued_from);
        !s.ok()) {
      return ToGrpcStatus(s);
    }
    if (absl::Status s = ParseOptionalDay("issued_to", request->issued_to(), &query.issued_to);
        !s.ok()) {
      return ToGrpcStatus(s);
    }
    if (query.issued_from && query.issued_to && *query.issued_from > *query.issued_to) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "issued_from is after issued_to");
    }
    query.page_size = request->page_size() == 0 ? kDefaultPageSize
                                                : std::min(request->page_size(), kMaxPageSize);
    query.page_token = request->page_token();
    absl::StatusOr<SearchPage> page = store_->Search(query);
    if (!page.ok()) return ToGrpcStatus(page.status());
    for (const std::string& stored : page->authenticated_invoices) {
      if (!response->add_invoices()->ParseFromString(stored)) {
        return grpc::Status(grpc::StatusCode::DATA_LOSS, "a stored invoice does not parse");
      }
    }
    response->set_next_page_token(page->next_page_token);
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::RegisterSeller(
    grpc::CallbackServerContext* context, const v1::RegisterSellerRequest* request,
    v1::Seller* response) {
  return RunOnPool(query_pool_, context,
                   [this, request, response] { return Respond(sellers_->Register(*request), response); });
}

grpc::ServerUnaryReactor* TaxOfficerService::GetSeller(grpc::CallbackServerContext* context,
                                                       const v1::GetSellerRequest* request,
                                                       v1::Seller* response) {
  return RunOnPool(query_pool_, context, [this, request, response] {
    return Respond(sellers_->Get(request->tax_code()), response);
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::SetSellerStatus(
    grpc::CallbackServerContext* context, const v1::SetSellerStatusRequest* request,
    v1::Seller* response) {
  return RunOnPool(query_pool_, context, [this, request, response] {
    return Respond(sellers_->SetStatus(request->tax_code(), request->status()), response);
  });
}

grpc::ServerUnaryReactor* TaxOfficerService::GetStats(grpc::CallbackServerContext* context,
                                                      const v1::GetStatsRequest* request,
                                                      v1::GetStatsResponse* response) {
  return RunOnPool(query_pool_, context, [this, request, response] {
    std::optional<absl::CivilDay> from, to;
    if (absl::Status s = ParseOptionalDay("from", request->from(), &from); !s.ok()) {
      return ToGrpcStatus(s);
    }
    if (absl::Status s = ParseOptionalDay("to", request->to(), &to); !s.ok()) {
      return ToGrpcStatus(s);
    }
    if (!to) to = VietnamDay(clock_->Now());
    if (!from) from = *to - kDefaultStatsDays;
    if (*from > *to) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "from is after to");
    }
    absl::StatusOr<std::vector<DayCount>> counts = store_->CountsByDay(*from, *to);
    if (!counts.ok()) return ToGrpcStatus(counts.status());
    for (const DayCount& count : *counts) {
      v1::DayStats* day = response->add_days();
      day->set_day(FormatDay(count.day));
      day->set_issued(count.issued);
      day->set_rejected(count.rejected);
      response->set_total_issued(response->total_issued() + count.issued);
      response->set_total_rejected(response->total_rejected() + count.rejected);
    }
    return grpc::Status::OK;
  });
}

}  // namespace einvoice
