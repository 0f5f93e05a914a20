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

  // A stuck stream fails its test at this deadline instead of hanging it (gRPC's in-process
  // transport has been seen, once in thousands of runs, to leave a client write blocked).
  static void Bound(grpc::ClientContext& context) {
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  }

  // Writes `requests` on one stream from a separate thread and reads every response.
  std::map<std::string, v1::SubmitInvoiceResponse> RunStream(
      const std::vector<v1::SubmitInvoiceRequest>& requests) {
    grpc::ClientContext context;
    Bound(context);
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
  Bound(context);
  auto stream = authority_->SubmitInvoices(&context);
  bool writer_done = false;
  std::thread writer([&] {
    for (uint32_t i = 1; i <= 64; ++i) {
      if (!stream->Write(Numbered(i, std::to_string(i)))) break;
    }
    stream->WritesDone();
    absl::MutexLock lock(&mu);
    writer_done = true;
  });
  // Wait until the stream has filled its allowance; with the signer stuck, a stream without
  // flow control would keep feeding the 32 worker threads. (The writer finishing first means
  // the stream broke: fail rather than wait.)
  bool filled = false;
  {
    absl::MutexLock lock(&mu);
    const auto filled_or_done = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      return active >= kLimit || writer_done;
    };
    mu.Await(absl::Condition(&filled_or_done));
    filled = active >= kLimit;
  }
  gate.Notify();
  EXPECT_TRUE(filled) << "the stream ended before its allowance was in flight";
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

TEST_F(SubmitStreamTest, ASlowReaderIsHeldToItsUnwrittenByteBudget) {
  // A client that writes fast and does not read. Outstanding requests are not what holds it
  // back here (1000 allowed): only the bytes of answers waiting to be written.
  constexpr size_t kMaxRequests = 500;
  constexpr size_t kBudget = 8 << 10;  // a few answers (each is about 1 KB)
  constexpr size_t kThreads = 4;
  options_.stream_max_outstanding = 1000;
  options_.stream_max_unwritten_bytes = kBudget;
  options_.submit_threads = kThreads;
  absl::Mutex mu;
  std::vector<size_t> pauses;  // the bytes waiting each time the stream stopped reading
  bool writer_done = false;
  options_.on_stream_paused = [&](size_t unwritten) {
    absl::MutexLock lock(&mu);
    pauses.push_back(unwritten);
  };
  Start();

  grpc::ClientContext context;
  Bound(context);
  auto stream = authority_->SubmitInvoices(&context);
  size_t written = 0;
  std::thread writer([&] {
    for (uint32_t i = 1; i <= kMaxRequests; ++i) {
      {
        absl::MutexLock lock(&mu);
        if (!pauses.empty()) break;  // the server has stopped reading: enough
      }
      if (!stream->Write(Numbered(i, std::to_string(i)))) break;
      ++written;
    }
    stream->WritesDone();
    absl::MutexLock lock(&mu);
    writer_done = true;
  });
  {
    // Either the server stops reading, or the writer gets everything through: a server without
    // the budget would buffer all 500 answers, and this test fails.
    absl::MutexLock lock(&mu);
    const auto stopped_or_done = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      return !pauses.empty() || writer_done;
    };
    mu.Await(absl::Condition(&stopped_or_done));
    ASSERT_FALSE(pauses.empty()) << "the stream never stopped reading for its byte budget";
    // It stopped with the budget reached; what it holds is the budget plus at most the answers
    // of the requests in flight.
    EXPECT_GE(pauses.front(), kBudget);
  }
  // Once the client reads, everything written is answered: pausing drops nothing.
  size_t responses = 0;
  v1::SubmitInvoiceResponse response;
  while (stream->Read(&response)) {
    EXPECT_TRUE(response.has_accepted()) << response.DebugString();
    ++responses;
  }
  writer.join();
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(responses, written);
  EXPECT_EQ(store_.size(), written);
  EXPECT_LT(written, kMaxRequests);
  absl::MutexLock lock(&mu);
  for (size_t unwritten : pauses) EXPECT_GE(unwritten, kBudget);
}

}  // namespace
}  // namespace einvoice
