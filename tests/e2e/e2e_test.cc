// End to end with the real binaries: einvoiced on port 0 with its embedded RocksDB and
// SoftHSM2 token, driven by the real `einvoice` CLI and a gRPC load; the server is killed
// with SIGKILL while submissions are in flight, restarted on the same data directory, and
// every code that had been acknowledged must be there with a valid signature.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "domain/invoice_verifier.h"
#include "einvoice/v1/invoice_authority.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/process.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/testing/temp_dir.h"
#include "tests/xml/support/seller_signing.h"
#include "tests/xml/support/test_pki.h"

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

class EndToEndTest : public ::testing::Test {
 protected:
  std::unique_ptr<ServerProcess> StartServer() {
    auto server = std::make_unique<ServerProcess>(
        kServer, std::vector<std::string>{"--listen=127.0.0.1:0", "--data_dir=" + dir_.Sub("data"),
                                          "--hsm_sessions=2"});
    EXPECT_GT(server->port(), 0) << server->output();
    return server;
  }

  CliResult Cli(const ServerProcess& server, std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunProcess(kCli, args);
  }

  std::string WriteInvoiceJson(uint32_t number) {
    v1::Invoice invoice = BaselineInvoice();
    invoice.set_number(number);
    std::string json;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(invoice, &json).ok());
    const std::string path = dir_.Sub("invoice-" + std::to_string(number) + ".json");
    std::ofstream(path) << json;
    return path;
  }

  // "accepted: CODE ..." -> CODE
  static std::string CodeFromSubmitOutput(const std::string& out) {
    for (absl::string_view line : absl::StrSplit(out, '\n')) {
      if (absl::ConsumePrefix(&line, "accepted: ")) return std::string(line.substr(0, 34));
    }
    return "";
  }

  TempDir dir_;
};

TEST_F(EndToEndTest, AcknowledgedCodesSurviveKillDashNineAndVerify) {
  const std::string seller = BaselineInvoice().seller().tax_code();
  std::set<std::string> acknowledged;
  std::string cli_code;
  {
    std::unique_ptr<ServerProcess> server = StartServer();
    ASSERT_GT(server->port(), 0);

    CliResult registered = Cli(*server, {"seller", "register", seller, "--name", "Công ty Thử"});
    ASSERT_EQ(registered.exit_code, 0) << registered.err;

    // One invoice through the CLI.
    CliResult submitted = Cli(*server, {"submit", WriteInvoiceJson(1)});
    ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
    cli_code = CodeFromSubmitOutput(submitted.out);
    ASSERT_EQ(cli_code.size(), 34u) << submitted.out;
    acknowledged.insert(cli_code);

    // An invalid one: non-zero exit, the violation named, nothing issued.
    v1::Invoice bad = BaselineInvoice();
    bad.set_number(2);
    bad.mutable_seller()->set_tax_code("0100047517");  // wrong check digit
    std::string bad_json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(bad, &bad_json).ok());
    std::ofstream(dir_.Sub("bad.json")) << bad_json;
    CliResult rejected = Cli(*server, {"submit", dir_.Sub("bad.json")});
    EXPECT_NE(rejected.exit_code, 0);
    EXPECT_THAT(rejected.out + rejected.err, HasSubstr("seller.tax_code"));

    // Load from four clients; SIGKILL once 200 more codes were acknowledged, mid-flight.
    auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
    auto stub = v1::InvoiceAuthority::NewStub(channel);
    absl::Mutex mu;
    std::atomic<uint32_t> next_number{100};
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
      clients.emplace_back([&] {
        while (!stop.load()) {
          v1::SubmitInvoiceRequest request;
          *request.mutable_invoice() = BaselineInvoice();
          request.mutable_invoice()->set_number(next_number.fetch_add(1));
          v1::SubmitInvoiceResponse response;
          grpc::ClientContext context;
          context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
          if (!stub->SubmitInvoice(&context, request, &response).ok()) return;  // server gone
          absl::MutexLock lock(&mu);
          acknowledged.insert(response.accepted().authority_code());
        }
      });
    }
    {
      absl::MutexLock lock(&mu);
      const auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
        return acknowledged.size() >= 201;
      };
      mu.Await(absl::Condition(&enough));
    }
    const int status = server->KillAndWait(SIGKILL);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    stop = true;
    for (auto& client : clients) client.join();
  }

  // Restart on the same data: every acknowledged code is there and verifies.
  std::unique_ptr<ServerProcess> server = StartServer();
  ASSERT_GT(server->port(), 0);
  auto stub = v1::InvoiceAuthority::NewStub(
      grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials()));
  v1::GetSigningKeysResponse keys_response;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->GetSigningKeys(&context, {}, &keys_response).ok());
  }
  ASSERT_EQ(keys_response.keys_size(), 1);  // the token's key was reused, not regenerated
  const std::vector<v1::SigningKey> keys(keys_response.keys().begin(), keys_response.keys().end());
  for (const std::string& code : acknowledged) {
    v1::GetInvoiceRequest request;
    request.set_authority_code(code);
    v1::AuthenticatedInvoice invoice;
    grpc::ClientContext context;
    ASSERT_TRUE(stub->GetInvoice(&context, request, &invoice).ok()) << "lost: " << code;
    const InvoiceVerification verification = VerifyAuthenticatedInvoice(invoice, keys);
    EXPECT_TRUE(verification.valid) << code << ": "
                                    << ::testing::PrintToString(verification.problems);
  }

  // The CLI: fetch, verify online and offline with an exported manifest, search, replay.
  CliResult fetched = Cli(*server, {"--json", "get", cli_code});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  std::ofstream(dir_.Sub("coded.json")) << fetched.out;
  CliResult verified = Cli(*server, {"verify", dir_.Sub("coded.json")});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  CliResult exported = Cli(*server, {"keys", "export", dir_.Sub("keys.json")});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  CliResult offline = RunProcess(kCli, {"verify", dir_.Sub("coded.json"), "--keys",
                                        dir_.Sub("keys.json")});
  EXPECT_EQ(offline.exit_code, 0) << offline.out << offline.err;

  // A tampered copy fails verification with a non-zero exit.
  std::string tampered = fetched.out;
  const size_t at = tampered.find("\"signature\": \"") + 20;
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  std::ofstream(dir_.Sub("tampered.json")) << tampered;
  CliResult refused = RunProcess(kCli, {"verify", dir_.Sub("tampered.json"), "--keys",
                                        dir_.Sub("keys.json")});
  EXPECT_NE(refused.exit_code, 0);

  CliResult search = Cli(*server, {"--json", "search", "--seller", BaselineInvoice().seller().tax_code()});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  for (const std::string& code : acknowledged) EXPECT_THAT(search.out, HasSubstr(code));

  // An invoice whose total is off is coded with a warning (the default `authority` profile);
  // officers find it by that warning, and the statistics count it under its rule.
  v1::Invoice off = BaselineInvoice();
  off.set_number(99);
  off.mutable_totals()->set_total_payable("2374000");  // 500 short
  std::string off_json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(off, &off_json).ok());
  std::ofstream(dir_.Sub("off.json")) << off_json;
  CliResult warned = Cli(*server, {"submit", dir_.Sub("off.json")});
  ASSERT_EQ(warned.exit_code, 0) << warned.out << warned.err;
  const std::string warned_code = CodeFromSubmitOutput(warned.out);
  ASSERT_EQ(warned_code.size(), 34u) << warned.out;
  CliResult by_warning = Cli(
      *server, {"--json", "search", "--warning", "totals.total_payable_mismatch"});
  ASSERT_EQ(by_warning.exit_code, 0) << by_warning.err;
  EXPECT_THAT(by_warning.out, HasSubstr(warned_code));
  EXPECT_THAT(by_warning.out, ::testing::Not(HasSubstr(cli_code)));
  CliResult stats = Cli(*server, {"stats", "--from", "2000-01-01", "--to", "2100-01-01"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_THAT(stats.out, ::testing::ContainsRegex("totals.total_payable_mismatch +0 +1"));
  // The same for a spreadsheet; and the registry, read back from RocksDB after the restart.
  CliResult rules_csv = Cli(*server, {"stats", "--from", "2000-01-01", "--to", "2100-01-01",
                                      "--by", "rule", "--output", "csv"});
  ASSERT_EQ(rules_csv.exit_code, 0) << rules_csv.err;
  EXPECT_THAT(rules_csv.out, HasSubstr("\r\ntotals.total_payable_mismatch,0,1\r\n"));
  CliResult sellers = Cli(*server, {"seller", "list", "--output", "csv"});
  ASSERT_EQ(sellers.exit_code, 0) << sellers.err;
  EXPECT_THAT(sellers.out, ::testing::StartsWith("tax_code,name,status,"));
  EXPECT_THAT(sellers.out, HasSubstr("\r\n" + seller + ",Công ty Thử,active,,0,0,"));

  CliResult replay = Cli(*server, {"submit", WriteInvoiceJson(1)});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_EQ(CodeFromSubmitOutput(replay.out), cli_code);
  EXPECT_THAT(replay.out, HasSubstr("replay"));

  // Rotation through the CLI: generate, activate; new invoices use the new key, and old and
  // new invoices all verify offline from one exported manifest.
  CliResult generated = Cli(*server, {"--json", "keys", "generate"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  const size_t id_at = generated.out.find("\"keyId\": \"") + 10;
  const std::string new_key = generated.out.substr(id_at, 64);
  CliResult activated = Cli(*server, {"keys", "activate", new_key});
  ASSERT_EQ(activated.exit_code, 0) << activated.err;
  CliResult after_rotation = Cli(*server, {"submit", WriteInvoiceJson(2)});
  ASSERT_EQ(after_rotation.exit_code, 0) << after_rotation.err;
  EXPECT_THAT(after_rotation.out, HasSubstr(new_key));
  const std::string rotated_code = CodeFromSubmitOutput(after_rotation.out);
  CliResult rotated_json = Cli(*server, {"--json", "get", rotated_code});
  ASSERT_EQ(rotated_json.exit_code, 0);
  std::ofstream(dir_.Sub("rotated.json")) << rotated_json.out;
  ASSERT_EQ(Cli(*server, {"keys", "export", dir_.Sub("keys2.json")}).exit_code, 0);
  for (const char* file : {"coded.json", "rotated.json"}) {
    CliResult check = RunProcess(kCli, {"verify", dir_.Sub(file), "--keys", dir_.Sub("keys2.json")});
    EXPECT_EQ(check.exit_code, 0) << file << ": " << check.out << check.err;
  }
  EXPECT_EQ(Cli(*server, {"health"}).exit_code, 0);

  // XML through the CLI: the seller's certificate registered with --cert, a seller-signed HDon
  // submitted as is, the coded XML verified offline (seller and authority signatures), and a
  // tampered copy refused.
  testing::TestCa ca;
  const absl::Time now = absl::Now();
  const testing::TestCredential credential =
      ca.IssueSellerCertificate(seller, now - absl::Hours(24 * 30), now + absl::Hours(24 * 365));
  std::ofstream(dir_.Sub("seller.pem")) << credential.certificate_pem;
  CliResult with_cert = Cli(*server, {"seller", "cert", "add", seller, dir_.Sub("seller.pem")});
  ASSERT_EQ(with_cert.exit_code, 0) << with_cert.err;
  v1::Invoice xml_invoice = BaselineInvoice();
  xml_invoice.set_number(3);
  testing::SellerSignOptions sign_options;
  sign_options.signing_time = now;
  absl::StatusOr<std::string> signed_xml =
      testing::SignedInvoiceXml(xml_invoice, credential, sign_options);
  ASSERT_TRUE(signed_xml.ok()) << signed_xml.status();
  std::ofstream(dir_.Sub("invoice.xml")) << *signed_xml;
  CliResult xml_submitted = Cli(*server, {"submit", dir_.Sub("invoice.xml")});
  ASSERT_EQ(xml_submitted.exit_code, 0) << xml_submitted.out << xml_submitted.err;
  const std::string xml_code = CodeFromSubmitOutput(xml_submitted.out);
  v1::GetInvoiceRequest get_xml;
  get_xml.set_authority_code(xml_code);
  v1::AuthenticatedInvoice coded;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->GetInvoice(&context, get_xml, &coded).ok());
  }
  ASSERT_FALSE(coded.coded_xml().empty());
  std::ofstream(dir_.Sub("coded.xml")) << coded.coded_xml();
  ASSERT_EQ(Cli(*server, {"keys", "export", dir_.Sub("keys3.json")}).exit_code, 0);
  CliResult xml_verified =
      RunProcess(kCli, {"verify", dir_.Sub("coded.xml"), "--keys", dir_.Sub("keys3.json")});
  EXPECT_EQ(xml_verified.exit_code, 0) << xml_verified.out << xml_verified.err;
  std::string tampered_xml = coded.coded_xml();
  const std::string payable = "<TgTTTBSo>" + xml_invoice.totals().total_payable();
  tampered_xml.replace(tampered_xml.find(payable), payable.size(), "<TgTTTBSo>1");
  std::ofstream(dir_.Sub("tampered.xml")) << tampered_xml;
  CliResult xml_refused =
      RunProcess(kCli, {"verify", dir_.Sub("tampered.xml"), "--keys", dir_.Sub("keys3.json")});
  EXPECT_EQ(xml_refused.exit_code, 4) << xml_refused.out << xml_refused.err;

  // A graceful stop exits 0.
  const int status = server->KillAndWait(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

}  // namespace
}  // namespace einvoice
