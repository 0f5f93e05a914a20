// Conversion between absl::Status and grpc::Status, and the richer error model: a
// google.rpc.Status in grpc-status-details-bin whose details pack one einvoice.v1.Rejection
// (rejected invoices) or one google.rpc.RetryInfo (overload). Pure functions; thread-safe.
#ifndef EINVOICE_SERVER_GRPC_STATUS_H_
#define EINVOICE_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "einvoice/v1/invoice_authority.pb.h"
#include "grpcpp/support/status.h"

namespace einvoice {

// Same code and message; no details.
grpc::Status ToGrpcStatus(const absl::Status& status);

// What a rejection may put in a unary call's trailers: the status details (before base64) and
// the status message. gRPC clients refuse trailers over 8 KiB by default (and then report
// RESOURCE_EXHAUSTED for an invoice that can never pass), so these leave room to spare.
inline constexpr size_t kMaxRejectionDetailsBytes = 4096;
inline constexpr size_t kMaxStatusMessageBytes = 512;

// `rejection.status_code()` and `rejection.message()` as the status, with the rejection
// packed into the status details -- cut to fit the trailers: the message to
// kMaxStatusMessageBytes, the violations to those that fit in kMaxRejectionDetailsBytes,
// followed by one `violations.more` (20000) saying how many more (a SubmitInvoices stream
// carries the whole rejection in its response).
grpc::Status RejectionToGrpcStatus(const v1::Rejection& rejection);

// RESOURCE_EXHAUSTED with `message` and a google.rpc.RetryInfo asking the client to wait
// `retry_after` (the details are a google.rpc.Status holding it, as for rejections).
grpc::Status OverloadedStatus(absl::string_view message, absl::Duration retry_after);

// A unary handler's answer: the value moved into `*response` and OK, or the error.
template <typename T>
grpc::Status RespondWith(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace einvoice

#endif  // EINVOICE_SERVER_GRPC_STATUS_H_
