// Overload is answered, not buffered: a full queue and a caller over its rate both get
// RESOURCE_EXHAUSTED with a google.rpc.RetryInfo saying when to come back; a stream's request
// over the rate gets its own rejection; the local operator is never metered.
#include <string>

#include "absl/synchronization/notification.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "tests/server/server_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::AsCaller;
using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::BaselineSellerTaxCode;
using ::einvoice::testing::ServerFixture;
using ::testing::HasSubstr;

// The RetryInfo delay in a RESOURCE_EXHAUSTED status's details, or -1 s if there is none.
absl::Duration RetryDelayOf(const grpc::Status& status) {
  google::rpc::Status details;
  google::rpc::RetryInfo retry;
  if (!details.ParseFromString(status.error_details()) || details.details_size() != 1 ||
      !details.details(0).UnpackTo(&retry)) {
    return absl::Seconds(-1);
  }
  return absl::Seconds(retry.retry_delay().seconds()) +
         absl::Nanoseconds(retry.retry_delay().nanos());
}

class OverloadTest : public ServerFixture {
 protected:
  grpc::Status Keys(const std::string& as) {
    grpc::ClientContext context;
    if (!as.empty()) AsCaller(context, as);
    v1::GetSigningKeysResponse keys;
    return authority_->GetSigningKeys(&context, {}, &keys);
  }
};

TEST_F(OverloadTest, ACallerOverItsRateIsToldWhenToComeBack) {
  options_.caller_rate_limit = {.rate = 2, .burst = 2};
  StartServer();
  const std::string seller = "taxpayer:" + BaselineSellerTaxCode();
  ASSERT_TRUE(Keys(seller).ok());
  ASSERT_TRUE(Keys(seller).ok());
  const grpc::Status over = Keys(seller);
  ASSERT_EQ(over.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(over.error_message(), HasSubstr("rate"));
  EXPECT_EQ(RetryDelayOf(over), absl::Milliseconds(500));  // the clock stands still
  EXPECT_TRUE(Keys("officer").ok());                        // another caller is not held back
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(Keys("").ok());  // nor the local operator
  clock_.Advance(absl::Milliseconds(500));
  EXPECT_TRUE(Keys(seller).ok());
}

TEST_F(OverloadTest, ACashRegisterBatchCostsOneTokenPerInvoice) {
  options_.caller_rate_limit = {.rate = 1, .burst = 3};
  StartServer();
  RegisterSeller(BaselineSellerTaxCode());
  auto batch = [&](int invoices, v1::SubmitCashRegisterInvoicesResponse* response) {
    v1::SubmitCashRegisterInvoicesRequest request;
    for (int i = 1; i <= invoices; ++i) {
      v1::CashRegisterInvoice* item = request.add_invoices();
      *item->mutable_invoice() = BaselineInvoice();
      item->mutable_invoice()->set_symbol("C26MAA");
      item->mutable_invoice()->set_number(i);
      item->set_code(absl::StrFormat("M1-26-ABCDE-%011d", i));
    }
    grpc::ClientContext context;
    AsCaller(context, "taxpayer:" + BaselineSellerTaxCode());
    return authority_->SubmitCashRegisterInvoices(&context, request, response);
  };
  v1::SubmitCashRegisterInvoicesResponse response;
  // Four invoices cost four tokens; the burst holds three: refused whole, nothing received.
  const grpc::Status over = batch(4, &response);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(store_.size(), 0u);
  clock_.Advance(absl::Seconds(3));       // full again
  ASSERT_TRUE(batch(3, &response).ok());  // three fit
  EXPECT_EQ(store_.size(), 3u);
}

TEST_F(OverloadTest, EachRequestOfAStreamIsMetered) {
  options_.caller_rate_limit = {.rate = 1, .burst = 2};
  StartServer();
  RegisterSeller(BaselineSellerTaxCode());
  grpc::ClientContext context;
  AsCaller(context, "taxpayer:" + BaselineSellerTaxCode());
  auto stream = authority_->SubmitInvoices(&context);
  for (int i = 1; i <= 3; ++i) {
    v1::SubmitInvoiceRequest request;
    *request.mutable_invoice() = BaselineInvoice();
    request.mutable_invoice()->set_number(i);
    request.set_client_reference(std::to_string(i));
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  int accepted = 0, metered = 0;
  v1::SubmitInvoiceResponse response;
  while (stream->Read(&response)) {
    if (response.has_accepted()) ++accepted;
    if (response.rejected().status_code() == static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED)) {
      ++metered;
    }
  }
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(accepted, 2);
  EXPECT_EQ(metered, 1);
}

TEST_F(OverloadTest, AFullQueueAnswersAtOnceWithRetryInfo) {
  options_.submit_threads = 1;
  options_.max_queued = 1;
  StartServer();
  RegisterSeller(BaselineSellerTaxCode());
  // The only submit thread is held inside the signer; one more submission waits in the queue.
  absl::Notification signing, release;
  signer_.SetSignHook([&] {
    if (!signing.HasBeenNotified()) signing.Notify();
    release.WaitForNotification();
  });
  v1::SubmitInvoiceRequest requests[2];
  v1::SubmitInvoiceResponse responses[2];
  grpc::ClientContext contexts[2];
  absl::Notification done[2];
  for (int i = 0; i < 2; ++i) {
    *requests[i].mutable_invoice() = BaselineInvoice();
    requests[i].mutable_invoice()->set_number(i + 1);
    authority_->async()->SubmitInvoice(&contexts[i], &requests[i], &responses[i],
                                       [&done, i](grpc::Status) { done[i].Notify(); });
    if (i == 0) signing.WaitForNotification();
  }
  // The queue holds one now; wait until it really does (the second call reached the pool).
  v1::SubmitInvoiceResponse response;
  grpc::Status third;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    v1::SubmitInvoiceRequest request;
    *request.mutable_invoice() = BaselineInvoice();
    request.mutable_invoice()->set_number(100 + attempt);
    grpc::ClientContext context;
    // Should this one take the queue's place (the second not there yet) it must not wait for
    // the held thread for ever.
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    third = authority_->SubmitInvoice(&context, request, &response);
    if (third.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) break;
  }
  release.Notify();
  for (absl::Notification& d : done) d.WaitForNotification();
  signer_.SetSignHook(nullptr);
  ASSERT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(third.error_message(), HasSubstr("overloaded"));
  EXPECT_GT(RetryDelayOf(third), absl::ZeroDuration());
}

}  // namespace
}  // namespace einvoice
