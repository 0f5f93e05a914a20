// End to end over mutual TLS with the real binaries and the development PKI of
// scripts/dev-pki.sh: einvoiced with --tls_* flags and the access policy; the real CLI as an
// officer, a seller, its buyer, a T-VAN and an administrator; the policy reloaded on SIGHUP
// (and a malformed one refused); the audit chain verified, then broken by editing a stored
// record behind the server's back, and the break found. Also: plaintext off loopback refuses
// to start.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "einvoice/v1/audit.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_database.h"
#include "tests/e2e/process.h"
#include "tests/testing/temp_dir.h"

namespace einvoice {
namespace {

using ::einvoice::testing::CliResult;
using ::einvoice::testing::RunProcess;
using ::einvoice::testing::ServerProcess;
using ::einvoice::testing::TempDir;
using ::testing::HasSubstr;

const std::string kServer = EINVOICED_PATH;
const std::string kCli = EINVOICE_CLI_PATH;
const std::string kDevPki = DEV_PKI_SCRIPT;
const std::string kExampleInvoice = EXAMPLE_INVOICE;
constexpr char kSeller[] = "9902026115";  // examples/invoice.json's seller (buyer 9900000016)
constexpr char kTvan[] = "0100109106";

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

class TlsEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CliResult pki = RunProcess("/bin/bash", {kDevPki, pki_});
    ASSERT_EQ(pki.exit_code, 0) << pki.out << pki.err;
  }

  std::unique_ptr<ServerProcess> StartServer() {
    auto server = std::make_unique<ServerProcess>(
        kServer, std::vector<std::string>{
                     "--listen=127.0.0.1:0", "--data_dir=" + dir_.Sub("data"), "--hsm_sessions=2",
                     "--tls_cert_file=" + pki_ + "/server.pem",
                     "--tls_key_file=" + pki_ + "/server.key",
                     "--client_ca_file=" + pki_ + "/ca.pem",
                     "--access_policy_file=" + policy_});
    EXPECT_GT(server->port(), 0) << server->output();
    return server;
  }

  // The CLI as `who` (a dev-pki.sh name: officer, admin, seller, buyer, tvan).
  CliResult As(const ServerProcess& server, const std::string& who, std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address(), "--ca_file", pki_ + "/ca.pem",
                               "--cert_file", pki_ + "/" + who + ".pem", "--key_file",
                               pki_ + "/" + who + ".key"});
    return RunProcess(kCli, args);
  }

  static std::string CodeFromSubmitOutput(const std::string& out) {
    for (absl::string_view line : absl::StrSplit(out, '\n')) {
      if (absl::ConsumePrefix(&line, "accepted: ")) return std::string(line.substr(0, 34));
    }
    return "";
  }

  TempDir dir_;
  const std::string pki_ = dir_.Sub("pki");
  const std::string policy_ = pki_ + "/policy.json";
};

TEST_F(TlsEndToEndTest, RolesFromCertificatesPolicyReloadAndAnAuditChainThatShowsTampering) {
  std::string noted_head;  // "SEQ:SHA256" as `audit verify` printed it
  {
    std::unique_ptr<ServerProcess> server = StartServer();
    ASSERT_GT(server->port(), 0);

    // Data at rest is the server's alone, and the token's PINs are not in the data directory.
    struct stat info {};
    ASSERT_EQ(::stat(dir_.Sub("data").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.Sub("data"))) {
      ASSERT_EQ(::stat(entry.path().c_str(), &info), 0);
      EXPECT_EQ(info.st_mode & 0077, 0u) << entry.path() << " is readable by others";
      EXPECT_NE(entry.path().filename(), "user.pin") << entry.path();
    }
    ASSERT_EQ(::stat((dir_.Sub("data") + ".secrets/user.pin").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);

    // An officer registers the seller; the seller submits; its buyer reads the invoice.
    CliResult registered =
        As(*server, "officer", {"seller", "register", kSeller, "--name", "Công ty TNHH Mẫu"});
    ASSERT_EQ(registered.exit_code, 0) << registered.err;
    EXPECT_EQ(As(*server, "seller", {"seller", "register", kSeller, "--name", "x"}).exit_code, 7);
    CliResult submitted = As(*server, "seller", {"submit", kExampleInvoice});
    ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
    const std::string code = CodeFromSubmitOutput(submitted.out);
    ASSERT_EQ(code.size(), 34u) << submitted.out;
    EXPECT_EQ(As(*server, "buyer", {"get", code}).exit_code, 0);
    CliResult buyer_submits = As(*server, "buyer", {"submit", kExampleInvoice});
    EXPECT_EQ(buyer_submits.exit_code, 7) << buyer_submits.out << buyer_submits.err;

    // A T-VAN reads the seller's invoices only once the seller's registration names it.
    EXPECT_EQ(As(*server, "tvan", {"get", code}).exit_code, 7);
    ASSERT_EQ(As(*server, "officer", {"seller", "tvan", kSeller, kTvan}).exit_code, 0);
    EXPECT_EQ(As(*server, "tvan", {"get", code}).exit_code, 0);

    // The seller's certificate is added, then revoked, explicitly; both stay on record.
    ASSERT_EQ(As(*server, "officer", {"seller", "cert", "add", kSeller, pki_ + "/seller.pem"})
                  .exit_code,
              0);
    CliResult shown = As(*server, "officer", {"seller", "show", kSeller});
    ASSERT_EQ(shown.exit_code, 0);
    const size_t hash = shown.out.find("  #1");
    ASSERT_NE(hash, std::string::npos) << shown.out;
    const std::string fingerprint(
        absl::StripAsciiWhitespace(shown.out.substr(hash + 4, shown.out.find('\n', hash) - hash - 4)));
    ASSERT_EQ(fingerprint.size(), 64u) << shown.out;
    CliResult revoked = As(*server, "officer", {"seller", "cert", "revoke", kSeller, fingerprint,
                                                "--reason", "khóa bị lộ", "--json"});
    ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
    EXPECT_THAT(revoked.out, HasSubstr("\"revokedCertificates\""));
    EXPECT_THAT(revoked.out, HasSubstr("khóa bị lộ"));

    // Keys are the administrator's; the officer is refused.
    CliResult officer_keys = As(*server, "officer", {"keys", "list"});
    EXPECT_EQ(officer_keys.exit_code, 7);
    EXPECT_THAT(officer_keys.err, HasSubstr("administrator"));
    EXPECT_EQ(As(*server, "admin", {"keys", "list"}).exit_code, 0);

    // Without a certificate nothing gets through (the handshake fails: exit 5).
    CliResult plaintext = RunProcess(kCli, {"--server", server->address(), "health"});
    EXPECT_EQ(plaintext.exit_code, 5) << plaintext.err;

    // SIGHUP: the officer becomes an administrator too...
    const std::string original_policy = ReadFile(policy_);
    std::string promoted = original_policy;
    const std::string officer_fp = promoted.substr(promoted.find("\"officers\": [\"") + 14, 64);
    promoted.replace(promoted.find("\"admins\": [") + 11, 0, "\"" + officer_fp + "\", ");
    std::ofstream(policy_, std::ios::trunc) << promoted;
    server->Signal(SIGHUP);
    ASSERT_TRUE(server->WaitForOutput("einvoiced access policy reloaded")) << server->output();
    EXPECT_EQ(As(*server, "officer", {"keys", "list"}).exit_code, 0);
    // ... and a malformed file changes nothing.
    std::ofstream(policy_, std::ios::trunc) << "{\"admins\": [\"not a fingerprint\"]}";
    server->Signal(SIGHUP);
    ASSERT_TRUE(server->WaitForOutput("einvoiced access policy not reloaded")) << server->output();
    EXPECT_EQ(As(*server, "officer", {"keys", "list"}).exit_code, 0);
    EXPECT_EQ(As(*server, "admin", {"keys", "list"}).exit_code, 0);
    std::ofstream(policy_, std::ios::trunc) << original_policy;  // for the restart below

    // The audit trail has the officers' calls and the refusals, and its chain is intact.
    CliResult audit = As(*server, "admin", {"audit", "--json"});
    ASSERT_EQ(audit.exit_code, 0) << audit.err;
    EXPECT_THAT(audit.out, HasSubstr("TaxOfficer.RegisterSeller"));
    EXPECT_THAT(audit.out, HasSubstr("TaxOfficer.SetSellerTvan"));
    EXPECT_THAT(audit.out, HasSubstr("\"statusCode\": 7"));  // the refusals
    CliResult verified = As(*server, "admin", {"audit", "verify"});
    ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    EXPECT_THAT(verified.out, HasSubstr("audit chain intact"));
    noted_head = std::string(absl::StripAsciiWhitespace(
        verified.out.substr(verified.out.find("head ") + 5)));
    EXPECT_EQ(As(*server, "admin", {"audit", "verify", "--expect", noted_head}).exit_code, 0);
    EXPECT_EQ(server->KillAndWait(SIGTERM) & 0x7f, 0);
  }
  const uint64_t noted_sequence = std::stoull(noted_head.substr(0, noted_head.find(':')));

  // Someone with the disk removes the newest records: the chain that is left is intact, but
  // the head noted earlier is gone.
  {
    RocksDbOptions options;
    options.path = dir_.Sub("data") + "/db";
    absl::StatusOr<std::shared_ptr<RocksDbDatabase>> db = RocksDbDatabase::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    // From the noted record to the newest (the verify calls since added their own).
    std::string ignored;
    for (uint64_t sequence = noted_sequence;
         (*db)->db()->Get({}, (*db)->handle(ColumnFamily::kAudit), keys::AuditKey(sequence),
                          &ignored).ok();
         ++sequence) {
      ASSERT_TRUE((*db)->db()
                      ->Delete({}, (*db)->handle(ColumnFamily::kAudit), keys::AuditKey(sequence))
                      .ok());
    }
  }
  {
    std::unique_ptr<ServerProcess> server = StartServer();
    ASSERT_GT(server->port(), 0);
    EXPECT_EQ(As(*server, "admin", {"audit", "verify"}).exit_code, 0);
    CliResult cut = As(*server, "admin", {"audit", "verify", "--expect", noted_head});
    EXPECT_EQ(cut.exit_code, 4) << cut.out << cut.err;
    EXPECT_THAT(cut.out, HasSubstr("noted"));  // gone, or replaced by a newer record
    EXPECT_EQ(server->KillAndWait(SIGTERM) & 0x7f, 0);
  }

  // Someone with the disk rewrites record 2 (a refusal) to look like a success.
  {
    RocksDbOptions options;
    options.path = dir_.Sub("data") + "/db";
    absl::StatusOr<std::shared_ptr<RocksDbDatabase>> db = RocksDbDatabase::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    std::string stored;
    const std::string key = keys::AuditKey(2);
    ASSERT_TRUE((*db)->db()->Get({}, (*db)->handle(ColumnFamily::kAudit), key, &stored).ok());
    v1::AuditRecord record;
    ASSERT_TRUE(record.ParseFromString(stored));
    ASSERT_EQ(record.status_code(), 7);
    record.set_status_code(0);
    record.clear_status_message();
    ASSERT_TRUE((*db)->db()
                    ->Put({}, (*db)->handle(ColumnFamily::kAudit), key, record.SerializeAsString())
                    .ok());
  }
  std::unique_ptr<ServerProcess> server = StartServer();
  ASSERT_GT(server->port(), 0);
  CliResult broken = As(*server, "admin", {"audit", "verify"});
  EXPECT_EQ(broken.exit_code, 4) << broken.out << broken.err;
  EXPECT_THAT(broken.out, HasSubstr("record 3: previous_sha256 does not match record 2"));
}

TEST(PlaintextEndToEndTest, PlaintextOffLoopbackRefusesToStart) {
  TempDir dir;
  CliResult refused = RunProcess(
      kServer, {"--listen=0.0.0.0:0", "--data_dir=" + dir.Sub("data")});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("refusing to serve plaintext on 0.0.0.0:0"));
  EXPECT_THAT(refused.out, ::testing::Not(HasSubstr("listening")));
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("data")));  // nothing was created
}

}  // namespace
}  // namespace einvoice
