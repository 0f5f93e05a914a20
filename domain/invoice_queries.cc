#include "domain/invoice_queries.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/limits.h"
#include "common/status_macros.h"
#include "domain/invoice_verifier.h"
#include "rules/cash_register_code.h"
#include "domain/rule_profile.h"

namespace einvoice {
namespace {

constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 1000;
constexpr int kDefaultStatsDays = 30;

// Parses an optional "YYYY-MM-DD" request field.

std::string DayRange(const std::string& from, const std::string& to) {
  if (from.empty() && to.empty()) return "";
  return absl::StrCat(" ", from.empty() ? "…" : from, "..", to.empty() ? "…" : to);
}

// The seller and buyer a stored invoice names.
absl::StatusOr<v1::AuthenticationRecord> RecordOf(const v1::AuthenticatedInvoice& invoice) {
  v1::AuthenticationRecord record;
  if (!record.ParseFromString(invoice.signed_record())) {
    return absl::DataLossError(
        absl::StrCat("stored invoice ", invoice.authority_code(), " has an unreadable record"));
  }
  return record;
}

}  // namespace

InvoiceQueries::InvoiceQueries(InvoiceStore* store, SigningKeyManager* keys,
                               AccessControl* access, const Clock* clock)
    : store_(store), keys_(keys), access_(access), clock_(clock) {}

absl::StatusOr<std::optional<v1::AuthenticatedInvoice>> InvoiceQueries::Load(
    absl::string_view code) {
  ASSIGN_OR_RETURN(std::optional<std::string> stored, store_->GetByCode(code));
  if (!stored.has_value()) return std::optional<v1::AuthenticatedInvoice>();
  v1::AuthenticatedInvoice invoice;
  if (!invoice.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("stored invoice ", code, " does not parse"));
  }
  AttachWarningHints(invoice);  // as the submission's answer had them
  return std::optional<v1::AuthenticatedInvoice>(std::move(invoice));
}

absl::StatusOr<v1::AuthenticatedInvoice> InvoiceQueries::Get(
    const Caller& caller, const v1::GetInvoiceRequest& request) {
  Operation operation{"InvoiceAuthority.GetInvoice", ""};
  switch (request.selector_case()) {
    case v1::GetInvoiceRequest::kAuthorityCode:
      operation.target = absl::StrCat("invoice ", request.authority_code());
      break;
    case v1::GetInvoiceRequest::kKey: {
      const v1::InvoiceKey& key = request.key();
      operation.target = absl::StrCat("invoice key ", key.seller_tax_code(), "/",
                                      key.template_code(), "/", key.symbol(), "/", key.number());
      break;
    }
    case v1::GetInvoiceRequest::SELECTOR_NOT_SET:
      return absl::InvalidArgumentError("authority_code or key: one is required");
  }
  Grant grant = Grant::kOwn;
  absl::StatusOr<v1::AuthenticatedInvoice> result =
      GetUnaudited(caller, request, operation, &grant);
  if (grant == Grant::kPrivileged) {
    if (absl::Status recorded = access_->RecordPrivileged(caller, operation, result.status());
        !recorded.ok()) {
      return AccessControl::AuditUnavailable(recorded);
    }
  }
  return result;
}

absl::StatusOr<v1::AuthenticatedInvoice> InvoiceQueries::GetUnaudited(
    const Caller& caller, const v1::GetInvoiceRequest& request, const Operation& operation,
    Grant* grant) {
  std::string code;
  if (request.selector_case() == v1::GetInvoiceRequest::kKey) {
    ASSIGN_OR_RETURN(std::optional<InvoiceRef> ref, store_->FindByKey(request.key()));
    if (!ref.has_value()) {
      // Only those who may read the seller's invoices learn that this one does not exist.
      ASSIGN_OR_RETURN(*grant, access_->AuthorizeInvoiceRead(
                                   caller, request.key().seller_tax_code(), "", operation));
      return absl::NotFoundError("no invoice with that key");
    }
    code = ref->authority_code;
  } else {
    code = request.authority_code();
  }
  ASSIGN_OR_RETURN(std::optional<v1::AuthenticatedInvoice> invoice, Load(code));
  if (!invoice.has_value() && IsCashRegisterCode(code)) {
    // Sellers' register codes count up: only officers learn that one is not on file (as for a
    // lookup by key), so nobody can probe which codes another seller has used. The code stands
    // in for the unknown seller, which no taxpayer is and no T-VAN represents.
    ASSIGN_OR_RETURN(*grant, access_->AuthorizeInvoiceRead(caller, code, "", operation));
  }
  if (!invoice.has_value()) {
    return absl::NotFoundError(absl::StrCat("no invoice with authority code ", AuditText(code)));
  }
  ASSIGN_OR_RETURN(v1::AuthenticationRecord record, RecordOf(*invoice));
  ASSIGN_OR_RETURN(*grant, access_->AuthorizeInvoiceRead(caller,
                                                         record.invoice().seller().tax_code(),
                                                         record.invoice().buyer().tax_code(),
                                                         operation));
  return *std::move(invoice);
}

absl::StatusOr<v1::VerifyInvoiceResponse> InvoiceQueries::Verify(
    const Caller& caller, const v1::VerifyInvoiceRequest& request) {
  const v1::AuthenticatedInvoice& invoice = request.invoice();
  const Operation operation{"InvoiceAuthority.VerifyInvoice",
                            absl::StrCat("invoice ", invoice.authority_code())};
  ASSIGN_OR_RETURN(std::optional<v1::AuthenticatedInvoice> on_file,
                   Load(invoice.authority_code()));
  Grant grant = Grant::kOwn;
  if (on_file.has_value()) {
    ASSIGN_OR_RETURN(v1::AuthenticationRecord record, RecordOf(*on_file));
    ASSIGN_OR_RETURN(grant, access_->AuthorizeInvoiceRead(caller,
                                                          record.invoice().seller().tax_code(),
                                                          record.invoice().buyer().tax_code(),
                                                          operation));
  }
  v1::VerifyInvoiceResponse response;
  InvoiceVerification verification = VerifyAuthenticatedInvoice(invoice, keys_->Keys());
  response.set_signature_valid(verification.signature_valid);
  for (std::string& problem : verification.problems) response.add_problems(std::move(problem));
  if (!on_file.has_value()) {
    response.add_problems(absl::StrCat("no invoice with authority code ",
                                       AuditText(invoice.authority_code()), " is on file"));
  } else {
    const bool same = on_file->signed_record() == invoice.signed_record() &&
                      on_file->signature() == invoice.signature() &&
                      on_file->key_id() == invoice.key_id();
    response.set_matches_record_on_file(same);
    if (!same) response.add_problems("the record differs from the one on file");
  }
  response.set_valid(verification.valid && response.matches_record_on_file());
  if (grant == Grant::kPrivileged) {
    if (absl::Status recorded = access_->RecordPrivileged(caller, operation, absl::OkStatus());
        !recorded.ok()) {
      return AccessControl::AuditUnavailable(recorded);
    }
  }
  return response;
}

absl::StatusOr<v1::SearchInvoicesResponse> InvoiceQueries::Search(
    const Caller& caller, const v1::SearchInvoicesRequest& request) {
  SearchQuery query;
  switch (request.party_case()) {
    case v1::SearchInvoicesRequest::kSellerTaxCode:
      query.party = SearchQuery::Party::kSeller;
      query.tax_code = request.seller_tax_code();
      break;
    case v1::SearchInvoicesRequest::kBuyerTaxCode:
      query.party = SearchQuery::Party::kBuyer;
      query.tax_code = request.buyer_tax_code();
      break;
    case v1::SearchInvoicesRequest::kWarningRule:
      query.party = SearchQuery::Party::kWarning;
      query.tax_code = request.warning_rule();
      break;
    case v1::SearchInvoicesRequest::PARTY_NOT_SET:
      break;
  }
  if (query.tax_code.empty()) {
    return absl::InvalidArgumentError(
        "seller_tax_code, buyer_tax_code or warning_rule: one is required");
  }
  RETURN_IF_ERROR(ParseOptionalDay("issued_from", request.issued_from(), &query.issued_from));
  RETURN_IF_ERROR(ParseOptionalDay("issued_to", request.issued_to(), &query.issued_to));
  if (query.issued_from && query.issued_to && *query.issued_from > *query.issued_to) {
    return absl::InvalidArgumentError("issued_from is after issued_to");
  }
  query.page_size = request.page_size() == 0 ? kDefaultPageSize
                                              : std::min(request.page_size(), kMaxPageSize);
  query.page_token = request.page_token();
  query.max_bytes = kMaxSearchPageBytes;
  if (query.party == SearchQuery::Party::kWarning) return SearchByWarning(caller, query, request);

  const bool by_seller = query.party == SearchQuery::Party::kSeller;
  const Operation operation{
      "TaxOfficer.SearchInvoices",
      absl::StrCat("search ", by_seller ? "seller " : "buyer ", query.tax_code,
                   DayRange(request.issued_from(), request.issued_to()))};
  ASSIGN_OR_RETURN(const Grant grant,
                   access_->AuthorizeInvoiceRead(caller, by_seller ? query.tax_code : "",
                                                 by_seller ? "" : query.tax_code, operation));
  absl::StatusOr<v1::SearchInvoicesResponse> result = SearchAllowed(query);
  if (grant == Grant::kPrivileged) {
    if (absl::Status recorded = access_->RecordPrivileged(caller, operation, result.status());
        !recorded.ok()) {
      return AccessControl::AuditUnavailable(recorded);
    }
  }
  return result;
}

absl::StatusOr<v1::SearchInvoicesResponse> InvoiceQueries::SearchByWarning(
    const Caller& caller, const SearchQuery& query, const v1::SearchInvoicesRequest& request) {
  const Operation operation{
      "TaxOfficer.SearchInvoices",
      absl::StrCat("search warning ", query.tax_code.substr(0, 64),
                   DayRange(request.issued_from(), request.issued_to()))};
  return access_->Audited(
      caller, Right::kOfficer, operation, Effect::kRead,
      [&]() -> absl::StatusOr<v1::SearchInvoicesResponse> {
        const std::vector<absl::string_view>& known = RuleProfile::KnownRules();
        if (std::find(known.begin(), known.end(), query.tax_code) == known.end()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "warning_rule: \"", query.tax_code.substr(0, 64),
              "\" is not a rule (docs/violations.md lists them)"));
        }
        return SearchAllowed(query);
      });
}

absl::StatusOr<v1::SearchInvoicesResponse> InvoiceQueries::SearchAllowed(
    const SearchQuery& query) {
  ASSIGN_OR_RETURN(SearchPage page, store_->Search(query));
  v1::SearchInvoicesResponse response;
  for (const std::string& stored : page.authenticated_invoices) {
    if (!response.add_invoices()->ParseFromString(stored)) {
      return absl::DataLossError("a stored invoice does not parse");
    }
  }
  response.set_next_page_token(page.next_page_token);
  return response;
}

absl::StatusOr<v1::GetStatsResponse> InvoiceQueries::Stats(const Caller& caller,
                                                           const v1::GetStatsRequest& request) {
  const Operation operation{"TaxOfficer.GetStats",
                            absl::StrCat("stats", DayRange(request.from(), request.to()))};
  return access_->Audited(
      caller, Right::kOfficer, operation, Effect::kRead, [&]() -> absl::StatusOr<v1::GetStatsResponse> {
        std::optional<absl::CivilDay> from, to;
        RETURN_IF_ERROR(ParseOptionalDay("from", request.from(), &from));
        RETURN_IF_ERROR(ParseOptionalDay("to", request.to(), &to));
        if (!to) to = VietnamDay(clock_->Now());
        if (!from) from = *to - kDefaultStatsDays;
        if (*from > *to) return absl::InvalidArgumentError("from is after to");
        ASSIGN_OR_RETURN(std::vector<DayCount> counts, store_->CountsByDay(*from, *to));
        v1::GetStatsResponse response;
        for (const DayCount& count : counts) {
          v1::DayStats* day = response.add_days();
          day->set_day(FormatDay(count.day));
          day->set_issued(count.issued);
          day->set_cash_register(count.cash_register);
          day->set_rejected(count.rejected);
          day->mutable_rejected_by_rule()->insert(count.rejected_by_rule.begin(),
                                                  count.rejected_by_rule.end());
          day->mutable_warned_by_rule()->insert(count.warned_by_rule.begin(),
                                                count.warned_by_rule.end());
          response.set_total_issued(response.total_issued() + count.issued);
          response.set_total_cash_register(response.total_cash_register() + count.cash_register);
          response.set_total_rejected(response.total_rejected() + count.rejected);
        }
        return response;
      });
}

}  // namespace einvoice
