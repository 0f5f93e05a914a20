#include "server/call_gate.h"

#include "absl/strings/str_cat.h"
#include "server/grpc_status.h"

namespace einvoice {

grpc::Status CallGate::Admit(const grpc::ServerContextBase& context,
                             std::optional<Caller>* caller) {
  absl::StatusOr<Caller> identified = identifier_->Identify(context);
  if (!identified.ok()) return ToGrpcStatus(identified.status());
  if (grpc::Status metered = Meter(*identified); !metered.ok()) return metered;
  *caller = *std::move(identified);
  return grpc::Status::OK;
}

grpc::Status CallGate::Meter(const Caller& caller, double cost) {
  const std::optional<absl::Duration> wait = limiter_->Admit(caller, cost);
  if (!wait.has_value()) return grpc::Status::OK;
  return OverloadedStatus(
      absl::StrCat("this certificate's request rate is over its limit; retry in ",
                   absl::FormatDuration(*wait)),
      *wait);
}

}  // namespace einvoice
