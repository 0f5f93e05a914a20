#include "server/grpc_status.h"

#include <string>

#include "google/rpc/status.pb.h"

namespace einvoice {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbers.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

grpc::Status RejectionToGrpcStatus(const v1::Rejection& rejection) {
  google::rpc::Status details;
  details.set_code(rejection.status_code());
  details.set_message(rejection.message());
  details.add_details()->PackFrom(rejection);
  return grpc::Status(static_cast<grpc::StatusCode>(rejection.status_code()),
                      rejection.message(), details.SerializeAsString());
}

}  // namespace einvoice
