#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "signer/signer.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::StatusIs;

TEST(KeyAlgorithmTest, NameRoundTrips) {
  EXPECT_EQ(KeyAlgorithmName(KeyAlgorithm::kEcdsaP256Sha256), "ECDSA_P256_SHA256");
  ASSERT_OK_AND_ASSIGN(KeyAlgorithm parsed, ParseKeyAlgorithm("ECDSA_P256_SHA256"));
  EXPECT_EQ(parsed, KeyAlgorithm::kEcdsaP256Sha256);
  EXPECT_EQ(KeyAlgorithmName(KeyAlgorithm::kRsa3072Sha256), "RSA_3072_SHA256");
  ASSERT_OK_AND_ASSIGN(parsed, ParseKeyAlgorithm("RSA_3072_SHA256"));
  EXPECT_EQ(parsed, KeyAlgorithm::kRsa3072Sha256);
  EXPECT_EQ(KeyAlgorithmName(KeyAlgorithm::kEd25519), "ED25519");
  ASSERT_OK_AND_ASSIGN(parsed, ParseKeyAlgorithm("ED25519"));
  EXPECT_EQ(parsed, KeyAlgorithm::kEd25519);
}

TEST(KeyAlgorithmTest, UnknownNameIsInvalidArgument) {
  EXPECT_THAT(ParseKeyAlgorithm("RSA_2048"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseKeyAlgorithm("ecdsa_p256_sha256"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseKeyAlgorithm(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace einvoice
