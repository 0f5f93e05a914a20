// CallGate: what every rpc passes before any work is queued -- who is calling
// (CallerIdentifier) and whether that caller is within its rate (RateLimiter). A refused call
// is finished at once: UNAUTHENTICATED, or RESOURCE_EXHAUSTED with a google.rpc.RetryInfo
// saying when a token will be there.
//
// Thread-safety: thread-safe (both collaborators are).
#ifndef EINVOICE_SERVER_CALL_GATE_H_
#define EINVOICE_SERVER_CALL_GATE_H_

#include <optional>

#include "domain/caller.h"
#include "domain/rate_limiter.h"
#include "grpcpp/grpcpp.h"
#include "server/caller_identifier.h"

namespace einvoice {

class CallGate {
 public:
  // REQUIRES: the pointers outlive the gate.
  CallGate(CallerIdentifier* identifier, RateLimiter* limiter)
      : identifier_(identifier), limiter_(limiter) {}

  // The caller, if the call may go on; else the status to finish it with.
  grpc::Status Admit(const grpc::ServerContextBase& context, std::optional<Caller>* caller);

  // Identification only (a stream, whose requests are metered one by one with Meter()).
  absl::StatusOr<Caller> Identify(const grpc::ServerContextBase& context) {
    return identifier_->Identify(context);
  }
  // OK, or RESOURCE_EXHAUSTED with RetryInfo when `caller` is over its rate. `cost`: tokens to
  // take (a cash-register batch costs one per invoice).
  grpc::Status Meter(const Caller& caller, double cost = 1);

 private:
  CallerIdentifier* const identifier_;
  RateLimiter* const limiter_;
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_CALL_GATE_H_
