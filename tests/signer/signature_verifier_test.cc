// VerifySignature against keys and signatures made directly with OpenSSL (independent of the
// signer implementations).
#include "signer/signature_verifier.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::StatusIs;

struct TestKey {
  std::string spki;
  EVP_PKEY* pkey = nullptr;
  ~TestKey() { EVP_PKEY_free(pkey); }
};

void MakeKey(TestKey* key, const char* curve = "P-256") {
  key->pkey = EVP_EC_gen(curve);
  ASSERT_NE(key->pkey, nullptr);
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key->pkey, &der);
  ASSERT_GT(len, 0);
  key->spki.assign(reinterpret_cast<const char*>(der), len);
  OPENSSL_free(der);
}

std::string SignWith(EVP_PKEY* pkey, const std::string& data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t size = 0;
  EXPECT_EQ(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey), 1);
  EXPECT_EQ(EVP_DigestSign(ctx, nullptr, &size,
                           reinterpret_cast<const unsigned char*>(data.data()), data.size()),
            1);
  std::string sig(size, '\0');
  EXPECT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &size,
                           reinterpret_cast<const unsigned char*>(data.data()), data.size()),
            1);
  sig.resize(size);
  EVP_MD_CTX_free(ctx);
  return sig;
}

class VerifySignatureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(MakeKey(&key_));
    signature_ = SignWith(key_.pkey, data_);
  }
  void TearDown() override {
    // VerifySignature must never leave errors behind in this thread's OpenSSL queue.
    EXPECT_EQ(ERR_peek_error(), 0u);
  }

  TestKey key_;
  const std::string data_ = std::string("coded invoice\0bytes", 19);
  std::string signature_;
};

TEST_F(VerifySignatureTest, GoodSignatureVerifies) {
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, key_.spki, data_,
                                                signature_));
  EXPECT_TRUE(ok);
}

TEST_F(VerifySignatureTest, TamperedDataFails) {
  std::string tampered = data_;
  tampered[0] ^= 0x01;
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, key_.spki,
                                                tampered, signature_));
  EXPECT_FALSE(ok);
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, key_.spki,
                                           data_ + "x", signature_));
  EXPECT_FALSE(ok);
}

TEST_F(VerifySignatureTest, TamperedSignatureFails) {
  std::string tampered = signature_;
  tampered[tampered.size() - 1] ^= 0x01;
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, key_.spki, data_,
                                                tampered));
  EXPECT_FALSE(ok);
}

TEST_F(VerifySignatureTest, WrongKeyFails) {
  TestKey other;
  ASSERT_NO_FATAL_FAILURE(MakeKey(&other));
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, other.spki,
                                                data_, signature_));
  EXPECT_FALSE(ok);
}

TEST_F(VerifySignatureTest, GarbageSignatureIsFalseNotError) {
  for (const std::string& garbage :
       {std::string(), std::string("not a signature"), std::string(64, '\x42'),
        std::string("\x30\x06\x02\x01\x01\x02\x01", 7) /* truncated DER */}) {
    ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, key_.spki,
                                                  data_, garbage));
    EXPECT_FALSE(ok);
  }
}

TEST_F(VerifySignatureTest, MalformedKeyIsInvalidArgument) {
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, "not a key", data_, signature_),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, "", data_, signature_),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kEcdsaP256Sha256,
                              key_.spki.substr(0, key_.spki.size() - 1), data_, signature_),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, key_.spki + "x", data_, signature_),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(VerifySignatureTest, KeyOnAnotherCurveIsInvalidArgument) {
  TestKey p384;
  ASSERT_NO_FATAL_FAILURE(MakeKey(&p384, "P-384"));
  const std::string sig = SignWith(p384.pkey, data_);
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, p384.spki, data_, sig),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(VerifySignatureTest, RsaKeyIsInvalidArgument) {
  EVP_PKEY* rsa = EVP_RSA_gen(1024);
  ASSERT_NE(rsa, nullptr);
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(rsa, &der);
  ASSERT_GT(len, 0);
  std::string spki(reinterpret_cast<const char*>(der), len);
  OPENSSL_free(der);
  EVP_PKEY_free(rsa);
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, spki, data_, signature_),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// RSA-3072 PKCS#1 v1.5 / SHA-256 (RSA_3072_SHA256).
class VerifyRsaSignatureTest : public ::testing::Test {
 protected:
  static std::string SpkiOf(EVP_PKEY* pkey) {
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(pkey, &der);
    EXPECT_GT(len, 0);
    std::string spki(reinterpret_cast<const char*>(der), len > 0 ? len : 0);
    OPENSSL_free(der);
    return spki;
  }
  static void SetUpTestSuite() {
    rsa_ = EVP_RSA_gen(3072);
    ASSERT_NE(rsa_, nullptr);
  }
  static void TearDownTestSuite() { EVP_PKEY_free(rsa_); }
  void TearDown() override { EXPECT_EQ(ERR_peek_error(), 0u); }

  static EVP_PKEY* rsa_;
  const std::string data_ = std::string("coded invoice\0bytes", 19);
};
EVP_PKEY* VerifyRsaSignatureTest::rsa_ = nullptr;

TEST_F(VerifyRsaSignatureTest, GoodSignatureVerifiesTamperedDoesNot) {
  const std::string spki = SpkiOf(rsa_);
  std::string sig = SignWith(rsa_, data_);
  EXPECT_EQ(sig.size(), 384u);
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(KeyAlgorithm::kRsa3072Sha256, spki, data_, sig));
  EXPECT_TRUE(ok);
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(KeyAlgorithm::kRsa3072Sha256, spki, data_ + "x", sig));
  EXPECT_FALSE(ok);
  sig[100] = static_cast<char>(sig[100] ^ 1);
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(KeyAlgorithm::kRsa3072Sha256, spki, data_, sig));
  EXPECT_FALSE(ok);
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(KeyAlgorithm::kRsa3072Sha256, spki, data_, "junk"));
  EXPECT_FALSE(ok);
}

TEST_F(VerifyRsaSignatureTest, KeyOfAnotherKindOrSizeIsInvalidArgument) {
  const std::string sig = SignWith(rsa_, data_);
  // An RSA key under the ECDSA algorithm.
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, SpkiOf(rsa_), data_, sig),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A P-256 key under the RSA algorithm.
  TestKey ec;
  ASSERT_NO_FATAL_FAILURE(MakeKey(&ec));
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kRsa3072Sha256, ec.spki, data_, sig),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // RSA-2048 is not RSA_3072_SHA256.
  EVP_PKEY* rsa2048 = EVP_RSA_gen(2048);
  ASSERT_NE(rsa2048, nullptr);
  const std::string spki2048 = SpkiOf(rsa2048);
  const std::string sig2048 = SignWith(rsa2048, data_);
  EVP_PKEY_free(rsa2048);
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kRsa3072Sha256, spki2048, data_, sig2048),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(VerifyEd25519SignatureTest, PureEd25519OverTheData) {
  EVP_PKEY* ed = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ASSERT_NE(ed, nullptr);
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(ed, &der);
  ASSERT_GT(len, 0);
  const std::string spki(reinterpret_cast<const char*>(der), len);
  OPENSSL_free(der);
  const std::string data = std::string("coded invoice\0bytes", 19);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::string sig(64, '\0');
  size_t size = sig.size();
  ASSERT_EQ(EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, ed), 1);
  ASSERT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &size,
                           reinterpret_cast<const unsigned char*>(data.data()), data.size()),
            1);
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(ed);
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(KeyAlgorithm::kEd25519, spki, data, sig));
  EXPECT_TRUE(ok);
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(KeyAlgorithm::kEd25519, spki, data + "x", sig));
  EXPECT_FALSE(ok);
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(KeyAlgorithm::kEd25519, spki, data, "short"));
  EXPECT_FALSE(ok);
  // An Ed25519 key under ECDSA, and a P-256 key under Ed25519, are INVALID_ARGUMENT.
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, spki, data, sig),
              StatusIs(absl::StatusCode::kInvalidArgument));
  TestKey ec;
  ASSERT_NO_FATAL_FAILURE(MakeKey(&ec));
  EXPECT_THAT(VerifySignature(KeyAlgorithm::kEd25519, ec.spki, data, sig),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ERR_peek_error(), 0u);
}

}  // namespace
}  // namespace einvoice
