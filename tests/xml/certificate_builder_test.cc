// The authority's self-signed certificate, signed through the Signer interface.
#include "signer/certificate_builder.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/signer/support/fake_signer.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace einvoice {
namespace {

using ::einvoice::testing::FakeSigner;
using ::einvoice::testing::StatusIs;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

std::unique_ptr<X509, X509Free> Parse(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  return std::unique_ptr<X509, X509Free>(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

const absl::Time kFrom = absl::FromCivil(absl::CivilDay(2026, 1, 1), absl::UTCTimeZone());
const absl::Time kTo = absl::FromCivil(absl::CivilDay(2031, 1, 1), absl::UTCTimeZone());

TEST(CertificateBuilderTest, VerifiesUnderItsOwnKey) {
  FakeSigner signer;
  ASSERT_OK_AND_ASSIGN(std::string der,
                       BuildSelfSignedCertificate(signer, signer.default_key(),
                                                  "Cơ quan thuế thử nghiệm (TEST)", kFrom, kTo));
  EXPECT_EQ(signer.sign_calls(), 1);
  auto cert = Parse(der);
  ASSERT_NE(cert, nullptr);
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(X509_verify(cert.get(), key), 1);
  // The certificate's key is the signer's key.
  unsigned char* spki = nullptr;
  const int len = i2d_PUBKEY(key, &spki);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(spki), len), signer.default_key().public_key_der);
  OPENSSL_free(spki);
  EXPECT_EQ(X509_get_version(cert.get()), 2);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  EXPECT_EQ(X509_cmp_time(X509_get0_notBefore(cert.get()), nullptr), -1);  // before now
  time_t to = absl::ToTimeT(kTo);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(cert.get()), to), 0);
  char cn[256] = {0};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof(cn));
  EXPECT_EQ(std::string(cn), "Cơ quan thuế thử nghiệm (TEST)");
  // Self-signed as OpenSSL understands it (usable as its own trust anchor).
  EXPECT_EQ(X509_check_issued(cert.get(), cert.get()), X509_V_OK);
}

TEST(CertificateBuilderTest, OpensslCliVerifiesIt) {
  FakeSigner signer;
  const absl::Time now = absl::Now();
  ASSERT_OK_AND_ASSIGN(std::string der,
                       BuildSelfSignedCertificate(signer, signer.default_key(), "CQT TEST",
                                                  now - absl::Hours(1), now + absl::Hours(24)));
  testing::TempDir dir;
  std::ofstream(dir.Sub("cert.der"), std::ios::binary) << der;
  const std::string cmd = absl::StrCat(
      "openssl x509 -inform DER -in ", dir.Sub("cert.der"), " -out ", dir.Sub("cert.pem"),
      " && openssl verify -check_ss_sig -CAfile ", dir.Sub("cert.pem"), " ", dir.Sub("cert.pem"),
      " > ", dir.Sub("out.txt"), " 2>&1");
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(dir.Sub("out.txt"));
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(out, ::testing::HasSubstr(": OK"));
}

TEST(CertificateBuilderTest, WrongKeyIsCaught) {
  FakeSigner signer;
  ASSERT_OK_AND_ASSIGN(PublicKey other, signer.GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  PublicKey mixed = signer.default_key();
  mixed.key_id = other.key_id;  // signs with another key than the certificate names
  EXPECT_THAT(BuildSelfSignedCertificate(signer, mixed, "CQT", kFrom, kTo),
              StatusIs(absl::StatusCode::kInternal));
}

TEST(CertificateBuilderTest, SignerErrorsPassThrough) {
  FakeSigner signer;
  PublicKey unknown = signer.default_key();
  unknown.key_id = std::string(64, '0');
  EXPECT_THAT(BuildSelfSignedCertificate(signer, unknown, "CQT", kFrom, kTo),
              StatusIs(absl::StatusCode::kNotFound));
  signer.FailNext(1, absl::UnavailableError("token gone"));
  EXPECT_THAT(BuildSelfSignedCertificate(signer, signer.default_key(), "CQT", kFrom, kTo),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST(CertificateBuilderTest, BadArguments) {
  FakeSigner signer;
  EXPECT_THAT(BuildSelfSignedCertificate(signer, signer.default_key(), "", kFrom, kTo),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(BuildSelfSignedCertificate(signer, signer.default_key(), "CQT", kTo, kFrom),
              StatusIs(absl::StatusCode::kInvalidArgument));
  PublicKey garbage = signer.default_key();
  garbage.public_key_der = "not a key";
  EXPECT_THAT(BuildSelfSignedCertificate(signer, garbage, "CQT", kFrom, kTo),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(signer.sign_calls(), 0);
}

}  // namespace
}  // namespace einvoice
