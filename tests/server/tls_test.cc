// Mutual TLS on a real loopback socket: who a certificate makes the caller, what the handshake
// refuses (no certificate, an expired one, another CA's, plaintext), plaintext refused off
// loopback, and the access policy swapped while serving (and a malformed file refused).
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "server/access_policy_file.h"
#include "signer/digest.h"
#include "tests/server/server_fixture.h"
#include "tests/testing/temp_dir.h"
#include "tests/xml/support/test_pki.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::BaselineSellerTaxCode;
using ::einvoice::testing::ServerFixture;
using ::einvoice::testing::StatusIs;
using ::einvoice::testing::TempDir;
using ::einvoice::testing::TestCa;
using ::einvoice::testing::TestCertificateSpec;
using ::einvoice::testing::TestCredential;
using ::testing::HasSubstr;

std::string FingerprintOf(const TestCredential& credential) {
  return absl::BytesToHexString(Sha256(credential.certificate_der));
}

std::string PolicyJson(const std::string& admin, const std::string& officer) {
  return absl::StrCat(R"({"admins": [")", admin, R"("], "officers": [")", officer, R"("]})");
}

class TlsTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    TestCertificateSpec server_spec;
    server_spec.common_name = "localhost";
    server_spec.dns_names = {"localhost"};
    server_spec.ip_addresses = {"127.0.0.1"};
    server_cert_ = ca_.IssueCertificate(server_spec);
    seller_ = Client(BaselineSellerTaxCode());
    stranger_ = Client("0101243150");
    officer_cert_ = Client("");
    admin_cert_ = Client("");
    options_.listen_address = "127.0.0.1:0";
    options_.caller_identifier = nullptr;  // the real one: TlsCallerIdentifier
    options_.tls = TlsMaterial{server_cert_.certificate_pem, server_cert_.private_key_pem,
                               ca_.certificate_pem()};
    options_.access_policy =
        *AccessPolicy::FromJson(PolicyJson(FingerprintOf(admin_cert_), FingerprintOf(officer_cert_)));
    StartServer();
    ASSERT_GT(server_->port(), 0);
  }

  TestCredential Client(const std::string& tax_code,
                        absl::Time not_after = absl::FromUnixSeconds(2208988800)) {
    TestCertificateSpec spec;
    spec.tax_code = tax_code;
    spec.not_after = not_after;
    return ca_.IssueCertificate(spec);
  }

  // A channel presenting `credential` (none when null) and trusting `trusted_ca`.
  std::shared_ptr<grpc::Channel> TlsChannel(const TestCredential* credential,
                                            const std::string* trusted_ca = nullptr) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = trusted_ca != nullptr ? *trusted_ca : ca_.certificate_pem();
    if (credential != nullptr) {
      ssl.pem_cert_chain = credential->certificate_pem;
      ssl.pem_private_key = credential->private_key_pem;
    }
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                               grpc::SslCredentials(ssl));
  }

  static grpc::Status SubmitOver(const std::shared_ptr<grpc::Channel>& channel,
                                 const v1::Invoice& invoice) {
    auto stub = v1::InvoiceAuthority::NewStub(channel);
    v1::SubmitInvoiceRequest request;
    *request.mutable_invoice() = invoice;
    v1::SubmitInvoiceResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return stub->SubmitInvoice(&context, request, &response);
  }

  static grpc::Status ListKeysOver(const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = v1::AuthorityAdmin::NewStub(channel);
    v1::ListSigningKeysResponse keys;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return stub->ListSigningKeys(&context, {}, &keys);
  }

  void RegisterSellerAsOfficer() {
    auto stub = v1::TaxOfficer::NewStub(TlsChannel(&officer_cert_));
    v1::RegisterSellerRequest request;
    request.set_tax_code(BaselineSellerTaxCode());
    request.set_name("Công ty TNHH Thử Nghiệm");
    v1::Seller seller;
    grpc::ClientContext context;
    const grpc::Status status = stub->RegisterSeller(&context, request, &seller);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  TestCa ca_;
  TestCredential server_cert_, seller_, stranger_, officer_cert_, admin_cert_;
};

TEST_F(TlsTest, TheCertificateSaysWhoIsCalling) {
  RegisterSellerAsOfficer();
  ASSERT_TRUE(SubmitOver(TlsChannel(&seller_), BaselineInvoice()).ok());
  v1::Invoice next = BaselineInvoice();
  next.set_number(2);
  EXPECT_EQ(SubmitOver(TlsChannel(&stranger_), next).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(SubmitOver(TlsChannel(&officer_cert_), next).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // officers do not submit invoices
  EXPECT_EQ(store_.size(), 1u);

  // The audit trail names callers by their certificate's real fingerprint and subject.
  const std::vector<v1::AuditRecord> records = AuditRecords();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].operation(), "TaxOfficer.RegisterSeller");
  EXPECT_EQ(records[0].caller().fingerprint(), FingerprintOf(officer_cert_));
  EXPECT_EQ(records[0].caller().role(), v1::CALLER_ROLE_OFFICER);
  EXPECT_THAT(records[0].caller().subject(), HasSubstr("CN=thử nghiệm"));
  EXPECT_EQ(records[1].caller().fingerprint(), FingerprintOf(stranger_));
  EXPECT_EQ(records[1].caller().tax_code(), "0101243150");
  EXPECT_EQ(records[1].caller().role(), v1::CALLER_ROLE_TAXPAYER);
  EXPECT_EQ(records[2].caller().role(), v1::CALLER_ROLE_OFFICER);
}

TEST_F(TlsTest, AnOfficerCannotRotateKeysAnAdministratorCan) {
  EXPECT_EQ(ListKeysOver(TlsChannel(&officer_cert_)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(ListKeysOver(TlsChannel(&admin_cert_)).ok());
}

TEST_F(TlsTest, ACallWithoutAClientCertificateIsRefusedAtTheHandshake) {
  EXPECT_EQ(ListKeysOver(TlsChannel(nullptr)).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(AuditRecords().empty());  // nothing reached the service
}

TEST_F(TlsTest, AnExpiredClientCertificateIsRefused) {
  const TestCredential expired = Client("", absl::Now() - absl::Hours(1));
  EXPECT_EQ(ListKeysOver(TlsChannel(&expired)).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, ACertificateFromAnotherCaIsRefused) {
  TestCa other;
  TestCertificateSpec spec;  // same subject as our officer's, another issuer
  const TestCredential impostor = other.IssueCertificate(spec);
  EXPECT_EQ(ListKeysOver(TlsChannel(&impostor)).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, APlaintextClientGetsNothing) {
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                     grpc::InsecureChannelCredentials());
  EXPECT_EQ(ListKeysOver(channel).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, AnInProcessCallWithoutACertificateIsUnauthenticated) {
  EXPECT_EQ(ListKeysOver(server_->InProcessChannel()).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TlsTest, AReloadedPolicyChangesRolesAndAMalformedOneChangesNothing) {
  ASSERT_EQ(ListKeysOver(TlsChannel(&officer_cert_)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  TempDir dir;
  const std::string path = dir.Sub("policy.json");
  std::ofstream(path) << PolicyJson(FingerprintOf(officer_cert_), FingerprintOf(admin_cert_));
  ASSERT_OK(ReloadAccessPolicyFile(path, *server_));
  EXPECT_TRUE(ListKeysOver(TlsChannel(&officer_cert_)).ok());  // promoted
  EXPECT_EQ(ListKeysOver(TlsChannel(&admin_cert_)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // demoted

  std::ofstream(path, std::ios::trunc) << R"({"admins": [)";  // an editor's half-saved file
  EXPECT_THAT(ReloadAccessPolicyFile(path, *server_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(path)));
  EXPECT_TRUE(ListKeysOver(TlsChannel(&officer_cert_)).ok());  // the previous policy stands
  EXPECT_THAT(ReloadAccessPolicyFile(dir.Sub("missing.json"), *server_),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_TRUE(ListKeysOver(TlsChannel(&officer_cert_)).ok());
}

TEST_F(TlsTest, ACertificateRevokedForItsSellerNoLongerActsAsTheSeller) {
  RegisterSellerAsOfficer();
  auto officer = v1::TaxOfficer::NewStub(TlsChannel(&officer_cert_));
  v1::AddSellerCertificateRequest add;
  add.set_tax_code(BaselineSellerTaxCode());
  add.set_certificate_der(seller_.certificate_der);
  v1::Seller seller;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(officer->AddSellerCertificate(&context, add, &seller).ok());
  }
  auto seller_channel = TlsChannel(&seller_);
  ASSERT_TRUE(SubmitOver(seller_channel, BaselineInvoice()).ok());
  v1::RevokeSellerCertificateRequest revoke;
  revoke.set_tax_code(BaselineSellerTaxCode());
  revoke.set_fingerprint(FingerprintOf(seller_));
  revoke.set_reason("khóa bị lộ");
  {
    grpc::ClientContext context;
    ASSERT_TRUE(officer->RevokeSellerCertificate(&context, revoke, &seller).ok());
  }
  // Same connection, same certificate: refused from now on.
  v1::Invoice next = BaselineInvoice();
  next.set_number(2);
  EXPECT_EQ(SubmitOver(seller_channel, next).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(TlsTest, ACertificateTheAccessPolicyRevokesIsUnauthenticated) {
  auto channel = TlsChannel(&admin_cert_);
  ASSERT_TRUE(ListKeysOver(channel).ok());
  AccessPolicy policy = *AccessPolicy::FromJson(absl::StrCat(
      R"({"admins": [")", FingerprintOf(admin_cert_), R"("], "revoked": [")",
      FingerprintOf(admin_cert_), R"("]})"));
  server_->ReloadAccessPolicy(std::move(policy));
  EXPECT_EQ(ListKeysOver(channel).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TlsTest, ACertificateThatExpiresWhileConnectedStopsWorking) {
  const TestCredential brief = Client("", absl::Now() + absl::Hours(1));
  server_->ReloadAccessPolicy(*AccessPolicy::FromJson(
      absl::StrCat(R"({"admins": [")", FingerprintOf(brief), R"("]})")));
  auto channel = TlsChannel(&brief);
  ASSERT_TRUE(ListKeysOver(channel).ok());
  clock_.Set(absl::Now() + absl::Hours(2));  // the connection stays open; the certificate expires
  EXPECT_EQ(ListKeysOver(channel).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

class PlaintextListenTest : public ServerFixture {};

TEST_F(PlaintextListenTest, ATlsCertificateThatIsNotForItsKeyIsRefusedAtStart) {
  TestCa ca;
  const TestCredential one = ca.IssueCertificate(TestCertificateSpec());
  const TestCredential other = ca.IssueCertificate(TestCertificateSpec());
  options_.listen_address = "127.0.0.1:0";
  options_.tls = TlsMaterial{one.certificate_pem, other.private_key_pem, ca.certificate_pem()};
  ServerBackends backends{&store_, &sellers_, &key_registry_, &audit_log_, &signer_, &clock_};
  EXPECT_THAT(EinvoiceServer::Start(options_, backends),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not for the TLS private key")));
  options_.tls = TlsMaterial{one.certificate_pem, one.private_key_pem, "not a PEM bundle"};
  EXPECT_THAT(EinvoiceServer::Start(options_, backends),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("client CA bundle")));
}

TEST_F(PlaintextListenTest, PlaintextOffLoopbackRefusesToStart) {
  options_.listen_address = "0.0.0.0:0";
  ServerBackends backends{&store_, &sellers_, &key_registry_, &audit_log_, &signer_, &clock_};
  EXPECT_THAT(EinvoiceServer::Start(options_, backends),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("loopback")));
  options_.listen_address = "127.0.0.1:0";
  EXPECT_OK(EinvoiceServer::Start(options_, backends).status());
}

TEST(LoopbackAddressTest, OnlyThisMachinesAddressesAreLoopback) {
  for (const char* address : {"127.0.0.1:50051", "127.1.2.3:0", "localhost:50051",
                              "LOCALHOST:1", "[::1]:50051", "unix:/tmp/einvoice.sock",
                              "dns:///127.0.0.1:50051"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
  for (const char* address : {"0.0.0.0:50051", "[::]:50051", "10.0.0.5:50051",
                              "unix-abstract:einvoice",
                              "128.0.0.1:50051", "127.0.0.1.example.com:1", "example.com:443",
                              "127.0.0.256:1", ":50051"}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

}  // namespace
}  // namespace einvoice
