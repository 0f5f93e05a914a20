#include "tools/client/einvoice_client.h"

#include "absl/strings/cord.h"
#include "gmock/gmock.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace einvoice {
namespace {

v1::Rejection SampleRejection() {
  v1::Rejection rejection;
  rejection.set_status_code(3);
  rejection.set_message("invoice has 2 problems");
  v1::Violation* v = rejection.add_violations();
  v->set_code("20001");
  v->set_rule("seller.tax_code.check_digit");
  v->set_field("seller.tax_code");
  v->set_message("Mã số thuế không hợp lệ");
  v->set_message_en("invalid tax code");
  rejection.add_violations()->set_code("20609");
  return rejection;
}

// Built the way the server builds it (server/grpc_status.cc): google.rpc.Status with the
// Rejection packed in an Any, serialized into the status details.
grpc::Status StatusWithRejection(const v1::Rejection& rejection) {
  google::rpc::Status details;
  details.set_code(rejection.status_code());
  details.set_message(rejection.message());
  details.add_details()->PackFrom(rejection);
  return grpc::Status(static_cast<grpc::StatusCode>(rejection.status_code()), rejection.message(),
                      details.SerializeAsString());
}

TEST(ExtractRejectionTest, ReadsTheRejectionFromAGrpcStatus) {
  const std::optional<v1::Rejection> rejection =
      ExtractRejection(StatusWithRejection(SampleRejection()));
  ASSERT_TRUE(rejection.has_value());
  EXPECT_EQ(rejection->SerializeAsString(), SampleRejection().SerializeAsString());
  EXPECT_EQ(rejection->violations(0).message_en(), "invalid tax code");
}

TEST(ExtractRejectionTest, SurvivesConversionToAbslStatus) {
  const absl::Status status = FromGrpcStatus(StatusWithRejection(SampleRejection()));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "invoice has 2 problems");
  const std::optional<v1::Rejection> rejection = ExtractRejection(status);
  ASSERT_TRUE(rejection.has_value());
  EXPECT_EQ(rejection->violations_size(), 2);
  EXPECT_EQ(rejection->violations(1).code(), "20609");
}

TEST(ExtractRejectionTest, SkipsOtherDetailTypes) {
  google::rpc::Status details;
  details.set_code(3);
  v1::Violation unrelated;
  details.add_details()->PackFrom(unrelated);
  details.add_details()->PackFrom(SampleRejection());
  const grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT, "bad", details.SerializeAsString());
  const std::optional<v1::Rejection> rejection = ExtractRejection(status);
  ASSERT_TRUE(rejection.has_value());
  EXPECT_EQ(rejection->message(), "invoice has 2 problems");
}

TEST(ExtractRejectionTest, NoRejectionWithoutDetails) {
  EXPECT_FALSE(ExtractRejection(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")).has_value());
  EXPECT_FALSE(ExtractRejection(grpc::Status::OK).has_value());
  EXPECT_FALSE(ExtractRejection(absl::UnavailableError("down")).has_value());
  EXPECT_FALSE(ExtractRejection(absl::OkStatus()).has_value());
}

TEST(ExtractRejectionTest, NoRejectionFromGarbageDetails) {
  const grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT, "bad", "\xff\xff\xff not proto");
  EXPECT_FALSE(ExtractRejection(status).has_value());
  EXPECT_FALSE(ExtractRejection(FromGrpcStatus(status)).has_value());
}

TEST(FromGrpcStatusTest, KeepsCodeAndMessage) {
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
  const absl::Status status =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "too slow"));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(status.message(), "too slow");
  EXPECT_FALSE(status.GetPayload(kStatusDetailsPayloadUrl).has_value());
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::NOT_FOUND, "")).code(),
            absl::StatusCode::kNotFound);
}

TEST(FromGrpcStatusTest, KeepsTheDetailsAsPayload) {
  const grpc::Status grpc_status = StatusWithRejection(SampleRejection());
  const absl::Status status = FromGrpcStatus(grpc_status);
  const auto payload = status.GetPayload(kStatusDetailsPayloadUrl);
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(std::string(*payload), grpc_status.error_details());
}

TEST(EinvoiceClientTest, UnreachableServerIsUnavailable) {
  // A Unix socket path in a fresh directory: nothing can be listening there, so connecting
  // fails at once (no server, no port).
  testing::TempDir dir;
  ClientOptions options;
  options.timeout = absl::Seconds(5);
  std::unique_ptr<EinvoiceClient> client =
      EinvoiceClient::Create("unix:" + dir.Sub("no-server.sock"), options);
  const absl::StatusOr<v1::GetSigningKeysResponse> keys = client->GetSigningKeys();
  EXPECT_EQ(keys.status().code(), absl::StatusCode::kUnavailable) << keys.status();
}

}  // namespace
}  // namespace einvoice
