// einvoice-null-server: the ceiling. Implements InvoiceAuthority and TaxOfficer with canned
// answers of realistic size, computed once at start, answered inline on gRPC's callback
// threads: no validation, no signing, no disk. What einvoice-bench measures against it is what
// gRPC, protobuf and the client cost on this machine -- the most any handler could reach.
//
//   einvoice-null-server --listen=127.0.0.1:0
//
// Prints "einvoice-null-server listening on HOST:PORT" once serving; exits on SIGINT/SIGTERM
// or when its standard input closes (so it never outlives the harness that started it).
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <deque>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "benchmarks/workload.h"
#include "common/clock.h"
#include "domain/authentication_record.h"
#include "einvoice/v1/invoice_authority.grpc.pb.h"
#include "einvoice/v1/tax_officer.grpc.pb.h"
#include "grpcpp/grpcpp.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "Address to serve on; port 0 picks a free port.");

namespace einvoice::bench {
namespace {

v1::AuthenticatedInvoice CannedInvoice() {
  Rng rng(7);
  const v1::Invoice invoice =
      MakeInvoice(rng, BenchTaxCode(7, 0), "C26TAA", 1, VietnamDay(absl::Now()) - 1);
  v1::AuthenticatedInvoice out;
  const std::string code = "00" + std::string(32, 'A');
  out.set_authority_code(code);
  *out.mutable_issued_at() = ToTimestamp(absl::Now());
  out.set_key_id(std::string(64, 'a'));
  out.set_signed_record(BuildSignedRecord(code, absl::Now(), out.key_id(), invoice));
  out.set_signature(std::string(71, '\x30'));  // the size of a DER ECDSA P-256 signature
  return out;
}

class NullAuthority final : public v1::InvoiceAuthority::CallbackService {
 public:
  explicit NullAuthority(v1::AuthenticatedInvoice canned) : canned_(std::move(canned)) {}

  grpc::ServerUnaryReactor* SubmitInvoice(grpc::CallbackServerContext* context,
                                          const v1::SubmitInvoiceRequest* request,
                                          v1::SubmitInvoiceResponse* response) override {
    *response->mutable_accepted() = canned_;
    response->set_client_reference(request->client_reference());
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor* SubmitCashRegisterInvoices(
      grpc::CallbackServerContext* context, const v1::SubmitCashRegisterInvoicesRequest* request,
      v1::SubmitCashRegisterInvoicesResponse* response) override {
    for (const v1::CashRegisterInvoice& invoice : request->invoices()) {
      v1::CashRegisterResult* result = response->add_results();
      result->set_code(invoice.code());
      result->set_received(true);
      *result->mutable_received_at() = canned_.issued_at();
    }
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerBidiReactor<v1::SubmitInvoiceRequest, v1::SubmitInvoiceResponse>* SubmitInvoices(
      grpc::CallbackServerContext* context) override {
    return new Echo(&canned_);
  }

  grpc::ServerUnaryReactor* GetInvoice(grpc::CallbackServerContext* context,
                                       const v1::GetInvoiceRequest* request,
                                       v1::AuthenticatedInvoice* response) override {
    *response = canned_;
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor* GetSigningKeys(grpc::CallbackServerContext* context,
                                           const v1::GetSigningKeysRequest* request,
                                           v1::GetSigningKeysResponse* response) override {
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  // Answers each request of a stream with the canned response, writes one at a time.
  class Echo final
      : public grpc::ServerBidiReactor<v1::SubmitInvoiceRequest, v1::SubmitInvoiceResponse> {
   public:
    explicit Echo(const v1::AuthenticatedInvoice* canned) : canned_(canned) { StartRead(&request_); }
    void OnReadDone(bool ok) override {
      const v1::SubmitInvoiceResponse* start = nullptr;
      {
        absl::MutexLock lock(&mu_);
        if (!ok) {
          reads_done_ = true;
        } else {
          v1::SubmitInvoiceResponse response;
          *response.mutable_accepted() = *canned_;
          response.set_client_reference(request_.client_reference());
          queue_.push_back(std::move(response));
          if (!writing_) {
            writing_ = true;
            start = &queue_.front();
          }
        }
      }
      if (ok) StartRead(&request_);
      if (start != nullptr) StartWrite(start);
      MaybeFinish();
    }
    void OnWriteDone(bool ok) override {
      const v1::SubmitInvoiceResponse* start = nullptr;
      {
        absl::MutexLock lock(&mu_);
        queue_.pop_front();
        if (!ok) broken_ = true;
        if (!queue_.empty() && !broken_) {
          start = &queue_.front();
        } else {
          writing_ = false;
        }
      }
      if (start != nullptr) StartWrite(start);
      MaybeFinish();
    }
    void OnDone() override { delete this; }

   private:
    void MaybeFinish() {
      {
        absl::MutexLock lock(&mu_);
        if (finished_ || !reads_done_ || writing_) return;
        finished_ = true;
      }
      Finish(grpc::Status::OK);
    }
    const v1::AuthenticatedInvoice* canned_;
    v1::SubmitInvoiceRequest request_;
    absl::Mutex mu_;
    std::deque<v1::SubmitInvoiceResponse> queue_;  // front is being written while writing_
    bool writing_ = false;
    bool reads_done_ = false;
    bool broken_ = false;
    bool finished_ = false;
  };

  const v1::AuthenticatedInvoice canned_;
};

class NullOfficer final : public v1::TaxOfficer::CallbackService {
 public:
  explicit NullOfficer(const v1::AuthenticatedInvoice& canned) {
    for (int i = 0; i < 20; ++i) *page_.add_invoices() = canned;
  }
  grpc::ServerUnaryReactor* SearchInvoices(grpc::CallbackServerContext* context,
                                           const v1::SearchInvoicesRequest* request,
                                           v1::SearchInvoicesResponse* response) override {
    *response = page_;
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  grpc::ServerUnaryReactor* RegisterSeller(grpc::CallbackServerContext* context,
                                           const v1::RegisterSellerRequest* request,
                                           v1::Seller* response) override {
    response->set_tax_code(request->tax_code());
    response->set_name(request->name());
    response->set_status(v1::SELLER_STATUS_ACTIVE);
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  v1::SearchInvoicesResponse page_;
};

int Main() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const v1::AuthenticatedInvoice canned = CannedInvoice();
  NullAuthority authority(canned);
  NullOfficer officer(canned);
  const std::string listen = absl::GetFlag(FLAGS_listen);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&authority);
  builder.RegisterService(&officer);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "einvoice-null-server: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  std::printf("einvoice-null-server listening on %s:%d\n",
              listen.substr(0, listen.rfind(':')).c_str(), port);
  std::fflush(stdout);

  // Stop on a signal, or when the parent closes our stdin (it died or is done).
  std::thread stdin_watch([] {
    char buffer[64];
    while (::read(0, buffer, sizeof buffer) > 0) {
    }
    ::kill(::getpid(), SIGTERM);
  });
  stdin_watch.detach();
  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

}  // namespace
}  // namespace einvoice::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return einvoice::bench::Main();
}
