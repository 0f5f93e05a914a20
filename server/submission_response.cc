#include "server/submission_response.h"

#include <string>
#include <utility>
#include <vector>

namespace einvoice {

v1::SubmitInvoiceResponse ToSubmitResponse(SubmitOutcome outcome) {
  v1::SubmitInvoiceResponse response;
  if (outcome.status.ok()) {
    *response.mutable_accepted() = std::move(outcome.accepted);
    response.set_replay(outcome.replay);
    return response;
  }
  v1::Rejection* rejection = response.mutable_rejected();
  rejection->set_status_code(static_cast<int>(outcome.status.code()));
  rejection->set_message(std::string(outcome.status.message()));
  rejection->set_existing_authority_code(std::move(outcome.existing_authority_code));
  // Every field, severity and hints included: what a client shows the seller.
  AppendToProto(outcome.violations, rejection->mutable_violations());
  return response;
}

namespace {

// Keeps a batch result small (kMaxBatchResultViolations, no hints).
void Trim(google::protobuf::RepeatedPtrField<v1::Violation>* violations) {
  std::vector<Violation> kept;
  for (const v1::Violation& v : *violations) kept.push_back(FromProto(v));
  LimitViolations(kept, kMaxBatchResultViolations);
  violations->Clear();
  AppendToProto(kept, violations);
  for (v1::Violation& v : *violations) {
    v.clear_hint();
    v.clear_hint_en();
  }
}

}  // namespace

v1::CashRegisterResult ToCashRegisterResult(std::string code, SubmitOutcome outcome) {
  v1::CashRegisterResult result;
  result.set_code(std::move(code));
  v1::SubmitInvoiceResponse response = ToSubmitResponse(std::move(outcome));
  if (response.has_rejected()) {
    *result.mutable_rejected() = std::move(*response.mutable_rejected());
    Trim(result.mutable_rejected()->mutable_violations());
    return result;
  }
  result.set_received(true);
  result.set_replay(response.replay());
  v1::AuthenticatedInvoice& accepted = *response.mutable_accepted();
  *result.mutable_received_at() = accepted.issued_at();
  result.mutable_warnings()->Swap(accepted.mutable_warnings());
  Trim(result.mutable_warnings());
  return result;
}

v1::SubmitInvoiceResponse ErrorResponse(const absl::Status& status) {
  SubmitOutcome outcome;
  outcome.status = status;
  return ToSubmitResponse(std::move(outcome));
}

}  // namespace einvoice
