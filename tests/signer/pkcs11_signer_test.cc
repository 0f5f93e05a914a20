// Pkcs11Signer against a real SoftHSM2 token created in a temp dir. Each TEST runs in its own
// process (einvoice_test), so each gets a fresh SOFTHSM2_CONF.
#include "signer/pkcs11_signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "signer/certificate_builder.h"
#include "signer/digest.h"
#include "signer/pkcs11_module.h"
#include "signer/signature_verifier.h"
#include "signer/softhsm_config.h"
#include "signer/token_setup.h"
#include "tests/signer/support/softhsm_token.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace einvoice {
namespace {

using ::einvoice::testing::SoftHsmToken;
using ::einvoice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

// PEM "PUBLIC KEY" for a DER SubjectPublicKeyInfo.
std::string ToPem(const std::string& spki) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(spki.data());
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size()));
  EXPECT_NE(key, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(PEM_write_bio_PUBKEY(bio, key), 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

class Pkcs11SignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(token_, SoftHsmToken::Create("einvoice-test", "1234", "5678"));
  }

  std::unique_ptr<Pkcs11Signer> OpenOrDie(size_t sessions = 4) {
    Pkcs11SignerOptions options = token_->options();
    options.sessions = sessions;
    absl::StatusOr<std::unique_ptr<Pkcs11Signer>> signer = Pkcs11Signer::Open(options);
    EXPECT_OK(signer);
    return signer.ok() ? *std::move(signer) : nullptr;
  }

  // Looks at `key`'s private half through the raw PKCS#11 API, as an attacker with the PIN
  // could: found by CKA_ID = SHA-256(SPKI), sensitive, never extractable, value refused.
  void ExpectPrivateKeyNotExtractable(const PublicKey& key) {
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<Pkcs11Module> module,
                         Pkcs11Module::Load(token_->options().module_path));
    CK_FUNCTION_LIST* f = module->functions();
    ASSERT_OK_AND_ASSIGN(CK_SLOT_ID slot, FindSlotByTokenLabel(f, token_->label()));
    CK_SESSION_HANDLE session;
    ASSERT_EQ(f->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &session), CKR_OK);
    std::string pin = token_->user_pin();
    CK_RV rv = f->C_Login(session, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.data()),
                          pin.size());
    ASSERT_TRUE(rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) << CkrName(rv);

    std::string id = Sha256(key.public_key_der);
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_BBOOL on_token = CK_TRUE;  // not the signer's session copies (pkcs11_session_copy_test)
    CK_ATTRIBUTE find[] = {{CKA_CLASS, &cls, sizeof(cls)},
                           {CKA_TOKEN, &on_token, sizeof(on_token)},
                           {CKA_ID, id.data(), id.size()}};
    ASSERT_EQ(f->C_FindObjectsInit(session, find, 3), CKR_OK);
    CK_OBJECT_HANDLE handle;
    CK_ULONG count = 0;
    ASSERT_EQ(f->C_FindObjects(session, &handle, 1, &count), CKR_OK);
    ASSERT_EQ(f->C_FindObjectsFinal(session), CKR_OK);
    ASSERT_EQ(count, 1u) << "private key not found by CKA_ID = SHA-256(SPKI)";

    CK_BBOOL extractable = CK_TRUE, sensitive = CK_FALSE, never_extractable = CK_FALSE,
             always_sensitive = CK_FALSE, is_private = CK_FALSE, token = CK_FALSE;
    CK_ATTRIBUTE flags[] = {
        {CKA_EXTRACTABLE, &extractable, sizeof(extractable)},
        {CKA_SENSITIVE, &sensitive, sizeof(sensitive)},
        {CKA_NEVER_EXTRACTABLE, &never_extractable, sizeof(never_extractable)},
        {CKA_ALWAYS_SENSITIVE, &always_sensitive, sizeof(always_sensitive)},
        {CKA_PRIVATE, &is_private, sizeof(is_private)},
        {CKA_TOKEN, &token, sizeof(token)},
    };
    ASSERT_EQ(f->C_GetAttributeValue(session, handle, flags, 6), CKR_OK);
    EXPECT_EQ(extractable, CK_FALSE);
    EXPECT_EQ(sensitive, CK_TRUE);
    EXPECT_EQ(never_extractable, CK_TRUE);
    EXPECT_EQ(always_sensitive, CK_TRUE);
    EXPECT_EQ(is_private, CK_TRUE);
    EXPECT_EQ(token, CK_TRUE);

    // The secret: CKA_VALUE for EC, the private exponent and primes for RSA.
    std::vector<CK_ATTRIBUTE_TYPE> secrets = {CKA_VALUE};
    if (key.algorithm == KeyAlgorithm::kRsa3072Sha256) {
      secrets = {CKA_PRIVATE_EXPONENT, CKA_PRIME_1, CKA_PRIME_2};
    }
    for (CK_ATTRIBUTE_TYPE type : secrets) {
      unsigned char value[1024];
      CK_ATTRIBUTE secret = {type, value, sizeof(value)};
      EXPECT_EQ(CkrName(f->C_GetAttributeValue(session, handle, &secret, 1)),
                CkrName(CKR_ATTRIBUTE_SENSITIVE))
          << "attribute " << type;
      EXPECT_EQ(secret.ulValueLen, CK_UNAVAILABLE_INFORMATION);
    }

    // And it cannot be made extractable afterwards.
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE make_extractable = {CKA_EXTRACTABLE, &yes, sizeof(yes)};
    EXPECT_NE(f->C_SetAttributeValue(session, handle, &make_extractable, 1), CKR_OK);
    (void)f->C_CloseSession(session);
  }

  std::unique_ptr<SoftHsmToken> token_;
};

TEST_F(Pkcs11SignerTest, GeneratedKeyIsListedAndSignaturesVerify) {
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> before, signer->ListKeys());
  EXPECT_TRUE(before.empty());

  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  EXPECT_EQ(key.key_id, KeyIdOf(key.public_key_der));
  EXPECT_EQ(key.algorithm, KeyAlgorithm::kEcdsaP256Sha256);

  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key_id, key.key_id);
  EXPECT_EQ(keys[0].public_key_der, key.public_key_der);

  const std::string data = "invoice bytes \x01\x02";
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign(key.key_id, data));
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(key.algorithm, key.public_key_der, data, sig));
  EXPECT_TRUE(ok);
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(key.algorithm, key.public_key_der, data + "!", sig));
  EXPECT_FALSE(ok);
  EXPECT_OK(signer->Health());
}

TEST_F(Pkcs11SignerTest, SignatureVerifiesWithOpenSslCommandLine) {
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  const std::string data = "<Invoice>coded by the authority</Invoice>\n";
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign(key.key_id, data));

  testing::TempDir dir;
  WriteFile(dir.Sub("pub.pem"), ToPem(key.public_key_der));
  WriteFile(dir.Sub("sig.der"), sig);
  WriteFile(dir.Sub("record.bin"), data);
  WriteFile(dir.Sub("tampered.bin"), data + " ");
  const std::string verify = absl::StrCat("openssl dgst -sha256 -verify ", dir.Sub("pub.pem"),
                                          " -signature ", dir.Sub("sig.der"), " ");
  EXPECT_EQ(std::system((verify + dir.Sub("record.bin") + " >/dev/null 2>&1").c_str()), 0);
  EXPECT_NE(std::system((verify + dir.Sub("tampered.bin") + " >/dev/null 2>&1").c_str()), 0);
}

TEST_F(Pkcs11SignerTest, UnknownKeyIsNotFound) {
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  EXPECT_THAT(signer->Sign(KeyIdOf("some other key"), "data"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(signer->Sign("not-hex", "data"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(signer->Sign("", "data"), StatusIs(absl::StatusCode::kNotFound));
  std::string upper = key.key_id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != key.key_id) {
    EXPECT_THAT(signer->Sign(upper, "data"), StatusIs(absl::StatusCode::kNotFound));
  }
  EXPECT_OK(signer->Sign(key.key_id, "data"));
}

TEST_F(Pkcs11SignerTest, WrongPinFailsOpenWithUnavailableNamingTheCode) {
  Pkcs11SignerOptions options = token_->options();
  options.pin = "wrong-pin-4711";
  absl::StatusOr<std::unique_ptr<Pkcs11Signer>> signer = Pkcs11Signer::Open(options);
  EXPECT_THAT(signer, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("CKR_PIN_INCORRECT")));
  EXPECT_THAT(signer, StatusIs(absl::StatusCode::kUnavailable, Not(HasSubstr("4711"))));
  // The right PIN still works afterwards.
  EXPECT_NE(OpenOrDie(), nullptr);
}

TEST_F(Pkcs11SignerTest, UnknownTokenLabelIsUnavailable) {
  Pkcs11SignerOptions options = token_->options();
  options.token_label = "no-such-token";
  EXPECT_THAT(Pkcs11Signer::Open(options),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no-such-token")));
}

TEST_F(Pkcs11SignerTest, BadModulePathIsUnavailable) {
  Pkcs11SignerOptions options = token_->options();
  options.module_path = token_->dir() + "/no-such-module.so";
  EXPECT_THAT(Pkcs11Signer::Open(options), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(Pkcs11SignerTest, ZeroSessionsIsInvalidArgument) {
  Pkcs11SignerOptions options = token_->options();
  options.sessions = 0;
  EXPECT_THAT(Pkcs11Signer::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(Pkcs11SignerTest, ReopenFindsTheSameKey) {
  PublicKey key;
  {
    auto signer = OpenOrDie();
    ASSERT_NE(signer, nullptr);
    ASSERT_OK_AND_ASSIGN(key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  }
  // The last user released the module, so this also re-initialises it (C_Finalize happened).
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key_id, key.key_id);
  EXPECT_EQ(keys[0].public_key_der, key.public_key_der);
  // Signing needs no ListKeys first: the key is found by CKA_ID.
  auto fresh = std::move(signer);
  signer.reset();
  fresh.reset();
  signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign(key.key_id, "after restart"));
  ASSERT_OK_AND_ASSIGN(bool ok,
                       VerifySignature(key.algorithm, key.public_key_der, "after restart", sig));
  EXPECT_TRUE(ok);
}

TEST_F(Pkcs11SignerTest, PrivateKeyIsNotExtractable) {
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  ExpectPrivateKeyNotExtractable(key);
}

// --- RSA-3072 (RSA_3072_SHA256) ---

TEST_F(Pkcs11SignerTest, RsaKeyIsGeneratedListedAndSignaturesVerify) {
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kRsa3072Sha256));
  EXPECT_EQ(key.algorithm, KeyAlgorithm::kRsa3072Sha256);
  EXPECT_EQ(key.key_id, KeyIdOf(key.public_key_der));
  {
    // The SPKI is a 3072-bit rsaEncryption key with exponent 65537.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(key.public_key_der.data());
    EVP_PKEY* pkey = d2i_PUBKEY(nullptr, &p, static_cast<long>(key.public_key_der.size()));
    ASSERT_NE(pkey, nullptr);
    EXPECT_EQ(EVP_PKEY_get_base_id(pkey), EVP_PKEY_RSA);
    EXPECT_EQ(EVP_PKEY_get_bits(pkey), 3072);
    BIGNUM* e = nullptr;
    ASSERT_EQ(EVP_PKEY_get_bn_param(pkey, "e", &e), 1);
    EXPECT_EQ(BN_get_word(e), 65537u);
    BN_free(e);
    EVP_PKEY_free(pkey);
  }

  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key_id, key.key_id);
  EXPECT_EQ(keys[0].algorithm, KeyAlgorithm::kRsa3072Sha256);
  EXPECT_EQ(keys[0].public_key_der, key.public_key_der);

  const std::string data = "invoice bytes \x01\x02";
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign(key.key_id, data));
  EXPECT_EQ(sig.size(), 384u);
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(key.algorithm, key.public_key_der, data, sig));
  EXPECT_TRUE(ok);
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(key.algorithm, key.public_key_der, data + "!", sig));
  EXPECT_FALSE(ok);
  // PKCS#1 v1.5 is deterministic.
  ASSERT_OK_AND_ASSIGN(std::string again, signer->Sign(key.key_id, data));
  EXPECT_EQ(again, sig);
  // Empty data signs too.
  ASSERT_OK_AND_ASSIGN(std::string empty_sig, signer->Sign(key.key_id, ""));
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(key.algorithm, key.public_key_der, "", empty_sig));
  EXPECT_TRUE(ok);

  testing::TempDir dir;
  WriteFile(dir.Sub("pub.pem"), ToPem(key.public_key_der));
  WriteFile(dir.Sub("sig.bin"), sig);
  WriteFile(dir.Sub("record.bin"), data);
  WriteFile(dir.Sub("tampered.bin"), data + " ");
  const std::string verify = absl::StrCat("openssl dgst -sha256 -verify ", dir.Sub("pub.pem"),
                                          " -signature ", dir.Sub("sig.bin"), " ");
  EXPECT_EQ(std::system((verify + dir.Sub("record.bin") + " >/dev/null 2>&1").c_str()), 0);
  EXPECT_NE(std::system((verify + dir.Sub("tampered.bin") + " >/dev/null 2>&1").c_str()), 0);
}

TEST_F(Pkcs11SignerTest, RsaPrivateKeyIsNotExtractable) {
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kRsa3072Sha256));
  ExpectPrivateKeyNotExtractable(key);
}

// EC and RSA keys side by side; after a restart both are found (by CKA_ID, without a listing)
// and the older key still signs and verifies: a retired key keeps verifying.
TEST_F(Pkcs11SignerTest, EcAndRsaKeysCoexistAndSurviveRestart) {
  PublicKey ec;
  PublicKey rsa;
  {
    auto signer = OpenOrDie();
    ASSERT_NE(signer, nullptr);
    ASSERT_OK_AND_ASSIGN(ec, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
    ASSERT_OK_AND_ASSIGN(rsa, signer->GenerateKey(KeyAlgorithm::kRsa3072Sha256));
    EXPECT_NE(ec.key_id, rsa.key_id);
  }
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  for (const PublicKey* key : {&rsa, &ec}) {
    ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign(key->key_id, "after restart"));
    ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(key->algorithm, key->public_key_der,
                                                  "after restart", sig));
    EXPECT_TRUE(ok) << KeyAlgorithmName(key->algorithm);
  }
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  ASSERT_EQ(keys.size(), 2u);
  for (const PublicKey& listed : keys) {
    const PublicKey& expected = listed.key_id == ec.key_id ? ec : rsa;
    EXPECT_EQ(listed.key_id, expected.key_id);
    EXPECT_EQ(listed.algorithm, expected.algorithm);
    EXPECT_EQ(listed.public_key_der, expected.public_key_der);
  }
}

// An RSA key of another size (made by another tool) is not an RSA_3072_SHA256 key: skipped.
TEST_F(Pkcs11SignerTest, Rsa2048KeyIsNotListed) {
  {
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<Pkcs11Module> module,
                         Pkcs11Module::Load(token_->options().module_path));
    CK_FUNCTION_LIST* f = module->functions();
    ASSERT_OK_AND_ASSIGN(CK_SLOT_ID slot, FindSlotByTokenLabel(f, token_->label()));
    CK_SESSION_HANDLE session;
    ASSERT_EQ(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr,
                               &session),
              CKR_OK);
    std::string pin = token_->user_pin();
    ASSERT_EQ(f->C_Login(session, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.data()),
                         pin.size()),
              CKR_OK);
    CK_BBOOL yes = CK_TRUE;
    CK_ULONG bits = 2048;
    unsigned char exponent[] = {0x01, 0x00, 0x01};
    char id[] = "rsa-2048";
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_KEY_PAIR_GEN, nullptr, 0};
    CK_ATTRIBUTE pub[] = {{CKA_TOKEN, &yes, sizeof(yes)},
                          {CKA_VERIFY, &yes, sizeof(yes)},
                          {CKA_MODULUS_BITS, &bits, sizeof(bits)},
                          {CKA_PUBLIC_EXPONENT, exponent, sizeof(exponent)},
                          {CKA_ID, id, sizeof(id) - 1}};
    CK_ATTRIBUTE priv[] = {{CKA_TOKEN, &yes, sizeof(yes)},
                           {CKA_PRIVATE, &yes, sizeof(yes)},
                           {CKA_SENSITIVE, &yes, sizeof(yes)},
                           {CKA_SIGN, &yes, sizeof(yes)},
                           {CKA_ID, id, sizeof(id) - 1}};
    CK_OBJECT_HANDLE pub_handle, priv_handle;
    ASSERT_EQ(f->C_GenerateKeyPair(session, &mechanism, pub, 5, priv, 5, &pub_handle,
                                   &priv_handle),
              CKR_OK);
    (void)f->C_CloseSession(session);
  }
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  EXPECT_TRUE(keys.empty());
}

// The self-signed certificate for an RSA key (sha256WithRSAEncryption, signed in the token)
// verifies with the OpenSSL command line.
TEST_F(Pkcs11SignerTest, RsaCertificateVerifiesWithOpenSsl) {
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kRsa3072Sha256));
  const absl::Time now = absl::Now();
  ASSERT_OK_AND_ASSIGN(std::string der,
                       BuildSelfSignedCertificate(*signer, key, "Cơ quan thuế RSA",
                                                  now - absl::Hours(1), now + absl::Hours(24)));
  testing::TempDir dir;
  WriteFile(dir.Sub("cert.der"), der);
  ASSERT_EQ(std::system(absl::StrCat("openssl x509 -inform DER -in ", dir.Sub("cert.der"),
                                     " -out ", dir.Sub("cert.pem"), " >/dev/null 2>&1")
                            .c_str()),
            0);
  EXPECT_EQ(std::system(absl::StrCat("openssl verify -CAfile ", dir.Sub("cert.pem"), " ",
                                     dir.Sub("cert.pem"), " >/dev/null 2>&1")
                            .c_str()),
            0);
  EXPECT_EQ(std::system(absl::StrCat("openssl x509 -noout -text -in ", dir.Sub("cert.pem"),
                                     " | grep -c sha256WithRSAEncryption >/dev/null")
                            .c_str()),
            0);
  // The certificate carries exactly the token's public key.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  ASSERT_NE(cert, nullptr);
  unsigned char* spki = nullptr;
  const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &spki);
  ASSERT_GT(len, 0);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(spki), len), key.public_key_der);
  OPENSSL_free(spki);
  X509_free(cert);
}

// --- Ed25519 (ED25519), where the module supports it ---

// The mechanisms the token's slot offers (C_GetMechanismList).
std::vector<CK_MECHANISM_TYPE> TokenMechanisms(const SoftHsmToken& token) {
  absl::StatusOr<std::shared_ptr<Pkcs11Module>> module =
      Pkcs11Module::Load(token.options().module_path);
  EXPECT_OK(module);
  if (!module.ok()) return {};
  CK_FUNCTION_LIST* f = (*module)->functions();
  absl::StatusOr<CK_SLOT_ID> slot = FindSlotByTokenLabel(f, token.label());
  EXPECT_OK(slot);
  if (!slot.ok()) return {};
  CK_ULONG count = 0;
  EXPECT_EQ(f->C_GetMechanismList(*slot, nullptr, &count), CKR_OK);
  std::vector<CK_MECHANISM_TYPE> mechanisms(count);
  EXPECT_EQ(f->C_GetMechanismList(*slot, mechanisms.data(), &count), CKR_OK);
  mechanisms.resize(count);
  return mechanisms;
}

bool HasEd25519(const std::vector<CK_MECHANISM_TYPE>& mechanisms) {
  auto has = [&](CK_MECHANISM_TYPE m) {
    return std::find(mechanisms.begin(), mechanisms.end(), m) != mechanisms.end();
  };
  return has(CKM_EC_EDWARDS_KEY_PAIR_GEN) && has(CKM_EDDSA);
}

TEST_F(Pkcs11SignerTest, Ed25519KeyWhereTheModuleSupportsIt) {
  testing::ScopedLeakCheckOff softhsm_eddsa_leak;  // see tests/testing/leak_check.h
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  if (!HasEd25519(TokenMechanisms(*token_))) {
    // Tested either way: without the mechanisms the answer is UNIMPLEMENTED.
    EXPECT_THAT(signer->GenerateKey(KeyAlgorithm::kEd25519),
                StatusIs(absl::StatusCode::kUnimplemented));
    GTEST_SKIP() << "this SoftHSM lacks CKM_EC_EDWARDS_KEY_PAIR_GEN / CKM_EDDSA";
  }
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEd25519));
  EXPECT_EQ(key.algorithm, KeyAlgorithm::kEd25519);
  EXPECT_EQ(key.key_id, KeyIdOf(key.public_key_der));
  EXPECT_EQ(key.public_key_der.size(), 44u);  // RFC 8410 SPKI

  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key_id, key.key_id);
  EXPECT_EQ(keys[0].algorithm, KeyAlgorithm::kEd25519);
  EXPECT_EQ(keys[0].public_key_der, key.public_key_der);

  const std::string data = "invoice bytes \x01\x02";
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign(key.key_id, data));
  EXPECT_EQ(sig.size(), 64u);
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(key.algorithm, key.public_key_der, data, sig));
  EXPECT_TRUE(ok);
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(key.algorithm, key.public_key_der, data + "!", sig));
  EXPECT_FALSE(ok);
  // Not a pre-hashed signature: it does not verify over SHA-256(data).
  ASSERT_OK_AND_ASSIGN(ok, VerifySignature(key.algorithm, key.public_key_der, Sha256(data), sig));
  EXPECT_FALSE(ok);

  testing::TempDir dir;
  WriteFile(dir.Sub("pub.pem"), ToPem(key.public_key_der));
  WriteFile(dir.Sub("sig.bin"), sig);
  WriteFile(dir.Sub("record.bin"), data);
  WriteFile(dir.Sub("tampered.bin"), data + " ");
  const std::string verify = absl::StrCat("openssl pkeyutl -verify -pubin -inkey ",
                                          dir.Sub("pub.pem"), " -rawin -sigfile ",
                                          dir.Sub("sig.bin"), " -in ");
  EXPECT_EQ(std::system((verify + dir.Sub("record.bin") + " >/dev/null 2>&1").c_str()), 0);
  EXPECT_NE(std::system((verify + dir.Sub("tampered.bin") + " >/dev/null 2>&1").c_str()), 0);

  ExpectPrivateKeyNotExtractable(key);

  // Found again after a restart, without a listing.
  signer.reset();
  signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(sig, signer->Sign(key.key_id, "after restart"));
  ASSERT_OK_AND_ASSIGN(ok,
                       VerifySignature(key.algorithm, key.public_key_der, "after restart", sig));
  EXPECT_TRUE(ok);

  // No certificates (hence no XML signatures) for Ed25519 keys.
  const absl::Time now = absl::Now();
  EXPECT_THAT(BuildSelfSignedCertificate(*signer, key, "Ed25519", now, now + absl::Hours(1)),
              StatusIs(absl::StatusCode::kUnimplemented));
}

// A module without the Edwards mechanisms (SoftHSM told to hide them with slots.mechanisms):
// GenerateKey(ED25519) is UNIMPLEMENTED naming the mechanism; the other algorithms still work.
TEST_F(Pkcs11SignerTest, Ed25519IsUnimplementedWhenTheModuleLacksTheMechanism) {
  {
    // SoftHSM reads its config in C_Initialize; no user of the module is alive here. (Its
    // list parser drops the first name after "-", hence CKM_EDDSA twice.)
    std::ofstream conf(token_->dir() + "/softhsm2.conf", std::ios::app);
    conf << "slots.mechanisms = -CKM_EDDSA,CKM_EC_EDWARDS_KEY_PAIR_GEN,CKM_EDDSA\n";
    ASSERT_TRUE(conf.good());
  }
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_FALSE(HasEd25519(TokenMechanisms(*token_))) << "slots.mechanisms was not honoured";
  EXPECT_THAT(signer->GenerateKey(KeyAlgorithm::kEd25519),
              StatusIs(absl::StatusCode::kUnimplemented,
                       HasSubstr("does not support CKM_EC_EDWARDS_KEY_PAIR_GEN")));
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  EXPECT_TRUE(keys.empty());  // nothing half-made was left behind
  EXPECT_OK(signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
}

// A key pair made by another tool (e.g. pkcs11-tool) with its own CKA_ID is still listed and
// usable by key id, found by scanning instead of by CKA_ID.
TEST_F(Pkcs11SignerTest, KeyWithForeignCkaIdIsListedAndUsable) {
  {
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<Pkcs11Module> module,
                         Pkcs11Module::Load(token_->options().module_path));
    CK_FUNCTION_LIST* f = module->functions();
    ASSERT_OK_AND_ASSIGN(CK_SLOT_ID slot, FindSlotByTokenLabel(f, token_->label()));
    CK_SESSION_HANDLE session;
    ASSERT_EQ(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr,
                               &session),
              CKR_OK);
    std::string pin = token_->user_pin();
    ASSERT_EQ(f->C_Login(session, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.data()),
                         pin.size()),
              CKR_OK);
    unsigned char params[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    char id[] = "legacy-key-01";
    CK_BBOOL yes = CK_TRUE;
    CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, nullptr, 0};
    CK_ATTRIBUTE pub[] = {{CKA_TOKEN, &yes, sizeof(yes)},
                          {CKA_VERIFY, &yes, sizeof(yes)},
                          {CKA_EC_PARAMS, params, sizeof(params)},
                          {CKA_ID, id, sizeof(id) - 1}};
    CK_ATTRIBUTE priv[] = {{CKA_TOKEN, &yes, sizeof(yes)},
                           {CKA_PRIVATE, &yes, sizeof(yes)},
                           {CKA_SENSITIVE, &yes, sizeof(yes)},
                           {CKA_SIGN, &yes, sizeof(yes)},
                           {CKA_ID, id, sizeof(id) - 1}};
    CK_OBJECT_HANDLE pub_handle, priv_handle;
    ASSERT_EQ(f->C_GenerateKeyPair(session, &mechanism, pub, 4, priv, 5, &pub_handle,
                                   &priv_handle),
              CKR_OK);
    (void)f->C_CloseSession(session);
  }
  std::string key_id;
  std::string spki;
  {
    auto signer = OpenOrDie();
    ASSERT_NE(signer, nullptr);
    ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0].key_id, KeyIdOf(keys[0].public_key_der));
    key_id = keys[0].key_id;
    spki = keys[0].public_key_der;
  }
  auto signer = OpenOrDie();  // fresh: no cached handle, so Sign must find it by itself
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign(key_id, "legacy"));
  ASSERT_OK_AND_ASSIGN(bool ok,
                       VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, spki, "legacy", sig));
  EXPECT_TRUE(ok);
}

TEST_F(Pkcs11SignerTest, ConcurrentSigningFromEightThreads) {
  auto signer = OpenOrDie(/*sessions=*/4);
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::vector<std::vector<std::string>> signatures(kThreads);
  std::vector<absl::Status> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        absl::StatusOr<std::string> sig = signer->Sign(key.key_id, absl::StrCat(t, "/", i));
        if (!sig.ok()) {
          errors[t] = sig.status();
          return;
        }
        signatures[t].push_back(*std::move(sig));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_OK(errors[t]);
    ASSERT_EQ(signatures[t].size(), static_cast<size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i) {
      ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(key.algorithm, key.public_key_der,
                                                    absl::StrCat(t, "/", i), signatures[t][i]));
      ASSERT_TRUE(ok) << t << "/" << i;
    }
  }
}

TEST_F(Pkcs11SignerTest, InitializeTokenIfAbsentIsIdempotent) {
  PublicKey key;
  {
    auto signer = OpenOrDie();
    ASSERT_NE(signer, nullptr);
    ASSERT_OK_AND_ASSIGN(key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  }
  // Same label again (even with other PINs): nothing happens, the key survives.
  EXPECT_OK(InitializeTokenIfAbsent(SoftHsmToken::kModulePath, token_->label(), "other-so",
                                    "other-user"));
  EXPECT_OK(InitializeTokenIfAbsent(SoftHsmToken::kModulePath, token_->label(), token_->so_pin(),
                                    token_->user_pin()));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(token_->tokens_dir()),
                          std::filesystem::directory_iterator()),
            1);
  auto signer = OpenOrDie();
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key_id, key.key_id);

  // A second label makes a second token next to it.
  EXPECT_OK(InitializeTokenIfAbsent(SoftHsmToken::kModulePath, "second", "5678", "9999"));
  Pkcs11SignerOptions second = token_->options();
  second.token_label = "second";
  second.pin = "9999";
  ASSERT_OK_AND_ASSIGN(auto second_signer, Pkcs11Signer::Open(second));
  ASSERT_OK_AND_ASSIGN(keys, second_signer->ListKeys());
  EXPECT_TRUE(keys.empty());
}

TEST_F(Pkcs11SignerTest, InitializeTokenRejectsBadArguments) {
  EXPECT_THAT(InitializeTokenIfAbsent(SoftHsmToken::kModulePath, "", "1", "2"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(InitializeTokenIfAbsent(SoftHsmToken::kModulePath, std::string(33, 'x'), "1", "2"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(InitializeTokenIfAbsent(SoftHsmToken::kModulePath, "x", "", "2"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(Pkcs11ModuleReloadTest, ModuleIsReinitialisedWithANewConfigAfterLastRelease) {
  PublicKey first_key;
  {
    ASSERT_OK_AND_ASSIGN(auto token, SoftHsmToken::Create("first"));
    ASSERT_OK_AND_ASSIGN(auto signer, Pkcs11Signer::Open(token->options()));
    ASSERT_OK_AND_ASSIGN(first_key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  }
  ASSERT_OK_AND_ASSIGN(auto token, SoftHsmToken::Create("second"));
  ASSERT_OK_AND_ASSIGN(auto signer, Pkcs11Signer::Open(token->options()));
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  EXPECT_TRUE(keys.empty());
  Pkcs11SignerOptions first = token->options();
  first.token_label = "first";
  EXPECT_THAT(Pkcs11Signer::Open(first), StatusIs(absl::StatusCode::kUnavailable));
}

TEST(Pkcs11ModuleTest, CkrNamesAndStatusCodes) {
  EXPECT_EQ(CkrName(CKR_PIN_INCORRECT), "CKR_PIN_INCORRECT");
  EXPECT_EQ(CkrName(CKR_DEVICE_REMOVED), "CKR_DEVICE_REMOVED");
  EXPECT_EQ(CkrName(CKR_VENDOR_DEFINED + 0x12), "CKR_VENDOR_DEFINED+0x12");
  EXPECT_EQ(CkrName(0x7777), "CKR_0x7777");
  EXPECT_OK(CkrToStatus(CKR_OK, "C_Sign"));
  EXPECT_THAT(CkrToStatus(CKR_DEVICE_REMOVED, "C_Sign"),
              StatusIs(absl::StatusCode::kUnavailable, "C_Sign: CKR_DEVICE_REMOVED"));
  for (CK_RV rv : {CKR_DEVICE_ERROR, CKR_TOKEN_NOT_PRESENT, CKR_SESSION_HANDLE_INVALID,
                   CKR_SESSION_CLOSED, CKR_GENERAL_ERROR, CKR_DEVICE_MEMORY,
                   CKR_CRYPTOKI_NOT_INITIALIZED, CKR_USER_NOT_LOGGED_IN, CKR_PIN_INCORRECT,
                   CKR_PIN_LOCKED}) {
    EXPECT_TRUE(IsOutage(rv)) << CkrName(rv);
    EXPECT_THAT(CkrToStatus(rv, "op"), StatusIs(absl::StatusCode::kUnavailable)) << CkrName(rv);
  }
  EXPECT_THAT(CkrToStatus(CKR_MECHANISM_INVALID, "C_SignInit"),
              StatusIs(absl::StatusCode::kUnimplemented));
  EXPECT_THAT(CkrToStatus(CKR_ARGUMENTS_BAD, "C_Sign"), StatusIs(absl::StatusCode::kInternal));
}

}  // namespace
}  // namespace einvoice

namespace einvoice {
namespace {

// The token's storage disappears (disk unmounted, HSM unplugged) while the signer is in use,
// then comes back. `storage` is what vanishes: the token's own directory or SoftHSM's whole
// token directory.
//
// With session key copies (the default) SoftHSM keeps signing through a session's copy, which
// lives in the module's memory and never touches the vanished files, so the first Sign()s
// after the storage went may still succeed, with valid signatures. (A real HSM that is
// unplugged takes its sessions, and their copies, with it.) The next call that touches the
// token's storage notices the outage: Health(), which the server's health monitor calls every
// few seconds, ListKeys(), opening a session, or copying a key. From then on it is handled as
// without copies: every session and its copies are discarded and every call is UNAVAILABLE.
void RunOutageAndRecovery(SoftHsmToken& token, const std::string& storage,
                          bool session_key_copies) {
  Pkcs11SignerOptions options = token.options();
  options.sessions = 2;
  options.session_key_copies = session_key_copies;
  ASSERT_OK_AND_ASSIGN(auto signer, Pkcs11Signer::Open(options));
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  ASSERT_OK(signer->Sign(key.key_id, "before"));
  ASSERT_OK(signer->Health());

  const std::string moved = token.dir() + "/unplugged";
  std::filesystem::rename(storage, moved);

  if (session_key_copies) {
    // Not noticed yet: a signature through the idle session's copy, or UNAVAILABLE; never
    // another error, never a bad signature.
    absl::StatusOr<std::string> sig = signer->Sign(key.key_id, "during, not noticed yet");
    if (sig.ok()) {
      ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(key.algorithm, key.public_key_der,
                                                    "during, not noticed yet", *sig));
      EXPECT_TRUE(ok);
    } else {
      EXPECT_THAT(sig, StatusIs(absl::StatusCode::kUnavailable));
    }
    // The health check notices, and discards the sessions with their copies.
    EXPECT_THAT(signer->Health(), StatusIs(absl::StatusCode::kUnavailable));
  }

  // Every call fails with UNAVAILABLE (never NOT_FOUND, never an empty key list, never a
  // hang: the test's ctest timeout would catch one), also from several threads at once.
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(signer->Sign(key.key_id, "during"), StatusIs(absl::StatusCode::kUnavailable));
  }
  EXPECT_THAT(signer->ListKeys(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(signer->Health(), StatusIs(absl::StatusCode::kUnavailable));
  std::vector<std::thread> threads;
  std::atomic<int> unavailable{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (absl::IsUnavailable(signer->Sign(key.key_id, "during").status())) ++unavailable;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(unavailable.load(), 40);

  std::filesystem::rename(moved, storage);

  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign(key.key_id, "after"));
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(key.algorithm, key.public_key_der, "after", sig));
  EXPECT_TRUE(ok);
  EXPECT_OK(signer->Health());
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key_id, key.key_id);
}

std::string TheTokenDirectory(const SoftHsmToken& token) {
  std::string token_dir;
  for (const auto& entry : std::filesystem::directory_iterator(token.tokens_dir())) {
    token_dir = entry.path();
  }
  EXPECT_FALSE(token_dir.empty());
  return token_dir;
}

TEST_F(Pkcs11SignerTest, TokenDirectoryRemovedIsUnavailableThenRecovers) {
  RunOutageAndRecovery(*token_, TheTokenDirectory(*token_), /*session_key_copies=*/true);
}

TEST_F(Pkcs11SignerTest, WholeTokenStoreRemovedIsUnavailableThenRecovers) {
  RunOutageAndRecovery(*token_, token_->tokens_dir(), /*session_key_copies=*/true);
}

// Without copies every Sign() touches the token object, so the very first one notices.
TEST_F(Pkcs11SignerTest, TokenDirectoryRemovedWithoutKeyCopiesIsUnavailableThenRecovers) {
  RunOutageAndRecovery(*token_, TheTokenDirectory(*token_), /*session_key_copies=*/false);
}

TEST_F(Pkcs11SignerTest, WholeTokenStoreRemovedWithoutKeyCopiesIsUnavailableThenRecovers) {
  RunOutageAndRecovery(*token_, token_->tokens_dir(), /*session_key_copies=*/false);
}

}  // namespace
}  // namespace einvoice
