#include "tests/signer/support/fake_signer.h"

#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "signer/digest.h"
#include "signer/signature_verifier.h"
#include "tests/testing/status_matchers.h"

namespace einvoice::testing {
namespace {

TEST(FakeSignerTest, SignaturesVerify) {
  FakeSigner signer;
  const PublicKey& key = signer.default_key();
  EXPECT_EQ(key.key_id, KeyIdOf(key.public_key_der));
  ASSERT_OK_AND_ASSIGN(std::string sig, signer.Sign(key.key_id, "data"));
  ASSERT_OK_AND_ASSIGN(bool ok,
                       VerifySignature(key.algorithm, key.public_key_der, "data", sig));
  EXPECT_TRUE(ok);
  EXPECT_EQ(signer.sign_calls(), 1);
}

TEST(FakeSignerTest, RsaAndEd25519KeysSignAndVerify) {
  FakeSigner signer;
  for (KeyAlgorithm algorithm : {KeyAlgorithm::kRsa3072Sha256, KeyAlgorithm::kEd25519}) {
    ASSERT_OK_AND_ASSIGN(PublicKey key, signer.GenerateKey(algorithm));
    EXPECT_EQ(key.algorithm, algorithm);
    EXPECT_EQ(key.key_id, KeyIdOf(key.public_key_der));
    ASSERT_OK_AND_ASSIGN(std::string sig, signer.Sign(key.key_id, "data"));
    ASSERT_OK_AND_ASSIGN(bool ok,
                         VerifySignature(key.algorithm, key.public_key_der, "data", sig));
    EXPECT_TRUE(ok) << KeyAlgorithmName(algorithm);
  }
}

TEST(FakeSignerTest, ListsGeneratedKeys) {
  FakeSigner signer;
  ASSERT_OK_AND_ASSIGN(PublicKey second, signer.GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer.ListKeys());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].key_id, signer.default_key().key_id);
  EXPECT_EQ(keys[1].key_id, second.key_id);
  EXPECT_NE(second.key_id, signer.default_key().key_id);
}

TEST(FakeSignerTest, UnknownKeyIsNotFound) {
  FakeSigner signer;
  EXPECT_THAT(signer.Sign("00", "data"), StatusIs(absl::StatusCode::kNotFound));
}

TEST(FakeSignerTest, FailNextFailsExactlyNCalls) {
  FakeSigner signer;
  signer.FailNext(2, absl::UnavailableError("token unplugged"));
  const std::string& id = signer.default_key().key_id;
  EXPECT_THAT(signer.Sign(id, "a"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(signer.Sign(id, "b"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_OK(signer.Sign(id, "c"));
  EXPECT_EQ(signer.sign_calls(), 3);
}

TEST(FakeSignerTest, HookCanHoldASignInFlight) {
  FakeSigner signer;
  absl::Notification entered;
  absl::Notification release;
  signer.SetSignHook([&] {
    entered.Notify();
    release.WaitForNotification();
  });
  absl::StatusOr<std::string> result;
  std::thread t([&] { result = signer.Sign(signer.default_key().key_id, "slow"); });
  entered.WaitForNotification();
  EXPECT_EQ(signer.sign_calls(), 1);
  release.Notify();
  t.join();
  EXPECT_OK(result);
}

}  // namespace
}  // namespace einvoice::testing
