#include "domain/signing_key_manager.h"

#include <thread>
#include <vector>

#include "domain/authentication_record.h"
#include "domain/invoice_verifier.h"
#include "signer/certificate_builder.h"
#include "gmock/gmock.h"
#include "tests/domain/domain_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::DomainFixture;
using ::einvoice::testing::FakeClock;
using ::einvoice::testing::FakeSigner;
using ::einvoice::testing::InMemorySigningKeyRegistry;
using ::einvoice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(SigningKeyManagerTest, RefusesToStartWithNoActiveKeyAndSaysHowToCreateOne) {
  FakeClock clock(absl::Now());
  FakeSigner signer;
  InMemorySigningKeyRegistry registry;
  EXPECT_THAT(SigningKeyManager::Create(&signer, &registry, &clock, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("keys generate")));
}

TEST(SigningKeyManagerTest, CreatesAndActivatesAKeyWhenAsked) {
  FakeClock clock(absl::Now());
  FakeSigner signer;
  InMemorySigningKeyRegistry registry;
  ASSERT_OK_AND_ASSIGN(auto manager,
                       SigningKeyManager::Create(&signer, &registry, &clock, {true}));
  const auto keys = manager->Keys();
  ASSERT_THAT(keys, SizeIs(1));
  EXPECT_TRUE(keys[0].has_not_before());
  EXPECT_FALSE(keys[0].has_retired_at());
  EXPECT_EQ(keys[0].algorithm(), "ECDSA_P256_SHA256");
  EXPECT_EQ(manager->Stamp().key_id, keys[0].key_id());
}

TEST(SigningKeyManagerTest, KeepsTheSameActiveKeyAcrossRestarts) {
  FakeClock clock(absl::Now());
  FakeSigner signer;
  InMemorySigningKeyRegistry registry;
  ASSERT_OK_AND_ASSIGN(auto first, SigningKeyManager::Create(&signer, &registry, &clock, {true}));
  const std::string active = first->Stamp().key_id;
  first.reset();
  ASSERT_OK_AND_ASSIGN(auto second, SigningKeyManager::Create(&signer, &registry, &clock, {true}));
  EXPECT_EQ(second->Stamp().key_id, active);
  EXPECT_THAT(second->Keys(), SizeIs(1));
}

TEST(SigningKeyManagerTest, RefusesAnActiveKeyTheTokenDoesNotHold) {
  FakeClock clock(absl::Now());
  InMemorySigningKeyRegistry registry;
  {
    FakeSigner original;
    ASSERT_OK(SigningKeyManager::Create(&original, &registry, &clock, {true}).status());
  }
  FakeSigner other_token;
  EXPECT_THAT(SigningKeyManager::Create(&other_token, &registry, &clock, {true}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not in the signer")));
}

class RotationTest : public DomainFixture {};

TEST_F(RotationTest, ActivatingANewKeyRetiresTheOldOneAndEveryInvoiceStillVerifies) {
  const SubmitOutcome before = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
  ASSERT_OK(before.status);
  const std::string old_key = before.accepted.key_id();

  ASSERT_OK_AND_ASSIGN(v1::SigningKey fresh, keys_->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  EXPECT_FALSE(fresh.has_not_before());  // pending until activated
  clock_.Advance(absl::Seconds(1));
  ASSERT_OK_AND_ASSIGN(v1::SigningKey active, keys_->Activate(fresh.key_id()));

  v1::Invoice next = BaselineInvoice();
  next.set_number(next.number() + 1);
  const SubmitOutcome after = authenticator_->Submit(local_operator_, next, "");
  ASSERT_OK(after.status);
  EXPECT_EQ(after.accepted.key_id(), fresh.key_id());

  const std::vector<v1::SigningKey> keys = keys_->Keys();
  ASSERT_THAT(keys, SizeIs(2));
  EXPECT_EQ(keys[0].key_id(), fresh.key_id());  // active first
  EXPECT_EQ(keys[1].key_id(), old_key);
  EXPECT_TRUE(keys[1].has_retired_at());
  EXPECT_EQ(FromTimestamp(keys[1].retired_at()), FromTimestamp(active.not_before()));
  for (const SubmitOutcome* outcome : {&before, &after}) {
    const InvoiceVerification verification = VerifyAuthenticatedInvoice(outcome->accepted, keys);
    EXPECT_TRUE(verification.valid) << ::testing::PrintToString(verification.problems);
  }
}

TEST_F(RotationTest, ACertificateForTheKeyCanBeImportedAndIsUsedFromThenOn) {
  const SigningKeyManager::SigningStamp before = keys_->Stamp();
  ASSERT_FALSE(before.certificate_der.empty());  // the self-signed default
  // Another valid certificate for the same key stands in for one from a real CA.
  PublicKey key;
  key.key_id = before.key_id;
  key.public_key_der = keys_->Keys()[0].public_key_der();
  ASSERT_OK_AND_ASSIGN(std::string issued,
                       BuildSelfSignedCertificate(signer_, key, "Imported CA-issued",
                                                  clock_.Now() - absl::Hours(1),
                                                  clock_.Now() + absl::Hours(24 * 365)));
  ASSERT_OK_AND_ASSIGN(v1::SigningKey updated, keys_->ImportCertificate(before.key_id, issued));
  EXPECT_EQ(updated.certificate_der(), issued);
  EXPECT_EQ(keys_->Stamp().certificate_der, issued);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SigningKey> stored, key_registry_.List());
  EXPECT_EQ(stored[0].certificate_der(), issued);
}

TEST_F(RotationTest, ImportRefusesACertificateForAnotherKeyOrGarbage) {
  const std::string active = keys_->Stamp().key_id;
  ASSERT_OK_AND_ASSIGN(v1::SigningKey other, keys_->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  EXPECT_THAT(keys_->ImportCertificate(active, other.certificate_der()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("another public key")));
  EXPECT_THAT(keys_->ImportCertificate(active, "not a certificate"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(keys_->ImportCertificate("no-such-key", other.certificate_der()),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(RotationTest, TheActiveKeyCannotBeRetiredDirectly) {
  EXPECT_THAT(keys_->Retire(keys_->Stamp().key_id),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(RotationTest, ARetiredKeyCannotBeReactivated) {
  const std::string first = keys_->Stamp().key_id;
  ASSERT_OK_AND_ASSIGN(v1::SigningKey fresh, keys_->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  ASSERT_OK(keys_->Activate(fresh.key_id()).status());
  EXPECT_THAT(keys_->Activate(first), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(keys_->Activate("unknown"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(RotationTest, NoStampIsDatedAfterItsKeysRetirementEvenUnderConcurrency) {
  ASSERT_OK_AND_ASSIGN(v1::SigningKey fresh, keys_->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  std::vector<SigningKeyManager::SigningStamp> stamps[4];
  std::vector<std::thread> threads;
  for (auto& mine : stamps) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) mine.push_back(keys_->Stamp());
    });
  }
  ASSERT_OK(keys_->Activate(fresh.key_id()).status());
  for (auto& thread : threads) thread.join();
  const std::vector<v1::SigningKey> keys = keys_->Keys();
  for (const auto& mine : stamps) {
    for (const auto& stamp : mine) {
      for (const v1::SigningKey& key : keys) {
        if (key.key_id() != stamp.key_id) continue;
        EXPECT_GE(stamp.issued_at, FromTimestamp(key.not_before()));
        if (key.has_retired_at()) {
          EXPECT_LT(stamp.issued_at, FromTimestamp(key.retired_at()));
        }
      }
    }
  }
}

}  // namespace
}  // namespace einvoice
