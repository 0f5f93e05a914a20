// In-process tests of the SubmitInvoices stream: one response per request matched by
// client_reference, rejections in the response, and flow control.
#include <algorithm>
#include <map>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "tests/server/server_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::ServerFixture;

class SubmitStreamTest : public ServerFixture {
 protected:
  void Start() {
    StartServer();
    RegisterSeller(BaselineInvoice().seller().tax_code());
  }

  static v1::SubmitInvoiceRequest Numbered(uint32_t number, const std::string& reference) {
    v1::SubmitInvoiceRequest request;
    *request.mutable_invoice() = BaselineInvoice();
    request.mutable_invoice()->set_number(number);
    request.set_client_reference(reference);
    return request;
  }

  // Writes `requests` on one stream from a separate thread and reads every response.
  std::map<std::string, v1::SubmitInvoiceResponse> RunStream(
      const std::vector<v1::SubmitInvoiceRequest>& requests) {
    grpc::ClientContext context;
    auto stream = authority_->SubmitInvoices(&context);
    std::thread writer([&] {
      for (const auto& request : requests) {
        if (!stream->Write(request)) break;
      }
      stream->WritesDone();
    });
    std::map<std::string, v1::SubmitInvoiceResponse> responses;
    v1::SubmitInvoiceResponse response;
    while (stream->Read(&response)) {
      EXPECT_TRUE(responses.emplace(response.client_reference(), response).second)
          << "two responses for " << response.client_reference();
    }
    writer.join();
    EXPECT_TRUE(stream->Finish().ok());
    return responses;
  }
};

TEST_F(SubmitStreamTest, OneResponsePerRequestMatchedByClientReference) {
  Start();
  std::vector<v1::SubmitInvoiceRequest> requests;
  for (uint32_t i = 1; i <= 300; ++i) requests.push_back(Numbered(i, "ref-" + std::to_string(i)));
  const auto responses = RunStream(requests);
  ASSERT_EQ(responses.size(), 300u);
  for (uint32_t i = 1; i <= 300; ++i) {
    const v1::SubmitInvoiceResponse& response = responses.at("ref-" + std::to_string(i));
    ASSERT_TRUE(response.has_accepted()) << response.DebugString();
    v1::AuthenticationRecord record;
    ASSERT_TRUE(record.ParseFromString(response.accepted().signed_record()));
    EXPECT_EQ(record.invoice().number(), i);  // the right answer for the right request
  }
  EXPECT_EQ(store_.size(), 300u);
}

TEST_F(SubmitStreamTest, RejectionsAndReplaysTravelInTheResponse) {
  Start();
  std::vector<v1::SubmitInvoiceRequest> requests;
  requests.push_back(Numbered(1, "good"));
  requests.push_back(Numbered(0, "bad-number"));
  v1::SubmitInvoiceRequest other_seller = Numbered(2, "unregistered");
  other_seller.mutable_invoice()->mutable_seller()->set_tax_code("0101243150");
  requests.push_back(other_seller);
  v1::SubmitInvoiceRequest empty;
  empty.set_client_reference("no-payload");
  requests.push_back(empty);
  auto responses = RunStream(requests);
  ASSERT_EQ(responses.size(), 4u);
  EXPECT_TRUE(responses["good"].has_accepted());
  EXPECT_EQ(responses["bad-number"].rejected().status_code(), 3);
  EXPECT_EQ(responses["bad-number"].rejected().violations(0).field(), "number");
  EXPECT_EQ(responses["unregistered"].rejected().status_code(), 9);
  EXPECT_EQ(responses["no-payload"].rejected().status_code(), 3);

  // The same invoice again, on a new stream: a replay of the stored answer.
  auto again = RunStream({Numbered(1, "retry")});
  ASSERT_TRUE(again["retry"].has_accepted());
  EXPECT_TRUE(again["retry"].replay());
  EXPECT_EQ(again["retry"].accepted().SerializeAsString(),
            responses["good"].accepted().SerializeAsString());
}

TEST_F(SubmitStreamTest, AFastClientIsHeldToTheOutstandingLimit) {
  constexpr size_t kLimit = 4;
  options_.stream_max_outstanding = kLimit;
  options_.submit_threads = 32;  // plenty of threads: only the stream's limit can hold them back
  Start();

  absl::Mutex mu;
  size_t active = 0, max_active = 0;
  absl::Notification gate;
  signer_.SetSignHook([&] {
    {
      absl::MutexLock lock(&mu);
      ++active;
      max_active = std::max(max_active, active);
    }
    gate.WaitForNotification();
    absl::MutexLock lock(&mu);
    --active;
  });

  grpc::ClientContext context;
  auto stream = authority_->SubmitInvoices(&context);
  std::thread writer([&] {
    for (uint32_t i = 1; i <= 64; ++i) {
      if (!stream->Write(Numbered(i, std::to_string(i)))) break;
    }
    stream->WritesDone();
  });
  // Wait until the stream has filled its allowance; with the signer stuck, a stream without
  // flow control would keep feeding the 32 worker threads.
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(+[](size_t* n) { return *n >= kLimit; }, &active));
  }
  gate.Notify();
  size_t responses = 0;
  v1::SubmitInvoiceResponse response;
  while (stream->Read(&response)) {
    EXPECT_TRUE(response.has_accepted());
    ++responses;
  }
  writer.join();
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(responses, 64u);
  absl::MutexLock lock(&mu);
  EXPECT_LE(max_active, kLimit);
  signer_.SetSignHook(nullptr);
}

}  // namespace
}  // namespace einvoice
