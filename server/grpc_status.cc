#include "server/grpc_status.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "rules/violation.h"
#include "rules/violation_catalogue.h"

namespace einvoice {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbers.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

grpc::Status OverloadedStatus(absl::string_view message, absl::Duration retry_after) {
  google::rpc::RetryInfo retry;
  const int64_t millis = std::max<int64_t>(1, absl::ToInt64Milliseconds(retry_after));
  retry.mutable_retry_delay()->set_seconds(millis / 1000);
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(millis % 1000) * 1000000);
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::RESOURCE_EXHAUSTED);
  details.set_message(std::string(message));
  details.add_details()->PackFrom(retry);
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, std::string(message),
                      details.SerializeAsString());
}

grpc::Status RejectionToGrpcStatus(const v1::Rejection& full) {
  v1::Rejection rejection = full;
  if (rejection.message().size() > kMaxStatusMessageBytes) {
    size_t cut = kMaxStatusMessageBytes;
    while (cut > 0 && (static_cast<unsigned char>(rejection.message()[cut]) & 0xC0) == 0x80) --cut;
    rejection.set_message(absl::StrCat(rejection.message().substr(0, cut), "\xE2\x80\xA6"));
  }
  if (rejection.ByteSizeLong() > kMaxRejectionDetailsBytes) {
    // Keep the violations that fit, in order, and say how many more there are.
    const int total = rejection.violations_size();
    v1::Rejection header = rejection;
    header.clear_violations();
    constexpr size_t kSummaryReserve = 512;
    size_t used = header.ByteSizeLong() + kSummaryReserve;
    int kept = 0;
    for (; kept < total; ++kept) {
      const size_t size = rejection.violations(kept).ByteSizeLong() + 8;  // tag and length
      if (used + size > kMaxRejectionDetailsBytes) break;
      used += size;
    }
    rejection.mutable_violations()->DeleteSubrange(kept, total - kept);
    *rejection.add_violations() = ToProto(MakeViolation(
        kMoreViolations, "",
        absl::StrCat("còn ", total - kept, " lỗi khác; gửi qua SubmitInvoices để nhận đủ danh sách"),
        absl::StrCat(total - kept, " more; SubmitInvoices returns the full list")));
  }
  google::rpc::Status details;
  details.set_code(rejection.status_code());
  details.set_message(rejection.message());
  details.add_details()->PackFrom(rejection);
  return grpc::Status(static_cast<grpc::StatusCode>(rejection.status_code()),
                      rejection.message(), details.SerializeAsString());
}

}  // namespace einvoice
