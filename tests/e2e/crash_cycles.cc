// crash_cycles: kill -9 einvoiced under load, again and again, and check after every crash
// that nothing acknowledged was lost (scripts/crash-test.sh N runs it; ctest runs 3 cycles).
//
//   crash_cycles --cycles N --einvoiced PATH --cli PATH [--work_dir DIR]
//
// Each cycle: start the real einvoiced on the same data directory; resubmit every invoice
// whose fate the last crash left unknown (same idempotency key: it must come back with its
// code if it had been stored, or get one now); load it from four clients and, once a random
// number (40..240) of new codes were acknowledged, SIGKILL it with their calls in flight; run
// `einvoice admin check` on the data directory (offline: every record genuine and indexed,
// counters right). At the end one more start checks that every acknowledged code is served
// and verifies, that each invoice key has exactly one code, and that no other invoice exists.
// Prints the figures; exit 0 when every check held, 1 otherwise. Bounded: at most 300 new
// submissions per cycle, 10 s deadline each.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "domain/invoice_verifier.h"
#include "einvoice/v1/invoice_authority.grpc.pb.h"
#include "einvoice/v1/tax_officer.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "tests/e2e/process.h"
#include "tests/rules/support/test_invoices.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::CliResult;
using ::einvoice::testing::RunProcess;
using ::einvoice::testing::ServerProcess;

struct Options {
  int cycles = 20;
  std::string einvoiced;
  std::string cli;
  std::string work_dir;
};

struct Figures {
  int cycles = 0;
  uint64_t acknowledged = 0;         // distinct invoice numbers with a code
  uint64_t unknown_resubmitted = 0;  // in flight at a crash, resubmitted after it
  uint64_t unknown_were_stored = 0;  // ... of which the crashed server had stored (same code)
  uint64_t checks = 0;               // offline store checks run
  std::vector<std::string> failures;
};

class CrashCycles {
 public:
  explicit CrashCycles(Options options)
      : options_(std::move(options)), data_(options_.work_dir + "/data") {}

  Figures Run() {
    std::mt19937 random(20261207);
    for (int cycle = 1; cycle <= options_.cycles; ++cycle) {
      ServerProcess server(options_.einvoiced, ServerArgs());
      if (server.port() == 0) return Fail("cycle ", cycle, ": einvoiced did not start: ",
                                          server.output());
      auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
      auto stub = v1::InvoiceAuthority::NewStub(channel);
      if (cycle == 1) {
        const CliResult registered =
            RunProcess(options_.cli, {"--server", server.address(), "seller", "register",
                                      BaselineInvoice().seller().tax_code(), "--name", "Thử"});
        if (registered.exit_code != 0) return Fail("registering the seller: ", registered.err);
      }
      ResubmitUnknown(*stub);
      if (!figures_.failures.empty()) return figures_;
      std::vector<std::thread> clients =
          StartLoad(*stub, std::uniform_int_distribution<int>(40, 240)(random));
      server.KillAndWait(SIGKILL);  // with the clients' last calls in flight
      for (std::thread& client : clients) client.join();
      ++figures_.cycles;
      const CliResult checked = RunProcess(options_.cli, {"admin", "check", data_});
      ++figures_.checks;
      if (checked.exit_code != 0) {
        return Fail("cycle ", cycle, ": admin check after kill -9: ", checked.out, checked.err);
      }
      absl::MutexLock lock(&mu_);
      std::fprintf(stderr, "cycle %d: %zu codes acknowledged so far, %zu in flight at the kill\n",
                   cycle, code_of_.size(), unknown_.size());
    }
    FinalCheck();
    absl::MutexLock lock(&mu_);
    figures_.acknowledged = code_of_.size();
    return figures_;
  }

 private:
  template <typename... Args>
  Figures Fail(const Args&... args) {
    figures_.failures.push_back(absl::StrCat(args...));
    return figures_;
  }

  std::vector<std::string> ServerArgs() const {
    return {"--listen=127.0.0.1:0", "--data_dir=" + data_, "--hsm_sessions=2"};
  }

  static v1::SubmitInvoiceRequest RequestFor(uint32_t number) {
    v1::SubmitInvoiceRequest request;
    *request.mutable_invoice() = BaselineInvoice();
    request.mutable_invoice()->set_number(number);
    request.set_idempotency_key(absl::StrCat("crash-", number));
    return request;
  }

  // Records the code the server gave `number`; a different code than before is a failure.
  void Acknowledge(uint32_t number, const std::string& code) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto [it, inserted] = code_of_.emplace(number, code);
    if (!inserted && it->second != code) {
      figures_.failures.push_back(absl::StrCat("invoice ", number, " acknowledged as ", it->second,
                                               " and later as ", code));
    }
  }

  void ResubmitUnknown(v1::InvoiceAuthority::Stub& stub) {
    std::set<uint32_t> unknown;
    {
      absl::MutexLock lock(&mu_);
      unknown.swap(unknown_);
    }
    for (uint32_t number : unknown) {
      v1::SubmitInvoiceResponse response;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      const grpc::Status status = stub.SubmitInvoice(&context, RequestFor(number), &response);
      absl::MutexLock lock(&mu_);
      if (!status.ok()) {
        figures_.failures.push_back(absl::StrCat("resubmitting invoice ", number, ": ",
                                                 status.error_message()));
        return;
      }
      ++figures_.unknown_resubmitted;
      if (response.replay()) ++figures_.unknown_were_stored;
      Acknowledge(number, response.accepted().authority_code());
    }
  }

  // Starts four clients submitting new invoices; returns them, still submitting, once `target`
  // more codes are acknowledged (or 300 were sent). Join them after killing the server.
  std::vector<std::thread> StartLoad(v1::InvoiceAuthority::Stub& stub, int target) {
    uint64_t goal;
    uint32_t last_number;
    {
      absl::MutexLock lock(&mu_);
      goal = code_of_.size() + static_cast<uint64_t>(target);
      last_number = next_number_ + 300;
    }
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
      {
        absl::MutexLock lock(&mu_);
        ++active_clients_;
      }
      clients.emplace_back([this, &stub, last_number] {
        Submitting(stub, last_number);
        absl::MutexLock lock(&mu_);
        --active_clients_;
      });
    }
    {
      absl::MutexLock lock(&mu_);
      const auto reached = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return code_of_.size() >= goal || next_number_ >= last_number || active_clients_ == 0;
      };
      mu_.Await(absl::Condition(&reached));
    }
    return clients;  // still submitting: the kill finds calls in flight
  }

  // One client: submits until the server is gone (killed) or `last_number` is reached.
  void Submitting(v1::InvoiceAuthority::Stub& stub, uint32_t last_number) {
    while (true) {
      uint32_t number;
      {
        absl::MutexLock lock(&mu_);
        if (next_number_ >= last_number) return;
        number = next_number_++;
        unknown_.insert(number);
      }
      v1::SubmitInvoiceResponse response;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      const grpc::Status status = stub.SubmitInvoice(&context, RequestFor(number), &response);
      absl::MutexLock lock(&mu_);
      if (!status.ok()) return;  // the server is gone: `number` stays unknown
      unknown_.erase(number);
      Acknowledge(number, response.accepted().authority_code());
    }
  }

  void FinalCheck() {
    ServerProcess server(options_.einvoiced, ServerArgs());
    if (server.port() == 0) {
      figures_.failures.push_back("einvoiced did not start for the final check");
      return;
    }
    auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
    auto authority = v1::InvoiceAuthority::NewStub(channel);
    auto officer = v1::TaxOfficer::NewStub(channel);
    ResubmitUnknown(*authority);
    v1::GetSigningKeysResponse keys;
    {
      grpc::ClientContext context;
      if (!authority->GetSigningKeys(&context, {}, &keys).ok()) {
        figures_.failures.push_back("GetSigningKeys failed");
        return;
      }
    }
    const std::vector<v1::SigningKey> key_list(keys.keys().begin(), keys.keys().end());
    std::map<uint32_t, std::string> code_of;
    {
      absl::MutexLock lock(&mu_);
      code_of = code_of_;
    }
    for (const auto& [number, code] : code_of) {
      v1::GetInvoiceRequest request;
      request.set_authority_code(code);
      v1::AuthenticatedInvoice invoice;
      grpc::ClientContext context;
      if (!authority->GetInvoice(&context, request, &invoice).ok()) {
        figures_.failures.push_back(absl::StrCat("acknowledged code ", code, " is lost"));
      } else if (!VerifyAuthenticatedInvoice(invoice, key_list).valid) {
        figures_.failures.push_back(absl::StrCat("acknowledged code ", code, " does not verify"));
      }
    }
    // Every stored invoice: one code per invoice number, the acknowledged one.
    std::map<uint32_t, std::set<std::string>> stored;
    std::string page_token;
    do {
      v1::SearchInvoicesRequest request;
      request.set_seller_tax_code(BaselineInvoice().seller().tax_code());
      request.set_page_size(1000);
      request.set_page_token(page_token);
      v1::SearchInvoicesResponse response;
      grpc::ClientContext context;
      if (!officer->SearchInvoices(&context, request, &response).ok()) {
        figures_.failures.push_back("searching the seller's invoices failed");
        return;
      }
      for (const v1::AuthenticatedInvoice& invoice : response.invoices()) {
        const InvoiceVerification verified = VerifyAuthenticatedInvoice(invoice, key_list);
        stored[verified.record.invoice().number()].insert(invoice.authority_code());
      }
      page_token = response.next_page_token();
    } while (!page_token.empty());
    for (const auto& [number, codes] : stored) {
      if (codes.size() != 1) {
        figures_.failures.push_back(absl::StrCat("invoice ", number, " has ", codes.size(),
                                                 " codes"));
      }
      auto it = code_of.find(number);
      if (it == code_of.end()) {
        // Stored but never acknowledged: allowed only for a call cut off by the final kill,
        // and ResubmitUnknown() above has acknowledged those.
        figures_.failures.push_back(absl::StrCat("invoice ", number, " stored, never answered"));
      } else if (*codes.begin() != it->second) {
        figures_.failures.push_back(absl::StrCat("invoice ", number, " acknowledged as ",
                                                 it->second, ", stored as ", *codes.begin()));
      }
    }
    if (stored.size() != code_of.size()) {
      figures_.failures.push_back(absl::StrCat(stored.size(), " invoices stored, ",
                                               code_of.size(), " acknowledged"));
    }
    server.KillAndWait(SIGTERM);
  }

  const Options options_;
  const std::string data_;
  absl::Mutex mu_;
  std::map<uint32_t, std::string> code_of_ ABSL_GUARDED_BY(mu_);
  std::set<uint32_t> unknown_ ABSL_GUARDED_BY(mu_);
  uint32_t next_number_ ABSL_GUARDED_BY(mu_) = 1;
  int active_clients_ ABSL_GUARDED_BY(mu_) = 0;
  Figures figures_;
};

}  // namespace
}  // namespace einvoice

int main(int argc, char** argv) {
  einvoice::Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--cycles") {
      if (!absl::SimpleAtoi(value, &options.cycles) || options.cycles < 1) return 2;
    } else if (flag == "--einvoiced") {
      options.einvoiced = value;
    } else if (flag == "--cli") {
      options.cli = value;
    } else if (flag == "--work_dir") {
      options.work_dir = value;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (options.einvoiced.empty() || options.cli.empty()) {
    std::fprintf(stderr,
                 "usage: crash_cycles --cycles N --einvoiced PATH --cli PATH [--work_dir DIR]\n");
    return 2;
  }
  std::string scratch;
  if (options.work_dir.empty()) {
    char pattern[] = "/tmp/einvoice-crash-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) return 2;
    options.work_dir = scratch = pattern;
  }
  const absl::Time start = absl::Now();
  einvoice::CrashCycles run(options);
  const einvoice::Figures figures = run.Run();
  std::printf(
      "crash test: %d kill -9 cycles in %s; %llu invoices acknowledged, %llu in flight at a "
      "kill and resubmitted (%llu had been stored, same code), %llu offline store checks; "
      "%zu failures\n",
      figures.cycles, absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Seconds(1)))
                          .c_str(),
      static_cast<unsigned long long>(figures.acknowledged),
      static_cast<unsigned long long>(figures.unknown_resubmitted),
      static_cast<unsigned long long>(figures.unknown_were_stored),
      static_cast<unsigned long long>(figures.checks), figures.failures.size());
  for (const std::string& failure : figures.failures) std::printf("FAILED: %s\n", failure.c_str());
  if (!scratch.empty() && figures.failures.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(scratch, ignored);
  }
  return figures.failures.empty() ? 0 : 1;
}
