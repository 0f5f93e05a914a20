// In-process gRPC tests of the key lifecycle (AuthorityAdmin), rotation under load, and the
// signer's health as published through grpc.health.v1.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "domain/invoice_verifier.h"
#include "einvoice/v1/authority_admin.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/server/server_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::ServerFixture;
using ::testing::SizeIs;

class AuthorityAdminServiceTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    StartServer();
    RegisterSeller(BaselineInvoice().seller().tax_code());
    admin_ = v1::AuthorityAdmin::NewStub(channel_);
  }

  v1::ListSigningKeysResponse List() {
    v1::ListSigningKeysResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(admin_->ListSigningKeys(&context, {}, &response).ok());
    return response;
  }
  v1::GetSigningKeysResponse Published() {
    v1::GetSigningKeysResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(authority_->GetSigningKeys(&context, {}, &response).ok());
    return response;
  }
  grpc::Status Generate(v1::SigningKey* key, const std::string& algorithm = "") {
    v1::GenerateSigningKeyRequest request;
    request.set_algorithm(algorithm);
    grpc::ClientContext context;
    return admin_->GenerateSigningKey(&context, request, key);
  }
  grpc::Status Activate(const std::string& key_id, v1::SigningKey* key) {
    v1::ActivateSigningKeyRequest request;
    request.set_key_id(key_id);
    grpc::ClientContext context;
    return admin_->ActivateSigningKey(&context, request, key);
  }
  grpc::Status Retire(const std::string& key_id, v1::SigningKey* key) {
    v1::RetireSigningKeyRequest request;
    request.set_key_id(key_id);
    grpc::ClientContext context;
    return admin_->RetireSigningKey(&context, request, key);
  }

  std::unique_ptr<v1::AuthorityAdmin::Stub> admin_;
};

TEST_F(AuthorityAdminServiceTest, GenerateActivateRetireLifecycle) {
  ASSERT_THAT(List().keys(), SizeIs(1));
  const std::string first = List().keys(0).key_id();

  v1::SigningKey pending;
  ASSERT_TRUE(Generate(&pending).ok());
  EXPECT_FALSE(pending.has_not_before());
  EXPECT_THAT(List().keys(), SizeIs(2));
  EXPECT_THAT(Published().keys(), SizeIs(1));  // a pending key has signed nothing

  v1::SigningKey active;
  ASSERT_TRUE(Activate(pending.key_id(), &active).ok());
  const auto published = Published();
  ASSERT_THAT(published.keys(), SizeIs(2));
  EXPECT_EQ(published.keys(0).key_id(), pending.key_id());  // active first
  EXPECT_TRUE(published.keys(1).has_retired_at());
  EXPECT_EQ(published.keys(1).key_id(), first);

  v1::SigningKey ignored;
  EXPECT_EQ(Retire(pending.key_id(), &ignored).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // the active key
  EXPECT_EQ(Activate(first, &ignored).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Activate("no-such-key", &ignored).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Generate(&ignored, "DSA_1024").error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // A pending key can be retired without ever signing.
  v1::SigningKey unused;
  ASSERT_TRUE(Generate(&unused).ok());
  v1::SigningKey retired;
  ASSERT_TRUE(Retire(unused.key_id(), &retired).ok());
  EXPECT_TRUE(retired.has_retired_at());
}

TEST_F(AuthorityAdminServiceTest, ImportedCertificatesArePublished) {
  const v1::SigningKey active = List().keys(0);
  v1::SigningKey other;
  ASSERT_TRUE(Generate(&other).ok());
  v1::ImportSigningKeyCertificateRequest request;
  request.set_key_id(active.key_id());
  request.set_certificate_der(other.certificate_der());  // certifies another key
  v1::SigningKey response;
  grpc::ClientContext c1;
  EXPECT_EQ(admin_->ImportSigningKeyCertificate(&c1, request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_certificate_der(active.certificate_der());  // its own: accepted
  grpc::ClientContext c2;
  ASSERT_TRUE(admin_->ImportSigningKeyCertificate(&c2, request, &response).ok());
  EXPECT_EQ(Published().keys(0).certificate_der(), active.certificate_der());
}

TEST_F(AuthorityAdminServiceTest, RotationUnderLoadKeepsSubmissionsSucceedingAndVerifiable) {
  constexpr int kWriters = 4;
  std::atomic<uint32_t> next_number{1};
  std::atomic<bool> stop{false};
  absl::Mutex mu;
  std::vector<v1::AuthenticatedInvoice> accepted;
  std::vector<std::string> failures;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&] {
      while (!stop.load()) {
        v1::Invoice invoice = BaselineInvoice();
        invoice.set_number(next_number.fetch_add(1));
        v1::SubmitInvoiceResponse response;
        const grpc::Status status = Submit(invoice, &response);
        absl::MutexLock lock(&mu);
        if (status.ok()) {
          accepted.push_back(response.accepted());
        } else {
          failures.push_back(status.error_message());
        }
      }
    });
  }
  auto wait_for = [&](size_t count) {
    absl::MutexLock lock(&mu);
    const auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return accepted.size() >= count; };
    mu.Await(absl::Condition(&enough));
  };
  // Two rotations while submissions flow, each after more invoices were coded.
  for (int rotation = 1; rotation <= 2; ++rotation) {
    wait_for(rotation * 50);
    v1::SigningKey fresh, active;
    ASSERT_TRUE(Generate(&fresh).ok());
    ASSERT_TRUE(Activate(fresh.key_id(), &active).ok());
  }
  wait_for(150);
  stop = true;
  for (auto& writer : writers) writer.join();

  EXPECT_THAT(failures, SizeIs(0));
  const auto published = Published();
  ASSERT_THAT(published.keys(), SizeIs(3));
  const std::vector<v1::SigningKey> keys(published.keys().begin(), published.keys().end());
  std::set<std::string> keys_used;
  for (const v1::AuthenticatedInvoice& invoice : accepted) {
    const InvoiceVerification verification = VerifyAuthenticatedInvoice(invoice, keys);
    ASSERT_TRUE(verification.valid) << ::testing::PrintToString(verification.problems);
    keys_used.insert(invoice.key_id());
  }
  EXPECT_EQ(keys_used.size(), 3u);  // every key signed some of them
}

// A signer whose health the test controls.
class SwitchableSigner final : public Signer {
 public:
  explicit SwitchableSigner(Signer* inner) : inner_(inner) {}
  absl::StatusOr<std::vector<PublicKey>> ListKeys() override { return inner_->ListKeys(); }
  absl::StatusOr<PublicKey> GenerateKey(KeyAlgorithm a) override { return inner_->GenerateKey(a); }
  absl::StatusOr<std::string> Sign(absl::string_view key_id, absl::string_view data) override {
    return inner_->Sign(key_id, data);
  }
  absl::Status Health() override {
    absl::MutexLock lock(&mu_);
    return health_;
  }
  void SetHealth(absl::Status health) {
    absl::MutexLock lock(&mu_);
    health_ = std::move(health);
  }

 private:
  Signer* const inner_;
  absl::Mutex mu_;
  absl::Status health_;
};

class SignerHealthTest : public ServerFixture {};

TEST_F(SignerHealthTest, PublishesTheSignersStateThroughGrpcHealth) {
  SwitchableSigner signer(&signer_);
  ServerBackends backends{&store_, &sellers_, &key_registry_, &audit_log_, &signer, &clock_};
  ASSERT_OK_AND_ASSIGN(auto server, EinvoiceServer::Start(options_, backends));
  auto health = grpc::health::v1::Health::NewStub(server->InProcessChannel());
  auto check = [&](const std::string& service) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(health->Check(&context, request, &response).ok());
    return response.status();
  };
  EXPECT_EQ(check(""), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(check("einvoice.v1.InvoiceAuthority"), grpc::health::v1::HealthCheckResponse::SERVING);

  signer.SetHealth(absl::UnavailableError("CKR_TOKEN_NOT_PRESENT"));
  EXPECT_EQ(server->CheckSignerHealth().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(check(""), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(check("einvoice.v1.InvoiceAuthority"),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);

  signer.SetHealth(absl::OkStatus());
  EXPECT_OK(server->CheckSignerHealth());
  EXPECT_EQ(check(""), grpc::health::v1::HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace einvoice
