// Backup, check and restore with the real binaries: `einvoice admin backup` while einvoiced is
// under load, `einvoice admin check` on the copy (consistent) and on the live data (locked),
// SIGTERM (exit 0, "einvoiced stopped"), a server started on the restored copy serving every
// invoice acknowledged before the backup began (and each verifies), and `admin check` finding
// the damage when a record is removed behind the store's back.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "domain/invoice_verifier.h"
#include "einvoice/v1/invoice_authority.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/rocksdb_database.h"
#include "tests/e2e/process.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/testing/temp_dir.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::CliResult;
using ::einvoice::testing::RunProcess;
using ::einvoice::testing::ServerProcess;
using ::einvoice::testing::TempDir;
using ::testing::HasSubstr;

const std::string kServer = EINVOICED_PATH;
const std::string kCli = EINVOICE_CLI_PATH;

class BackupEndToEndTest : public ::testing::Test {
 protected:
  std::unique_ptr<ServerProcess> StartServer(const std::string& data_dir) {
    auto server = std::make_unique<ServerProcess>(
        kServer, std::vector<std::string>{"--listen=127.0.0.1:0", "--data_dir=" + data_dir,
                                          "--hsm_sessions=2"});
    EXPECT_GT(server->port(), 0) << server->output();
    return server;
  }
  CliResult Cli(const ServerProcess& server, std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunProcess(kCli, args);
  }
  static CliResult Check(const std::string& dir) {
    return RunProcess(kCli, {"admin", "check", dir});
  }

  TempDir dir_;
};

TEST_F(BackupEndToEndTest, BackupUnderLoadChecksAndRestoresEveryAcknowledgedInvoice) {
  const std::string data = dir_.Sub("data");
  const std::string backup = dir_.Sub("backups/first");  // outside the data directory
  std::set<std::string> before_backup;  // acknowledged before the backup was asked for
  {
    std::unique_ptr<ServerProcess> server = StartServer(data);
    ASSERT_GT(server->port(), 0);
    ASSERT_EQ(Cli(*server, {"seller", "register", BaselineInvoice().seller().tax_code(),
                            "--name", "Công ty Thử"})
                  .exit_code,
              0);
    auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
    auto stub = v1::InvoiceAuthority::NewStub(channel);
    absl::Mutex mu;
    std::set<std::string> acknowledged;
    std::atomic<uint32_t> next_number{1};
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 2; ++c) {
      clients.emplace_back([&] {
        // Bounded: at most 2000 submissions in all, whatever happens.
        while (!stop.load() && next_number.load() < 2000) {
          v1::SubmitInvoiceRequest request;
          *request.mutable_invoice() = BaselineInvoice();
          request.mutable_invoice()->set_number(next_number.fetch_add(1));
          v1::SubmitInvoiceResponse response;
          grpc::ClientContext context;
          context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
          if (!stub->SubmitInvoice(&context, request, &response).ok()) return;
          absl::MutexLock lock(&mu);
          acknowledged.insert(response.accepted().authority_code());
        }
      });
    }
    {
      absl::MutexLock lock(&mu);
      const auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
        return acknowledged.size() >= 100 || next_number.load() >= 2000;
      };
      mu.Await(absl::Condition(&enough));
      before_backup = acknowledged;
    }
    // The copy is taken while the two clients keep submitting.
    const CliResult backed_up = Cli(*server, {"admin", "backup", backup});
    stop = true;
    for (std::thread& client : clients) client.join();
    ASSERT_EQ(backed_up.exit_code, 0) << backed_up.out << backed_up.err;
    EXPECT_THAT(backed_up.out, HasSubstr(backup + "/db"));
    ASSERT_GE(before_backup.size(), 100u);

    // A second backup into the same (now non-empty) directory is refused; so is a relative one.
    EXPECT_EQ(Cli(*server, {"admin", "backup", backup}).exit_code, 3);
    EXPECT_EQ(Cli(*server, {"admin", "backup", "relative/dir"}).exit_code, 3);

    // The live data cannot be checked while the server holds it.
    const CliResult locked = Check(data);
    EXPECT_EQ(locked.exit_code, 5) << locked.out << locked.err;
    EXPECT_THAT(locked.err, HasSubstr("stop the server first"));

    // SIGTERM: a clean stop, said on stdout, exit 0.
    server->Signal(SIGTERM);
    EXPECT_TRUE(server->WaitForOutput("einvoiced stopped"));
    const int status = server->KillAndWait(0);  // signal 0: nothing sent, just reaped
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }

  const CliResult checked = Check(backup);
  ASSERT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  EXPECT_THAT(checked.out, HasSubstr("store consistent"));
  // A stopped server's data directory checks too.
  const CliResult live_checked = Check(data);
  EXPECT_EQ(live_checked.exit_code, 0) << live_checked.out << live_checked.err;

  // Restore: the copy becomes a data directory's db/, next to the token (which has its own
  // backup procedure; here it is simply copied).
  const std::string restored = dir_.Sub("restored");
  std::filesystem::create_directories(restored);
  std::filesystem::copy(backup + "/db", restored + "/db", std::filesystem::copy_options::recursive);
  std::filesystem::copy(data + "/hsm", restored + "/hsm", std::filesystem::copy_options::recursive);
  {
    std::unique_ptr<ServerProcess> server = StartServer(restored);
    ASSERT_GT(server->port(), 0);
    auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
    auto stub = v1::InvoiceAuthority::NewStub(channel);
    v1::GetSigningKeysResponse keys;
    {
      grpc::ClientContext context;
      ASSERT_TRUE(stub->GetSigningKeys(&context, {}, &keys).ok());
    }
    const std::vector<v1::SigningKey> key_list(keys.keys().begin(), keys.keys().end());
    int served = 0;
    for (const std::string& code : before_backup) {
      v1::GetInvoiceRequest request;
      request.set_authority_code(code);
      v1::AuthenticatedInvoice invoice;
      grpc::ClientContext context;
      const grpc::Status got = stub->GetInvoice(&context, request, &invoice);
      ASSERT_TRUE(got.ok()) << code << ": " << got.error_message();
      EXPECT_TRUE(VerifyAuthenticatedInvoice(invoice, key_list).valid) << code;
      ++served;
    }
    EXPECT_EQ(served, static_cast<int>(before_backup.size()));
    // The restored server issues new codes after the copy's, never one of them again.
    v1::SubmitInvoiceRequest request;
    *request.mutable_invoice() = BaselineInvoice();
    request.mutable_invoice()->set_number(5000);
    v1::SubmitInvoiceResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(stub->SubmitInvoice(&context, request, &response).ok());
    EXPECT_GT(response.accepted().authority_code(), *before_backup.rbegin());
    EXPECT_EQ(server->KillAndWait(SIGTERM), 0);
  }

  // Damage the restored copy behind the store's back: one record gone.
  {
    RocksDbOptions options;
    options.path = restored + "/db";
    auto db = RocksDbDatabase::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->db()
                    ->Delete(rocksdb::WriteOptions(), (*db)->handle(ColumnFamily::kRecords),
                             *before_backup.begin())
                    .ok());
  }
  const CliResult damaged = Check(restored);
  EXPECT_EQ(damaged.exit_code, 4) << damaged.out << damaged.err;
  EXPECT_THAT(damaged.out, HasSubstr("PROBLEM"));
  EXPECT_THAT(damaged.out, HasSubstr(*before_backup.begin() + ", which has no record"));
  EXPECT_THAT(damaged.out, HasSubstr("store INCONSISTENT"));
}

}  // namespace
}  // namespace einvoice
